// A small seeded random number generator: forecasts take it as an argument, so tests and backtests repeat exactly.

/** Uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * Mulberry32: 32 bits of state, fast, and good enough for Monte Carlo sampling.
 * @example const rng = seededRandom(42); rng(); // 0.6011037519201636
 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [0, n). */
export function pick(rng: Random, n: number): number {
  return Math.min(n - 1, Math.floor(rng() * n));
}
