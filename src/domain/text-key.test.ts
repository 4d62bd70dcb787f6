// The case-folded keys searches and report filters compare: one key per spelling of a name, whatever the case or form.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldCase } from './text-key.ts';

describe('foldCase', () => {
  it('gives one key for a name typed in any case or Unicode form', () => {
    const same = [
      ['Ölmühle Köln', 'ÖLMÜHLE KÖLN', 'O\u0308lmu\u0308hle Ko\u0308ln'],
      ['Großbäckerei Weiß', 'GROSSBÄCKEREI WEISS', 'grossbäckerei weiss'],
      ['ΟΔΟΣ ΣΠΑΡΤΗΣ', 'οδος σπαρτης', 'Οδοσ Σπαρτησ'],
      ['İSTANBUL', 'istanbul', 'İstanbul'],
      ['Москва', 'МОСКВА', 'москва'],
      ['Ｆｕｌｌ', 'full', 'FULL'],
    ];
    for (const spellings of same) expect(new Set(spellings.map(foldCase)).size, spellings[0]).toBe(1);
  });

  it('keeps accents and dotless ı apart', () => {
    expect(foldCase('Köln')).not.toBe(foldCase('Koln'));
    expect(foldCase('kırmızı')).not.toBe(foldCase('KIRMIZI'));
  });

  it('folds printable ASCII exactly as the full Unicode path would', () => {
    const full = (s: string) => s.normalize('NFKC').toLowerCase().normalize('NFC');
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...' AZaz09~-_.@ßİΣς'.split('')) }), (s) => {
        if (/^[\x20-\x7e]*$/.test(s)) expect(foldCase(s)).toBe(full(s));
      }),
    );
  });
});
