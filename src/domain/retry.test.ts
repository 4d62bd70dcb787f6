import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, nextAttemptAt } from './retry.ts';

const first = new Date('2026-11-24T09:00:00Z');
const at = (ms: number) => new Date(first.getTime() + ms);

describe('retrying a failed delivery', () => {
  it('backs off exponentially, with jitter between half and all of the delay, up to an hour', () => {
    expect(nextAttemptAt(DEFAULT_RETRY, 1, first, first, 0)).toEqual(at(2_500));
    expect(nextAttemptAt(DEFAULT_RETRY, 1, first, first, 0.999_999)!.getTime()).toBeLessThan(at(5_000).getTime());
    expect(nextAttemptAt(DEFAULT_RETRY, 3, first, first, 0)).toEqual(at(10_000));
    expect(nextAttemptAt(DEFAULT_RETRY, 30, first, first, 0)).toEqual(at(30 * 60_000));
  });

  it('keeps trying for a day from the first attempt, then gives up', () => {
    expect(nextAttemptAt(DEFAULT_RETRY, 40, first, at(24 * 3_600_000 - 1), 0.5)).not.toBeNull();
    expect(nextAttemptAt(DEFAULT_RETRY, 40, first, at(24 * 3_600_000), 0.5)).toBeNull();
  });
});
