import { describe, expect, it } from 'vitest';
import { percentileOfSorted, roundFigures, summarize } from './percentiles.ts';

describe('percentiles', () => {
  it('interpolate between the nearest ranks, as SQL percentile_cont does', () => {
    expect(percentileOfSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentileOfSorted([5, 6, 18], 0.85)).toBeCloseTo(14.4, 12);
    expect(percentileOfSorted([7], 0.95)).toBe(7);
    expect(percentileOfSorted([], 0.5)).toBeNull();
  });

  it('summarise any order of values, numerically (not as text)', () => {
    expect(summarize([10, 9, 100, 1])).toEqual({
      count: 4,
      min: 1,
      max: 100,
      mean: 30,
      p50: 9.5,
      p85: expect.closeTo(59.5, 9),
      p95: expect.closeTo(86.5, 9),
    });
    expect(summarize([])).toBeNull();
  });

  it('round report figures without touching whole numbers or text', () => {
    expect(roundFigures({ a: 1 / 3, b: [2, 2.000049], c: 'x', d: null })).toEqual({ a: 0.3333, b: [2, 2], c: 'x', d: null });
  });
});
