// The forecast on generated histories whose stage times are known: its 85% dates must come true for about 85% of orders.
import { describe, expect, it } from 'vitest';
import { apparelHistory } from '../../demo/apparel-history.ts';
import { backtest, samplesAt } from '../../demo/backtest.ts';
import { CUSTOM_APPAREL } from '../../demo/custom-apparel.ts';
import { planHistory } from '../../demo/history.ts';
import { buildForecastModel, queueLoad, quoteHours, remainingHours } from './forecast.ts';
import { seededRandom } from './random.ts';
import { WorkingTime } from './working-time.ts';

const DAY = 86_400_000;

describe('the delivery forecast', () => {
  const profile = apparelHistory({ ordersPerWorkingDay: 40, seed: 11 });
  const time = WorkingTime.of(profile.calendar);
  const cutoff = Date.parse('2026-06-16T13:30:00Z');
  const plans = planHistory(profile, cutoff - 200 * DAY, cutoff + DAY);

  it('covers about 85% of the orders completed after it was made with its p85 date, and about half with p50', () => {
    const result = backtest(CUSTOM_APPAREL, plans, cutoff, time);
    expect(result.orders).toBeGreaterThan(300);
    expect(result.p85).toBeGreaterThanOrEqual(0.78);
    expect(result.p85).toBeLessThanOrEqual(0.92);
    expect(result.p50).toBeGreaterThan(0.4);
    expect(result.p50).toBeLessThan(0.6);
  });

  it('repeats exactly with the same seed', () => {
    const samples = samplesAt(plans, cutoff, time);
    const a = buildForecastModel(CUSTOM_APPAREL, samples, seededRandom(3));
    const b = buildForecastModel(CUSTOM_APPAREL, samples, seededRandom(3));
    expect(remainingHours(a, 'on_press', 2)).toEqual(remainingHours(b, 'on_press', 2));
  });

  it('expects less to come the longer an order has already been in its stage, but never less than nothing', () => {
    const model = buildForecastModel(CUSTOM_APPAREL, samplesAt(plans, cutoff, time), seededRandom(3));
    const fresh = remainingHours(model, 'scheduled', 0)!;
    const later = remainingHours(model, 'scheduled', 8)!;
    expect(later.p50).toBeLessThan(fresh.p50);
    expect(later.p50).toBeGreaterThan(0);
    expect(fresh.p50).toBeLessThanOrEqual(fresh.p85);
    expect(remainingHours(model, 'delivered', 0)).toEqual({ p50: 0, p85: 0 });
  });

  it('gives no forecast through a stage without history', () => {
    const samples = samplesAt(plans, cutoff, time);
    samples.set('shipped', samples.get('shipped')!.slice(0, 3));
    const model = buildForecastModel(CUSTOM_APPAREL, samples, seededRandom(3));
    expect(remainingHours(model, 'received', 0)).toBeNull();
    expect(remainingHours(model, 'shipped', 0)).toBeNull();
  });

  it('quotes later when stages hold more orders than they usually do, and so are the orders before them', () => {
    const samples = samplesAt(plans, cutoff, time);
    const window = { fromMs: cutoff - 180 * DAY, toMs: cutoff };
    const usual = queueLoad(CUSTOM_APPAREL, samples, new Map(), window);
    expect(usual.every((l) => l.factor === 1)).toBe(true);
    const busy = queueLoad(CUSTOM_APPAREL, samples, new Map([['scheduled', 500]]), window);
    expect(busy.find((l) => l.stage === 'scheduled')!.factor).toBe(4);
    const calmModel = buildForecastModel(CUSTOM_APPAREL, samples, seededRandom(3), usual);
    const busyModel = buildForecastModel(CUSTOM_APPAREL, samples, seededRandom(3), busy);
    expect(quoteHours(busyModel)!.p50).toBeGreaterThan(quoteHours(calmModel)!.p50);
    expect(remainingHours(busyModel, 'supplier_confirmation', 2)!.p50).toBeGreaterThan(
      remainingHours(calmModel, 'supplier_confirmation', 2)!.p50,
    );
  });

  it('quotes a new order exactly as the eta of one entering the first stage, and never after one further on', () => {
    const samples = samplesAt(plans, cutoff, time);
    const window = { fromMs: cutoff - 180 * DAY, toMs: cutoff };
    for (const open of [new Map<string, number>(), new Map([['on_press', 40]]), new Map([['received', 30]])]) {
      const model = buildForecastModel(
        CUSTOM_APPAREL,
        samples,
        seededRandom(9),
        queueLoad(CUSTOM_APPAREL, samples, open, window),
      );
      const quote = quoteHours(model)!;
      expect(quote).toEqual(remainingHours(model, 'received', 0));
      let previous = quote;
      for (const stage of CUSTOM_APPAREL.stages.slice(1).map((s) => s.key)) {
        const entering = remainingHours(model, stage, 0)!;
        expect(entering.p50, stage).toBeLessThanOrEqual(previous.p50);
        expect(entering.p85, stage).toBeLessThanOrEqual(previous.p85);
        previous = entering;
      }
    }
  });
});
