// The shop's pace: the median working time each stage takes, and what it says about when an order will finish.
import { addWorkingHours, type BusinessCalendar, workingHoursBetween } from './calendar.ts';
import { stageIndex, type WorkflowDefinition } from './workflow.ts';

/** Median working hours an order spends in each stage (by stage key), for one workflow. */
export type StagePace = ReadonlyMap<string, number>;
/** Stage paces by workflow key. */
export type PaceBook = ReadonlyMap<string, StagePace>;

/** The middle value (the mean of the two middle ones for an even count); null for no values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Working hours an order still needs at `now`: what its current stage usually takes beyond the
 * time already spent there, plus the usual time of every later stage up to the final one (entering
 * the final stage completes the order). Null when the workflow has no history to go by; a stage
 * without history counts as taking no time, so the estimate errs towards "on time".
 */
export function remainingWorkingHours(
  order: { stage: string; stageEnteredAt: string },
  wf: WorkflowDefinition,
  now: Date,
  cal: BusinessCalendar,
  pace: StagePace | undefined,
): number | null {
  if (!pace || pace.size === 0) return null;
  const i = stageIndex(wf, order.stage);
  if (i < 0) return null;
  const spent = workingHoursBetween(cal, new Date(order.stageEnteredAt), now);
  let remaining = Math.max(0, (pace.get(order.stage) ?? 0) - spent);
  for (const stage of wf.stages.slice(i + 1, -1)) remaining += pace.get(stage.key) ?? 0;
  return remaining;
}

/** When the order will reach its final stage at the current pace, or null when there is no history. */
export function expectedCompletion(
  order: { stage: string; stageEnteredAt: string },
  wf: WorkflowDefinition,
  now: Date,
  cal: BusinessCalendar,
  pace: StagePace | undefined,
): Date | null {
  const hours = remainingWorkingHours(order, wf, now, cal, pace);
  if (hours === null) return null;
  // Nothing left but the move itself: it can happen now, even outside opening hours.
  return hours <= 0 ? now : addWorkingHours(cal, now, hours);
}
