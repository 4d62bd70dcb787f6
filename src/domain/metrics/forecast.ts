// Delivery forecasts by Monte Carlo over the workflow's recent stage times (working hours on the business calendar).
//
// The model replays history: a trial walks an order from its stage to the final one, drawing for each stage a
// real past visit (its working time, and where it went next: forward, skipped ahead or back for rework), so
// rework loops and the spread of each stage come from the shop's own record. An order already some hours
// into its stage draws only from past visits that lasted longer than that.
//
// One model answers both questions: the eta of every open order and the quote for a new one (the quote is the
// eta of an order entering the first stage now). Stays in stages busier than usual are stretched in both, and
// an order further on is never expected later than one that has just entered an earlier stage.
import type { WorkflowDefinition } from '../workflow.ts';
import { percentileOfSorted } from './percentiles.ts';
import { pick, type Random } from './random.ts';

/** One finished visit of a stage: how long it took and where the order went next. */
export interface StageSample {
  workingHours: number;
  calendarHours: number;
  next: string | null;
  orderId: string;
  exitedMs: number;
}

export const FORECAST_TRIALS = 2000;
/** Trials per precomputed age bucket of a stage (the eta of an order already in the stage). */
export const BUCKET_TRIALS = 1000;
/** A stage needs this many finished visits before forecasts go through it. */
export const MIN_STAGE_SAMPLES = 5;
/** A quote needs this many past orders. */
export const MIN_QUOTE_ORDERS = 20;
const AGE_BUCKETS = 32;
const MAX_STEPS = 200;

interface StageModel {
  key: string;
  /** How much longer than usual a stay here is taken to be now (the queue; 1 when no busier than usual). */
  factor: number;
  /** Working hours of the sampled visits, ascending, and the stage each went to next. */
  durations: Float64Array;
  nexts: string[];
  /** Monte Carlo totals from entering the stage to completion, ascending; null when the stage cannot be forecast. */
  fromEntering: Float64Array | null;
  /** For orders already in the stage: quantiles of (visit time + time after) over visits longer than each bucket's age. */
  buckets: Array<{ start: number; p50: number; p85: number }> | null;
}

export interface ForecastModel {
  workflow: string;
  final: string;
  first: string;
  stages: Map<string, StageModel>;
  /** Distinct orders and visits the samples come from. */
  orders: number;
  visits: number;
  /** When the earliest sampled visit began (ms), or null without samples: where the history really starts. */
  firstMs: number | null;
}

/** An expected completion, 50% and 85% sure: instants, and their local dates on the business calendar. */
export interface EtaForecast {
  p50: Date;
  p85: Date;
  p50Date: string;
  p85Date: string;
}

export interface RemainingHours {
  p50: number;
  p85: number;
}

function walk(
  model: Map<string, StageModel>,
  final: string,
  from: string,
  rng: Random,
  factor?: Map<string, number>,
): number | null {
  let total = 0;
  let at = from;
  for (let step = 0; at !== final && step < MAX_STEPS; step++) {
    const m = model.get(at);
    if (!m || m.durations.length < MIN_STAGE_SAMPLES) return null;
    const i = pick(rng, m.durations.length);
    total += m.durations[i]! * (factor?.get(at) ?? 1);
    at = m.nexts[i]!;
  }
  return total;
}

/**
 * Builds the model from samples per stage. `rng` is the only source of chance: the same samples
 * and seed give the same forecasts.
 */
export function buildForecastModel(
  wf: WorkflowDefinition,
  samples: Map<string, StageSample[]>,
  rng: Random,
  load: QueueLoad[] = [],
): ForecastModel {
  const keys = wf.stages.map((s) => s.key);
  const final = keys[keys.length - 1]!;
  const stages = new Map<string, StageModel>();
  const orders = new Set<string>();
  const factors = new Map(load.map((l) => [l.stage, l.factor]));
  let visits = 0;
  let firstMs: number | null = null;
  keys.slice(0, -1).forEach((key, i) => {
    const list = [...(samples.get(key) ?? [])].sort((a, b) => a.workingHours - b.workingHours);
    visits += list.length;
    for (const s of list) {
      orders.add(s.orderId);
      const began = s.exitedMs - s.calendarHours * 3_600_000;
      if (firstMs === null || began < firstMs) firstMs = began;
    }
    stages.set(key, {
      key,
      factor: factors.get(key) ?? 1,
      durations: Float64Array.from(list.map((s) => s.workingHours)),
      // A move to a stage the workflow no longer has counts as a move to the next stage.
      nexts: list.map((s) => (s.next && keys.includes(s.next) ? s.next : keys[i + 1]!)),
      fromEntering: null,
      buckets: null,
    });
  });
  // A stage can be forecast when it has enough history and so has every stage its orders went on to.
  const forecastable = new Set([...stages.values()].filter((m) => m.durations.length >= MIN_STAGE_SAMPLES).map((m) => m.key));
  for (let changed = true; changed; ) {
    changed = false;
    for (const key of forecastable) {
      if (stages.get(key)!.nexts.some((n) => n !== final && !forecastable.has(n))) {
        forecastable.delete(key);
        changed = true;
      }
    }
  }
  for (const key of forecastable) {
    const m = stages.get(key)!;
    const totals = new Float64Array(FORECAST_TRIALS);
    for (let t = 0; t < FORECAST_TRIALS; t++) totals[t] = walk(stages, final, m.key, rng, factors) ?? Number.NaN;
    m.fromEntering = totals.sort();
  }
  for (const m of stages.values()) {
    if (!m.fromEntering) continue;
    const n = m.durations.length;
    const buckets: Array<{ start: number; p50: number; p85: number }> = [];
    for (let k = 0; k < AGE_BUCKETS; k++) {
      const start = Math.ceil((k * n) / AGE_BUCKETS);
      if (start >= n) break;
      const draws = new Float64Array(BUCKET_TRIALS);
      for (let t = 0; t < BUCKET_TRIALS; t++) {
        const v = start + pick(rng, n - start);
        const next = m.nexts[v]!;
        const after = next === final ? null : stages.get(next)!.fromEntering!;
        draws[t] = m.durations[v]! * m.factor + (after ? after[pick(rng, after.length)]! : 0);
      }
      draws.sort();
      buckets.push({ start, p50: percentileOfSorted(draws, 0.5)!, p85: percentileOfSorted(draws, 0.85)! });
    }
    m.buckets = buckets;
  }
  keepFurtherOnSooner(keys, stages);
  return { workflow: wf.key, final, first: keys[0]!, stages, orders: orders.size, visits, firstMs };
}

/** The bucket an order that has just entered the stage is forecast from. */
function entryBucket(m: StageModel): { start: number; p50: number; p85: number } | undefined {
  const done = countAtMost(m.durations, 0);
  return m.buckets?.find((b) => b.start >= done);
}

/**
 * An order that has just entered a stage is never expected later than one that has just entered an earlier
 * stage: each stage's entry forecast is raised to at least the one after it. Without this, chance in the trials
 * (or a stage whose visits were cut short by skips) could put an order further on after a new one.
 */
function keepFurtherOnSooner(keys: string[], stages: Map<string, StageModel>): void {
  let p50 = 0;
  let p85 = 0;
  for (const key of keys.slice(0, -1).reverse()) {
    const entry = entryBucket(stages.get(key)!);
    if (!entry) continue;
    entry.p50 = Math.max(entry.p50, p50);
    entry.p85 = Math.max(entry.p85, p85, entry.p50);
    p50 = entry.p50;
    p85 = entry.p85;
  }
}

/** Whether orders in `stage` can be forecast at all (cheap: no working-time sums for those that cannot). */
export function canForecast(model: ForecastModel, stage: string): boolean {
  return stage === model.final || !!model.stages.get(stage)?.buckets;
}

/** How many sorted values are at most `x`. */
function countAtMost(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Working hours an order needs from now until it completes, 50% and 85% sure, when it has been
 * `ageHours` working hours in `stage`. Null when the stage (or one after it) has too little history.
 * An order older than every past visit of its stage is forecast as if it had just entered it.
 */
export function remainingHours(model: ForecastModel, stage: string, ageHours: number): RemainingHours | null {
  if (stage === model.final) return { p50: 0, p85: 0 };
  const m = model.stages.get(stage);
  if (!m?.fromEntering || !m.buckets) return null;
  // Visits are stretched by the stage's queue: an order's age is measured against the stretched ones.
  const done = countAtMost(m.durations, ageHours / m.factor);
  // The first bucket whose visits all lasted longer than the order has been in the stage.
  const bucket = m.buckets.find((b) => b.start >= done);
  if (!bucket) {
    return { p50: percentileOfSorted(m.fromEntering, 0.5)!, p85: percentileOfSorted(m.fromEntering, 0.85)! };
  }
  return { p50: Math.max(0, bucket.p50 - ageHours), p85: Math.max(0, bucket.p85 - ageHours) };
}

export interface QueueLoad {
  stage: string;
  /** Open orders in the stage now. */
  open: number;
  /** Orders the stage usually holds (Little's law over the sampled history: exits per hour times mean hours in the stage). */
  usual: number | null;
  /** How much longer than usual a stay there is taken to be now (1 when the stage is no busier than usual). */
  factor: number;
}

const MAX_QUEUE_FACTOR = 4;

/**
 * The current queue against the usual one, per stage. A stage holding more orders than it usually
 * does makes the wait there proportionally longer; a quieter one is not assumed to be faster.
 */
export function queueLoad(
  wf: WorkflowDefinition,
  samples: Map<string, StageSample[]>,
  open: Map<string, number>,
  window: { fromMs: number; toMs: number },
): QueueLoad[] {
  return wf.stages.slice(0, -1).map((s) => {
    const list = samples.get(s.key) ?? [];
    const now = open.get(s.key) ?? 0;
    if (list.length < MIN_STAGE_SAMPLES) return { stage: s.key, open: now, usual: null, factor: 1 };
    const oldest = Math.min(...list.map((v) => v.exitedMs));
    const spanHours = Math.max(1, (window.toMs - Math.max(window.fromMs, oldest)) / 3_600_000);
    const meanHours = list.reduce((a, v) => a + v.calendarHours, 0) / list.length;
    const usual = (list.length / spanHours) * meanHours;
    const factor = usual > 0 ? Math.min(MAX_QUEUE_FACTOR, Math.max(1, now / usual)) : 1;
    return { stage: s.key, open: now, usual, factor };
  });
}

/**
 * Working hours a new order entering the first stage now needs, 50% and 85% sure: exactly the eta an order
 * that has just entered the first stage gets, from the same model (with its queue factors).
 */
export function quoteHours(model: ForecastModel): RemainingHours | null {
  return remainingHours(model, model.first, 0);
}
