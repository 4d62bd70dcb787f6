// Work in progress and its age: each open order's time in its stage against that stage's usual times.
import type { OrderState, Priority } from '../order.ts';
import type { WorkflowDefinition } from '../workflow.ts';
import { DAY_MS, HOUR_MS } from './percentiles.ts';
import type { WorkingTime } from './working-time.ts';

export interface OpenOrder {
  id: string;
  number: string;
  title: string;
  customerName: string;
  state: OrderState;
  stage: string;
  stageEnteredAt: string;
  createdAt: string;
  dueDate: string | null;
  priority: Priority;
}

/** Working hours a stage usually takes: its median and 85th percentile. */
export interface StagePercentiles {
  p50: number;
  p85: number;
}

/** Where an order's age in its stage falls: within the median, between median and p85, past p85, or no history to say. */
export type AgeBand = 'within-p50' | 'p50-p85' | 'over-p85' | 'no-history';

export interface AgedOrder extends OpenOrder {
  stageLabel: string;
  ageInStageWorkingHours: number;
  ageInStageCalendarHours: number;
  ageDays: number;
  stageP50WorkingHours: number | null;
  stageP85WorkingHours: number | null;
  band: AgeBand;
}

export interface StageWip {
  stage: string;
  label: string;
  count: number;
  p50WorkingHours: number | null;
  p85WorkingHours: number | null;
  overP50: number;
  overP85: number;
}

export interface AgingReport {
  asOf: string;
  total: number;
  stages: StageWip[];
  /** Oldest against its stage first: most over p85, then the rest. */
  orders: AgedOrder[];
}

export function ageBand(hours: number, p: StagePercentiles | undefined): AgeBand {
  if (!p) return 'no-history';
  if (hours > p.p85) return 'over-p85';
  if (hours > p.p50) return 'p50-p85';
  return 'within-p50';
}

export function agingOf(
  wf: WorkflowDefinition,
  orders: OpenOrder[],
  usual: Map<string, StagePercentiles>,
  now: Date,
  time: WorkingTime,
): AgingReport {
  const nowMs = now.getTime();
  const stages = new Map<string, StageWip>(
    wf.stages.map((s) => {
      const p = usual.get(s.key);
      return [
        s.key,
        {
          stage: s.key,
          label: s.label,
          count: 0,
          p50WorkingHours: p?.p50 ?? null,
          p85WorkingHours: p?.p85 ?? null,
          overP50: 0,
          overP85: 0,
        },
      ];
    }),
  );
  const aged: AgedOrder[] = orders.map((o) => {
    const entered = Date.parse(o.stageEnteredAt);
    const working = time.msBetween(entered, nowMs) / HOUR_MS;
    const p = usual.get(o.stage);
    const band = ageBand(working, p);
    const wip = stages.get(o.stage);
    if (wip) {
      wip.count += 1;
      if (band === 'over-p85') wip.overP85 += 1;
      if (band === 'over-p85' || band === 'p50-p85') wip.overP50 += 1;
    }
    return {
      ...o,
      stageLabel: wip?.label ?? o.stage,
      ageInStageWorkingHours: working,
      ageInStageCalendarHours: Math.max(0, nowMs - entered) / HOUR_MS,
      ageDays: Math.max(0, nowMs - Date.parse(o.createdAt)) / DAY_MS,
      stageP50WorkingHours: p?.p50 ?? null,
      stageP85WorkingHours: p?.p85 ?? null,
      band,
    };
  });
  const over = (o: AgedOrder) => (o.stageP85WorkingHours ? o.ageInStageWorkingHours / Math.max(o.stageP85WorkingHours, 1e-9) : 0);
  aged.sort(
    (a, b) => over(b) - over(a) || b.ageInStageWorkingHours - a.ageInStageWorkingHours || a.number.localeCompare(b.number),
  );
  return { asOf: now.toISOString(), total: aged.length, stages: [...stages.values()], orders: aged };
}
