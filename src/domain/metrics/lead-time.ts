// Lead time (created to completed) and cycle time (first production stage to completed): distributions and their trend.
import type { StageDef, WorkflowDefinition } from '../workflow.ts';
import { type CompletionDay, cycleStartAmong } from './facts.ts';
import { DAY_MS, HOUR_MS, percentileOfSorted, type Summary, scaleSummary, summarizeSorted } from './percentiles.ts';
import { type DateRange, inRange, weeksOf } from './range.ts';
import { type WorkingTime, weekStart } from './working-time.ts';

export interface CompletedOrder {
  createdMs: number;
  completedMs: number;
  completedDate: string;
  /** Epoch ms each stage was first entered. */
  firstEntries: Record<string, number>;
}

/**
 * Where cycle time starts: the workflow's first stage owned by production (the work itself
 * begins there); a workflow without one starts it at its second stage.
 */
export function cycleStartStage(wf: WorkflowDefinition): StageDef {
  return wf.stages.find((s) => s.ownerRole === 'production') ?? wf.stages[1] ?? wf.stages[0]!;
}

/** The stages whose first entry starts an order's cycle: the cycle-start stage and every later one. */
export function cycleStages(wf: WorkflowDefinition): string[] {
  return wf.stages.slice(wf.stages.indexOf(cycleStartStage(wf))).map((s) => s.key);
}

export interface HistogramBin {
  /** Days, lower bound included. */
  fromDays: number;
  /** Days, upper bound excluded. */
  toDays: number;
  count: number;
}

export interface Distribution {
  /** Calendar days. */
  days: Summary | null;
  /** Working hours on the business calendar. */
  workingHours: Summary | null;
  histogram: HistogramBin[];
}

export interface LeadTimeWeek {
  week: string;
  completed: number;
  leadP50Days: number | null;
  leadP85Days: number | null;
  cycleP50Days: number | null;
  cycleP85Days: number | null;
}

export interface LeadTimeReport {
  completed: number;
  cycleStartStage: string;
  leadTime: Distribution;
  cycleTime: Distribution;
  trend: LeadTimeWeek[];
}

/** Whole-day bins, widened so there are at most `maxBins`. */
export function histogram(sortedDays: ArrayLike<number>, maxBins = 30): HistogramBin[] {
  const n = sortedDays.length;
  if (n === 0) return [];
  const max = sortedDays[n - 1]!;
  const width = Math.max(1, Math.ceil((Math.floor(max) + 1) / maxBins));
  const bins: HistogramBin[] = [];
  for (let from = 0; from <= max; from += width) bins.push({ fromDays: from, toDays: from + width, count: 0 });
  for (let i = 0; i < n; i++) bins[Math.min(bins.length - 1, Math.floor(sortedDays[i]! / width))]!.count += 1;
  return bins;
}

/** From ascending calendar and working ms. */
function distribution(calendarMs: Float64Array, workingMs: Float64Array): Distribution {
  const days = calendarMs.map((ms) => ms / DAY_MS);
  return {
    days: summarizeSorted(days),
    workingHours: scaleSummary(summarizeSorted(workingMs), (ms) => ms / HOUR_MS),
    histogram: histogram(days),
  };
}

/** Lead and cycle time of the orders completed in the range, from their completion days. */
export function leadTimes(wf: WorkflowDefinition, days: CompletionDay[], range: DateRange): LeadTimeReport {
  const inside = days.filter((d) => inRange(range, d.day));
  const byWeek = new Map<string, CompletionDay[]>(weeksOf(range).map((w) => [w, []]));
  for (const d of inside) byWeek.get(weekStart(d.day))!.push(d);
  const lead = pool(inside, (d) => d.lead);
  const cycle = pool(inside, (d) => d.cycle);
  const p = (sorted: Float64Array, q: number) => (sorted.length ? percentileOfSorted(sorted, q)! / DAY_MS : null);
  return {
    completed: lead.length,
    cycleStartStage: cycleStartStage(wf).key,
    leadTime: distribution(
      lead,
      pool(inside, (d) => d.leadWorking),
    ),
    cycleTime: distribution(
      cycle,
      pool(inside, (d) => d.cycleWorking),
    ),
    trend: [...byWeek].map(([week, list]) => {
      const l = pool(list, (d) => d.lead);
      const c = pool(list, (d) => d.cycle);
      return {
        week,
        completed: l.length,
        leadP50Days: p(l, 0.5),
        leadP85Days: p(l, 0.85),
        cycleP50Days: p(c, 0.5),
        cycleP85Days: p(c, 0.85),
      };
    }),
  };
}

/** One ascending array of the values `pick` gives of every day (unknown values, NaN, left out). */
function pool(days: CompletionDay[], pick: (d: CompletionDay) => ArrayLike<number>): Float64Array {
  let n = 0;
  for (const d of days) n += pick(d).length;
  const out = new Float64Array(n);
  let at = 0;
  for (const d of days) {
    const values = pick(d);
    for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) out[at++] = values[i]!;
  }
  return out.subarray(0, at).sort();
}

/** Completion days made from single orders (one customer's): what the stored aggregate holds for everyone. */
export function completionDaysOf(wf: WorkflowDefinition, orders: CompletedOrder[], time: WorkingTime): CompletionDay[] {
  const stages = new Set(cycleStages(wf));
  const days = new Map<
    string,
    CompletionDay & { lead: number[]; leadWorking: number[]; cycle: number[]; cycleWorking: number[] }
  >();
  for (const o of orders) {
    let d = days.get(o.completedDate);
    if (!d) {
      d = { workflow: wf.key, priority: 'normal', day: o.completedDate, lead: [], leadWorking: [], cycle: [], cycleWorking: [] };
      days.set(o.completedDate, d);
    }
    const start = cycleStartAmong(o.firstEntries, stages);
    d.lead.push(o.completedMs - o.createdMs);
    d.leadWorking.push(time.msBetween(o.createdMs, o.completedMs));
    d.cycle.push(start === null ? Number.NaN : o.completedMs - start);
    d.cycleWorking.push(start === null ? Number.NaN : time.msBetween(start, o.completedMs));
  }
  return [...days.values()];
}
