// Time in each stage (working and calendar, median and 85th percentile) and the bottleneck: where orders wait longest.
import type { WorkflowDefinition } from '../workflow.ts';
import type { StageDay } from './facts.ts';
import { HOUR_MS, type Summary, scaleSummary, summarizeUnsorted } from './percentiles.ts';
import { type DateRange, inRange } from './range.ts';

export interface StageTime {
  stage: string;
  label: string;
  /** Visits that left the stage in the period. */
  visits: number;
  workingHours: Summary | null;
  calendarHours: Summary | null;
}

export interface Bottleneck {
  stage: string;
  label: string;
  medianWorkingHours: number;
  why: string;
}

export interface StageTimeReport {
  stages: StageTime[];
  bottleneck: Bottleneck | null;
}

/**
 * Stage times of the visits that left each stage (by a move) in the range. The final stage is
 * never left, so it has no time. The bottleneck is the stage with the longest median working
 * time (then the longest 85th percentile): where a typical order waits longest.
 */
export function stageTimes(wf: WorkflowDefinition, days: StageDay[], range: DateRange, calendarWanted = true): StageTimeReport {
  const open = wf.stages.slice(0, -1);
  // One typed array per stage and clock, filled in place: a year of history is a million durations.
  const sizes = new Map(open.map((s) => [s.key, 0]));
  for (const d of days)
    if (sizes.has(d.stage) && inRange(range, d.day)) sizes.set(d.stage, sizes.get(d.stage)! + d.working.length);
  const pooled = new Map(
    open.map((s) => [
      s.key,
      { working: new Float64Array(sizes.get(s.key)!), calendar: new Float64Array(sizes.get(s.key)!), at: 0 },
    ]),
  );
  for (const d of days) {
    const p = pooled.get(d.stage);
    if (!p || !inRange(range, d.day)) continue;
    p.working.set(d.working, p.at);
    if (calendarWanted) p.calendar.set(d.calendar, p.at);
    p.at += d.working.length;
  }
  const stages = open.map((s) => {
    const p = pooled.get(s.key)!;
    const toHours = (ms: number) => ms / HOUR_MS;
    return {
      stage: s.key,
      label: s.label,
      visits: p.working.length,
      workingHours: scaleSummary(summarizeUnsorted(p.working), toHours),
      calendarHours: calendarWanted ? scaleSummary(summarizeUnsorted(p.calendar), toHours) : null,
    };
  });
  let worst: StageTime | null = null;
  for (const s of stages) {
    if (!s.workingHours) continue;
    if (
      !worst?.workingHours ||
      s.workingHours.p50 > worst.workingHours.p50 ||
      (s.workingHours.p50 === worst.workingHours.p50 && s.workingHours.p85 > worst.workingHours.p85)
    ) {
      worst = s;
    }
  }
  const bottleneck = worst?.workingHours
    ? {
        stage: worst.stage,
        label: worst.label,
        medianWorkingHours: worst.workingHours.p50,
        why: `Orders spend longest in ${worst.label}: a median of ${formatHours(worst.workingHours.p50)} working, 85% within ${formatHours(worst.workingHours.p85)}`,
      }
    : null;
  return { stages, bottleneck };
}

export function formatHours(h: number): string {
  return h >= 10 ? `${Math.round(h)} h` : `${Math.round(h * 10) / 10} h`;
}
