// Capacity: orders each stage finishes per week, and the work waiting in it now against that pace.
import type { WorkflowDefinition } from '../workflow.ts';
import type { StageDay } from './facts.ts';
import { type DateRange, weeksOf } from './range.ts';
import { weekStart } from './working-time.ts';

export interface StageCapacity {
  stage: string;
  label: string;
  /** Orders that left the stage (or, for the final stage, were completed) in each week. */
  perWeek: number[];
  averagePerWeek: number;
  /** Open orders in the stage now. */
  open: number;
  /** Weeks the open orders take at the average pace; null when the stage finished none. */
  weeksOfWork: number | null;
}

export interface CapacityReport {
  weeks: string[];
  stages: StageCapacity[];
  completedPerWeek: number[];
}

/** `range` should cover whole weeks (Monday to Sunday) so every week counts the same. */
export function capacityOf(
  wf: WorkflowDefinition,
  days: StageDay[],
  open: Map<string, number>,
  range: DateRange,
): CapacityReport {
  const weeks = weeksOf(range);
  const index = new Map(weeks.map((w, i) => [w, i]));
  const final = wf.stages[wf.stages.length - 1]!.key;
  const per = new Map(wf.stages.map((s) => [s.key, new Array<number>(weeks.length).fill(0)]));
  for (const d of days) {
    if (d.day < range.from || d.day > range.to) continue;
    const row = per.get(d.stage);
    const i = index.get(weekStart(d.day));
    if (!row || i === undefined) continue;
    row[i]! += d.stage === final ? d.entered : d.exited;
  }
  const stages = wf.stages.map((s) => {
    const perWeek = per.get(s.key)!;
    const average = weeks.length ? perWeek.reduce((a, b) => a + b, 0) / weeks.length : 0;
    const waiting = s.key === final ? 0 : (open.get(s.key) ?? 0);
    return {
      stage: s.key,
      label: s.label,
      perWeek,
      averagePerWeek: average,
      open: waiting,
      weeksOfWork: average > 0 ? waiting / average : waiting > 0 ? null : 0,
    };
  });
  return { weeks, stages, completedPerWeek: per.get(final)! };
}
