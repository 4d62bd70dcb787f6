// Reports and forecasts on the short history a shop brings when it starts: six weeks of orders, not months.
// The quote names the real first date, agrees with the etas of the board, and reports start at the first order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetForecasts } from '../../src/app/reports/forecasts.ts';
import { apparelHistory } from '../../src/demo/apparel-history.ts';
import { HISTORY_ACTOR, planHistory } from '../../src/demo/history.ts';
import { mediumDay } from '../../src/domain/date-format.ts';
import { insertHistory } from '../../src/store/bulk-history.ts';
import { type Harness, json, newOrder, startHarness } from '../support/harness.ts';

const NOW = '2026-12-01T15:00:00.000Z';
const WF = 'custom-apparel';
const STAGES = [
  'received',
  'proof_approval',
  'supplier_confirmation',
  'scheduled',
  'on_press',
  'quality_check',
  'ready_for_dispatch',
  'shipped',
  'delivered',
];

let h: Harness;
let firstDay: string;
beforeAll(async () => {
  h = await startHarness();
  const now = Date.parse(NOW);
  const plans = planHistory(apparelHistory({ ordersPerWorkingDay: 6, seed: 11 }), now - 42 * 86_400_000, now);
  await insertHistory(h.db, plans, now, HISTORY_ACTOR);
  h.clock.set(NOW);
  forgetForecasts(h.db);
  const first = await h.db.kysely
    .selectFrom('orders')
    .select((eb) => eb.fn.min('created_at').as('at'))
    .where('workflow', '=', WF)
    .executeTakeFirstOrThrow();
  firstDay = String(first.at).slice(0, 10);
}, 120_000);
afterAll(() => h.close());

async function get<T>(path: string): Promise<T> {
  const res = await h.as('manager').get(path);
  expect(res.statusCode, res.body).toBe(200);
  return json<T>(res);
}

interface Quote {
  enoughHistory: boolean;
  p50: string;
  p85: string;
  message: string;
  basedOn: { orders: number; since: string };
}

// The harness's workspace: British English in UTC; the quote is written the way the app writes dates.
const longDate = (d: string) => mediumDay(d, { locale: 'en-GB', timeZone: 'UTC' }, Date.parse(NOW));

describe('on six weeks of history', () => {
  it('the quote says the history starts when it really does', async () => {
    expect(firstDay > '2026-10-15').toBe(true);
    const q = await get<Quote>(`/forecast/quote?workflow=${WF}`);
    expect(q.enoughHistory).toBe(true);
    expect(q.basedOn.since).toBe(firstDay);
    expect(q.message).toContain(`since ${longDate(firstDay)}`);
  });

  it('the quote for a new order is the eta the new order gets, and no order further on is expected later', async () => {
    const q = await get<Quote>(`/forecast/quote?workflow=${WF}`);
    const created = await h.as('sales').post('/orders', newOrder({ dueDate: '2027-06-30' }));
    expect(created.statusCode, created.body).toBe(201);
    const eta = json<{ eta: { p50: string; p85: string } }>(created).eta;
    expect(eta).toEqual({ p50: q.p50, p85: q.p85 });

    for (const stage of STAGES.slice(1, -1)) {
      const { number } = json<{ number: string }>(await h.as('sales').post('/orders', newOrder({ dueDate: '2027-06-30' })));
      const moved = await h.as('manager').post(`/orders/${number}/transitions`, { to: stage, reason: 'Already further on' });
      expect(moved.statusCode, moved.body).toBe(200);
      const further = json<{ eta: { p50: string; p85: string } | null }>(moved).eta;
      expect(further, stage).not.toBeNull();
      expect(further!.p50 <= q.p50, `${stage}: ${further!.p50} after the quote's ${q.p50}`).toBe(true);
      expect(further!.p85 <= q.p85, `${stage}: ${further!.p85} after the quote's ${q.p85}`).toBe(true);
    }
  });

  it("the reports' default period starts at the first order, not with empty weeks before it", async () => {
    const r = await get<{ scope: { from: string; to: string }; weeks: Array<{ week: string; completed: number }> }>(
      `/reports/throughput?workflow=${WF}`,
    );
    expect(r.scope).toMatchObject({ from: firstDay, to: '2026-12-01' });
    expect(r.weeks[0]!.week <= firstDay).toBe(true);
    expect(r.weeks.every((w) => w.week > '2026-10-12')).toBe(true);
    // A period asked for is kept as asked, empty weeks and all.
    const asked = await get<{ scope: { from: string } }>(`/reports/throughput?workflow=${WF}&from=2026-09-01`);
    expect(asked.scope.from).toBe('2026-09-01');
  });
});
