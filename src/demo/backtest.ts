// The forecast backtest: forecasts made at a cutoff from the history before it, checked against how the orders really ended.
import { buildForecastModel, remainingHours, type StageSample } from '../domain/metrics/forecast.ts';
import { seededRandom } from '../domain/metrics/random.ts';
import type { WorkingTime } from '../domain/metrics/working-time.ts';
import type { WorkflowDefinition } from '../domain/workflow.ts';
import type { OrderPlan } from './history.ts';

const DAY = 86_400_000;

export interface Backtest {
  /** Orders open (and not on hold) at the cutoff that were completed afterwards, and had a forecast. */
  orders: number;
  /** Shares of them done by their p50 instant, their p85 instant, and by the end of their p85 date. */
  p50: number;
  p85: number;
  p85Date: number;
}

/** The samples a forecast made at `cutoff` would see: visits that ended in the 180 days before, the newest 1,000 per stage. */
export function samplesAt(plans: OrderPlan[], cutoff: number, time: WorkingTime): Map<string, StageSample[]> {
  const samples = new Map<string, StageSample[]>();
  for (const p of plans) {
    for (let i = 0; i + 1 < p.steps.length; i++) {
      const a = p.steps[i]!;
      const b = p.steps[i + 1]!;
      if (b.enteredMs > cutoff || b.enteredMs < cutoff - 180 * DAY) continue;
      const list = samples.get(a.stage) ?? [];
      list.push({
        workingHours: time.hoursBetween(a.enteredMs, b.enteredMs),
        calendarHours: (b.enteredMs - a.enteredMs) / 3.6e6,
        next: b.stage,
        orderId: p.id,
        exitedMs: b.enteredMs,
      });
      samples.set(a.stage, list);
    }
  }
  for (const [k, list] of samples) samples.set(k, list.sort((x, y) => y.exitedMs - x.exitedMs).slice(0, 1000));
  return samples;
}

/** Of the orders open at `cutoff` that completed afterwards, the share done by their p50 and p85 instants and dates. */
export function backtest(wf: WorkflowDefinition, plans: OrderPlan[], cutoff: number, time: WorkingTime): Backtest {
  const model = buildForecastModel(wf, samplesAt(plans, cutoff, time), seededRandom(1));
  let n = 0;
  const hits = { p50: 0, p85: 0, p85Date: 0 };
  for (const p of plans) {
    if (p.createdMs > cutoff || p.ending !== 'completed' || p.endMs <= cutoff) continue;
    const current = p.steps.filter((s) => s.enteredMs <= cutoff).at(-1)!;
    if (current.hold && current.hold.fromMs <= cutoff && current.hold.toMs > cutoff) continue;
    const r = remainingHours(model, current.stage, time.hoursBetween(current.enteredMs, cutoff));
    if (!r) continue;
    n++;
    const p85 = time.addHours(cutoff, r.p85);
    if (p.endMs <= time.addHours(cutoff, r.p50)) hits.p50++;
    if (p.endMs <= p85) hits.p85++;
    if (time.localDate(p.endMs) <= time.localDate(p85)) hits.p85Date++;
  }
  return { orders: n, p50: hits.p50 / n, p85: hits.p85 / n, p85Date: hits.p85Date / n };
}
