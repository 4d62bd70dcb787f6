// The cumulative flow diagram: how many orders sat in each stage at the end of each day, and how many were done.
import type { WorkflowDefinition } from '../workflow.ts';
import type { StageDay } from './facts.ts';
import { type DateRange, daysOf } from './range.ts';

export interface FlowBand {
  stage: string;
  label: string;
  /** One count per day of the period: orders in the stage at the day's end (the final stage: completed since the period began). */
  counts: number[];
}

export interface CumulativeFlow {
  days: string[];
  stages: FlowBand[];
}

/**
 * Orders in each stage at the end of each day: everything that entered the stage up to that day
 * minus what left it (moved on, sent back or cancelled). The final stage is never left, so its
 * band counts completions from the first day of the period: stacked, the bands rise by what
 * arrives and the top band by what is done. Pass every stage-day up to the range's end.
 */
export function cumulativeFlow(wf: WorkflowDefinition, days: StageDay[], range: DateRange): CumulativeFlow {
  const dates = daysOf(range);
  const index = new Map(dates.map((d, i) => [d, i]));
  const final = wf.stages[wf.stages.length - 1]!.key;
  const bands = new Map(wf.stages.map((s) => [s.key, { start: 0, deltas: new Array<number>(dates.length).fill(0) }]));
  for (const d of days) {
    const band = bands.get(d.stage);
    if (!band || d.day > range.to) continue;
    const change = d.stage === final ? d.entered : d.entered - d.exited - d.cancelled;
    const i = index.get(d.day);
    if (i !== undefined) band.deltas[i]! += change;
    else if (d.stage !== final) band.start += change;
  }
  return {
    days: dates,
    stages: wf.stages.map((s) => {
      const band = bands.get(s.key)!;
      let running = band.start;
      return { stage: s.key, label: s.label, counts: band.deltas.map((delta) => (running += delta)) };
    }),
  };
}
