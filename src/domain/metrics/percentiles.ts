// Percentiles and summaries of a set of durations, the way every report and forecast states them.

/**
 * The p-th percentile (0..1) of ascending values, interpolated linearly between the two nearest
 * ranks: position p * (n - 1). It is SQL's `percentile_cont`, Excel's PERCENTILE.INC and numpy's
 * default, so a figure can be checked with any of them. Null for no values.
 * @example percentileOfSorted([1, 2, 3, 4], 0.5) // 2.5
 */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const pos = Math.min(1, Math.max(0, p)) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

/** Ascending copy as a Float64Array (numeric sort, no string comparison). */
export function sortedValues(values: ArrayLike<number> | Iterable<number>): Float64Array {
  const out = Float64Array.from(values as ArrayLike<number>);
  out.sort();
  return out;
}

export interface Summary {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p85: number;
  p95: number;
}

/** Count, extremes, mean and the percentiles reports show, of ascending values; null for none. */
export function summarizeSorted(sorted: ArrayLike<number>): Summary | null {
  const n = sorted.length;
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  return {
    count: n,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    mean: sum / n,
    p50: percentileOfSorted(sorted, 0.5)!,
    p85: percentileOfSorted(sorted, 0.85)!,
    p95: percentileOfSorted(sorted, 0.95)!,
  };
}

/** Moves the k-th smallest value to index k, smaller ones before it (Hoare's selection; the array is reordered). */
function select(a: Float64Array, k: number, from: number, to: number): void {
  let lo = from;
  let hi = to;
  while (hi > lo) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * The same figures as `summarizeSorted`, without sorting: each percentile's two ranks are
 * selected in linear time. Reorders `values`. For the millions of stage durations of a long period.
 */
export function summarizeUnsorted(values: Float64Array): Summary | null {
  const n = values.length;
  if (n === 0) return null;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // Ascending ranks, each selection confined to what lies above the previous one.
  const at = (p: number) => p * (n - 1);
  const ranks = [...new Set([0.5, 0.85, 0.95].flatMap((p) => [Math.floor(at(p)), Math.min(n - 1, Math.floor(at(p)) + 1)]))].sort(
    (a, b) => a - b,
  );
  let from = 0;
  for (const r of ranks) {
    select(values, r, from, n - 1);
    from = r;
  }
  const pct = (p: number) => {
    const pos = at(p);
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, lo + 1);
    return values[lo]! + (values[hi]! - values[lo]!) * (pos - lo);
  };
  return { count: n, min, max, mean: sum / n, p50: pct(0.5), p85: pct(0.85), p95: pct(0.95) };
}

export function summarize(values: ArrayLike<number> | Iterable<number>): Summary | null {
  return summarizeSorted(sortedValues(values));
}

/** Each figure of a summary passed through `f` (a unit change): ms to hours, ms to days. */
export function scaleSummary(s: Summary | null, f: (x: number) => number): Summary | null {
  if (!s) return null;
  return { count: s.count, min: f(s.min), max: f(s.max), mean: f(s.mean), p50: f(s.p50), p85: f(s.p85), p95: f(s.p95) };
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Rounds to `digits` decimals: figures are shown to people, not to the last bit. */
export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Every fractional number in a report rounded to `digits` decimals (whole numbers, strings and
 * structure untouched): answers stay readable and compare exactly across databases.
 */
export function roundFigures<T>(value: T, digits = 4): T {
  if (typeof value === 'number') return (Number.isInteger(value) ? value : round(value, digits)) as T;
  if (Array.isArray(value)) return value.map((v) => roundFigures(v, digits)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = roundFigures(v, digits);
    return out as T;
  }
  return value;
}
