import { describe, expect, it } from 'vitest';
import { KEY_PATTERN } from './workflow.ts';
import { keyFromLabel } from './workflow-keys.ts';

describe('a new stage or field gets its key from its label', () => {
  it('writes the label as lowercase words joined by _', () => {
    expect(keyFromLabel('Design and proof', [])).toBe('design_and_proof');
    expect(keyFromLabel('  Quality check (final)!  ', [])).toBe('quality_check_final');
    expect(keyFromLabel('Größe & Farbe', [], 'field')).toBe('grosse_farbe');
    expect(keyFromLabel('Café crème', [])).toBe('cafe_creme');
  });

  it('never repeats a key the workflow already has', () => {
    expect(keyFromLabel('Done', ['done'])).toBe('done_2');
    expect(keyFromLabel('Done', ['done', 'done_2', 'done_3'])).toBe('done_4');
  });

  it('starts with a letter and stays within 40 characters, also with a number added', () => {
    expect(keyFromLabel('2nd proof', [])).toBe('stage_2nd_proof');
    expect(keyFromLabel('', [])).toBe('stage');
    expect(keyFromLabel('!!!', [], 'field')).toBe('field');
    const long = 'Waiting for the customer to approve the second proof of the artwork';
    const first = keyFromLabel(long, []);
    const second = keyFromLabel(long, [first]);
    for (const key of [first, second]) {
      expect(key.length).toBeLessThanOrEqual(40);
      expect(key).toMatch(KEY_PATTERN);
    }
    expect(second).not.toBe(first);
    expect(second.endsWith('_2')).toBe(true);
  });
});
