// Every report on a generated history of 10,000 orders, against an independent computation: straight SQL over the
// base tables (orders, stage_visits, events) and calendar.ts for working time, never the insight facts.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetForecasts } from '../../src/app/reports/forecasts.ts';
import { apparelHistory } from '../../src/demo/apparel-history.ts';
import { HISTORY_ACTOR, planHistory } from '../../src/demo/history.ts';
import { DEFAULT_CALENDAR, workingHoursBetween } from '../../src/domain/calendar.ts';
import { insertHistory } from '../../src/store/bulk-history.ts';
import { type Harness, json, newOrder, startHarness } from '../support/harness.ts';

const NOW = '2026-11-24T15:00:00.000Z';
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
const FROM = '2026-06-01';
const TO = '2026-11-24';
const RANGE = `workflow=${WF}&from=${FROM}&to=${TO}`;

let h: Harness;
let customer: string;
beforeAll(async () => {
  h = await startHarness();
  const now = Date.parse(NOW);
  const plans = planHistory(apparelHistory({ ordersPerWorkingDay: 58, seed: 7 }), now - 250 * 86_400_000, now).slice(0, 10_000);
  await insertHistory(h.db, plans, now, HISTORY_ACTOR);
  h.clock.set(NOW);
  // Some open orders change priority after visits were counted: reports go by the priority now.
  const open = await h.db.kysely
    .selectFrom('orders')
    .select('number')
    .where('state', '=', 'active')
    .orderBy('number')
    .limit(30)
    .execute();
  for (const o of open) {
    const res = await h.as('manager').patch(`/orders/${o.number}`, { priority: 'rush' });
    expect(res.statusCode, res.body).toBe(200);
  }
  customer = plans[0]!.customer.name;
  forgetForecasts(h.db);
}, 300_000);
afterAll(() => h.close());

/** Interpolated percentile of ascending values: the definition every report uses. */
function pct(sorted: number[], p: number): number {
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
const asc = (xs: number[]) => [...xs].sort((a, b) => a - b);
const wh = (a: string, b: string) => workingHoursBetween(DEFAULT_CALENDAR, new Date(a), new Date(b));
const monday = (d: string) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return new Date(t - ((new Date(t).getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
};
const isPg = () => h.db.dialect === 'postgres';

async function get<T>(path: string): Promise<T> {
  const res = await h.as('manager').get(path);
  expect(res.statusCode, res.body).toBe(200);
  return json<T>(res);
}

describe('on 10,000 generated orders, every report agrees with straight SQL', () => {
  it('throughput', async () => {
    for (const filter of ['', `&customer=${encodeURIComponent(customer.toUpperCase())}`, '&priority=rush']) {
      const r = await get<{ weeks: Array<{ week: string; started: number; completed: number }> }>(
        `/reports/throughput?${RANGE}${filter}`,
      );
      let q = h.db.kysely.selectFrom('orders').select(['created_at', 'completed_at']).where('workflow', '=', WF);
      if (filter.includes('customer')) q = q.where('customer_name', '=', customer);
      if (filter.includes('rush')) q = q.where('priority', '=', 'rush');
      const rows = await q.execute();
      const weeks = new Map<string, { started: number; completed: number }>();
      for (const w of r.weeks) weeks.set(w.week, { started: 0, completed: 0 });
      for (const o of rows) {
        const c = o.created_at.slice(0, 10);
        if (c >= FROM && c <= TO) weeks.get(monday(c))!.started += 1;
        const d = o.completed_at?.slice(0, 10);
        if (d && d >= FROM && d <= TO) weeks.get(monday(d))!.completed += 1;
      }
      expect(r.weeks, filter).toEqual([...weeks].map(([week, v]) => ({ week, ...v })));
      expect(r.weeks.reduce((a, w) => a + w.completed, 0)).toBeGreaterThan(filter ? 10 : 4000);
    }
  });

  it('lead time and cycle time', async () => {
    const r = await get<{
      leadTime: { days: Record<string, number>; workingHours: Record<string, number> };
      cycleTime: { days: Record<string, number>; workingHours: Record<string, number> };
    }>(`/reports/lead-time?${RANGE}`);
    const orders = await h.db.kysely
      .selectFrom('orders')
      .select(['id', 'created_at', 'completed_at'])
      .where('workflow', '=', WF)
      .where('completed_at', '>=', `${FROM}T00:00:00`)
      .where('completed_at', '<', '2026-11-25T00:00:00')
      .execute();
    const cycleStages = STAGES.slice(STAGES.indexOf('scheduled'));
    const starts = await h.db.kysely
      .selectFrom('stage_visits')
      .select(['order_id', (eb) => eb.fn.min('entered_at').as('at')])
      .where('stage', 'in', cycleStages)
      .groupBy('order_id')
      .execute();
    const startOf = new Map(starts.map((s) => [s.order_id, String(s.at)]));
    const leadDays = asc(orders.map((o) => (Date.parse(o.completed_at!) - Date.parse(o.created_at)) / 86_400_000));
    const leadWork = asc(orders.map((o) => wh(o.created_at, o.completed_at!)));
    const cycleDays = asc(orders.map((o) => (Date.parse(o.completed_at!) - Date.parse(startOf.get(o.id)!)) / 86_400_000));
    const cycleWork = asc(orders.map((o) => wh(startOf.get(o.id)!, o.completed_at!)));
    expect(r.leadTime.days.count).toBe(orders.length);
    for (const [p, key] of [
      [0.5, 'p50'],
      [0.85, 'p85'],
      [0.95, 'p95'],
    ] as const) {
      expect(r.leadTime.days[key]).toBeCloseTo(pct(leadDays, p), 3);
      expect(r.leadTime.workingHours[key]).toBeCloseTo(pct(leadWork, p), 3);
      expect(r.cycleTime.days[key]).toBeCloseTo(pct(cycleDays, p), 3);
      expect(r.cycleTime.workingHours[key]).toBeCloseTo(pct(cycleWork, p), 3);
    }
  });

  it('time in stage, with percentiles computed by the database itself', async () => {
    for (const filter of ['', '&priority=rush', `&customer=${encodeURIComponent(customer)}`]) {
      const r = await get<{
        stages: Array<{
          stage: string;
          visits: number;
          workingHours: Record<string, number>;
          calendarHours: Record<string, number>;
        }>;
        bottleneck: { stage: string };
      }>(`/reports/stage-times?${RANGE}${filter}`);
      const hours = isPg()
        ? sql<number>`extract(epoch from (v.exited_at::timestamptz - v.entered_at::timestamptz)) / 3600`
        : sql<number>`(julianday(v.exited_at) - julianday(v.entered_at)) * 24`;
      const p = (q: number) =>
        isPg()
          ? sql<number>`percentile_cont(${sql.lit(q)}) within group (order by ${hours})`
          : sql<number>`percentile_cont(${hours}, ${sql.lit(q)})`;
      let q = h.db.kysely
        .selectFrom('stage_visits as v')
        .innerJoin('orders as o', 'o.id', 'v.order_id')
        .select(['v.stage', (eb) => eb.fn.countAll<number>().as('n'), p(0.5).as('p50'), p(0.85).as('p85')])
        .where('o.workflow', '=', WF)
        .where('v.exited_at', 'is not', null)
        .where('v.exited_at', '>=', `${FROM}T00:00:00`)
        .where('v.exited_at', '<', '2026-11-25T00:00:00');
      if (filter.includes('rush')) q = q.where('o.priority', '=', 'rush');
      if (filter.includes('customer')) q = q.where('o.customer_name', '=', customer);
      const bySql = new Map((await q.groupBy('v.stage').execute()).map((row) => [row.stage, row]));
      let visits = h.db.kysely
        .selectFrom('stage_visits as v')
        .innerJoin('orders as o', 'o.id', 'v.order_id')
        .select(['v.stage', 'v.entered_at', 'v.exited_at'])
        .where('o.workflow', '=', WF)
        .where('v.exited_at', '>=', `${FROM}T00:00:00`)
        .where('v.exited_at', '<', '2026-11-25T00:00:00');
      if (filter.includes('rush')) visits = visits.where('o.priority', '=', 'rush');
      if (filter.includes('customer')) visits = visits.where('o.customer_name', '=', customer);
      const working = new Map<string, number[]>();
      for (const v of await visits.execute())
        working.set(v.stage, [...(working.get(v.stage) ?? []), wh(v.entered_at, v.exited_at!)]);
      for (const s of r.stages) {
        const row = bySql.get(s.stage);
        expect(s.visits, `${filter} ${s.stage}`).toBe(Number(row?.n ?? 0));
        if (!row) continue;
        expect(s.calendarHours.p50).toBeCloseTo(Number(row.p50), 3);
        expect(s.calendarHours.p85).toBeCloseTo(Number(row.p85), 3);
        const w = asc(working.get(s.stage)!);
        expect(s.workingHours.p50).toBeCloseTo(pct(w, 0.5), 3);
        expect(s.workingHours.p85).toBeCloseTo(pct(w, 0.85), 3);
      }
      if (!filter) {
        const worst = [...working].map(([stage, w]) => ({ stage, p50: pct(asc(w), 0.5) })).sort((a, b) => b.p50 - a.p50)[0]!;
        expect(r.bottleneck.stage).toBe(worst.stage);
      }
    }
  });

  it('cumulative flow', async () => {
    const r = await get<{ days: string[]; stages: Array<{ stage: string; counts: number[] }> }>(`/reports/flow?${RANGE}`);
    for (const day of ['2026-06-01', '2026-08-15', '2026-10-31', '2026-11-24']) {
      const i = r.days.indexOf(day);
      const end = `${day}T24`;
      const rows = await h.db.kysely
        .selectFrom('stage_visits as v')
        .innerJoin('orders as o', 'o.id', 'v.order_id')
        .select(['v.stage', (eb) => eb.fn.countAll<number>().as('n')])
        .where('o.workflow', '=', WF)
        .where('v.entered_at', '<', end)
        .where((eb) => eb.or([eb('v.exited_at', 'is', null), eb('v.exited_at', '>=', end)]))
        // A cancelled order leaves the diagram when it is cancelled (its last visit stays open in stage_visits).
        .where((eb) =>
          eb.not(eb.and([eb('o.state', '=', 'cancelled'), eb('v.exited_at', 'is', null), eb('o.updated_at', '<', end)])),
        )
        .where('v.stage', '!=', 'delivered')
        .groupBy('v.stage')
        .execute();
      const expected = new Map(rows.map((row) => [row.stage, Number(row.n)]));
      const done = await h.db.kysely
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workflow', '=', WF)
        .where('completed_at', '>=', `${FROM}T00:00:00`)
        .where('completed_at', '<', end)
        .executeTakeFirstOrThrow();
      expected.set('delivered', Number(done.n));
      for (const s of r.stages) expect(s.counts[i], `${day} ${s.stage}`).toBe(expected.get(s.stage) ?? 0);
    }
  });

  it('work in progress and aging', async () => {
    const r = await get<{
      total: number;
      orders: Array<{
        number: string;
        stage: string;
        ageInStageWorkingHours: number;
        band: string;
        stageP85WorkingHours: number;
      }>;
    }>(`/reports/wip?${RANGE}`);
    const open = await h.db.kysely
      .selectFrom('orders')
      .select(['number', 'stage', 'stage_entered_at'])
      .where('workflow', '=', WF)
      .where('state', 'in', ['active', 'on_hold'])
      .execute();
    expect(r.total).toBe(open.length);
    const byNumber = new Map(r.orders.map((o) => [o.number, o]));
    for (const o of open) {
      const got = byNumber.get(o.number)!;
      const age = wh(o.stage_entered_at, NOW);
      expect(got.ageInStageWorkingHours).toBeCloseTo(age, 3);
      expect(got.band === 'over-p85').toBe(age > got.stageP85WorkingHours);
    }
  });

  it('on-time delivery', async () => {
    const r = await get<{
      completed: number;
      withDueDate: number;
      onTime: number;
      late: number;
      lateness: Record<string, number>;
    }>(`/reports/on-time?${RANGE}`);
    const rows = await h.db.kysely
      .selectFrom('orders')
      .select(['completed_at', 'due_date'])
      .where('workflow', '=', WF)
      .where('completed_at', '>=', `${FROM}T00:00:00`)
      .where('completed_at', '<', '2026-11-25T00:00:00')
      .execute();
    const dated = rows.filter((o) => o.due_date);
    const late = asc(
      dated.map((o) => (Date.parse(o.completed_at!.slice(0, 10)) - Date.parse(o.due_date!)) / 86_400_000).filter((d) => d > 0),
    );
    expect(r).toMatchObject({
      completed: rows.length,
      withDueDate: dated.length,
      late: late.length,
      onTime: dated.length - late.length,
    });
    expect(r.lateness.p50).toBeCloseTo(pct(late, 0.5), 6);
    expect(r.lateness.p85).toBeCloseTo(pct(late, 0.85), 6);
    expect(r.lateness.max).toBe(late[late.length - 1]);
  });

  it('rework, read from the events themselves', async () => {
    const r = await get<{
      reworks: number;
      stages: Array<{ stage: string; exits: number; reworks: number }>;
      paths: Array<{ from: string; to: string; count: number }>;
    }>(`/reports/rework?${RANGE}`);
    const moves = await h.db.kysely
      .selectFrom('events')
      .select(['data'])
      .where('type', '=', 'order.stage_changed')
      .where('at', '>=', `${FROM}T00:00:00`)
      .where('at', '<', '2026-11-25T00:00:00')
      .execute();
    const exits = new Map<string, number>();
    const back = new Map<string, number>();
    for (const m of moves) {
      const d = JSON.parse(m.data) as { from: string; to: string; kind: string };
      exits.set(d.from, (exits.get(d.from) ?? 0) + 1);
      if (d.kind === 'rework') back.set(`${d.from}>${d.to}`, (back.get(`${d.from}>${d.to}`) ?? 0) + 1);
    }
    for (const s of r.stages) expect(s.exits, s.stage).toBe(exits.get(s.stage) ?? 0);
    expect(Object.fromEntries(r.paths.map((p) => [`${p.from}>${p.to}`, p.count]))).toEqual(Object.fromEntries(back));
    expect(r.reworks).toBeGreaterThan(50);
  });

  it('forecasts: every open active order gets an eta, and the quote is based on the history', async () => {
    const q = await get<{ enoughHistory: boolean; p50: string; p85: string; basedOn: { orders: number } }>(
      `/forecast/quote?workflow=${WF}`,
    );
    expect(q.enoughHistory).toBe(true);
    expect(q.p50 <= q.p85).toBe(true);
    expect(q.p50 >= '2026-11-25').toBe(true);
    expect(q.basedOn.orders).toBeGreaterThan(500);
    const board = await get<{ columns: Array<{ cards: Array<{ state: string; eta: { p50: string; p85: string } | null }> }> }>(
      `/board?workflow=${WF}`,
    );
    const cards = board.columns.flatMap((c) => c.cards);
    expect(cards.length).toBeGreaterThan(100);
    for (const c of cards) {
      if (c.state === 'active') expect(c.eta && c.eta.p50 <= c.eta.p85, JSON.stringify(c)).toBe(true);
      else expect(c.eta).toBeNull();
    }
  });

  it('flags a new order due the day after tomorrow at risk: its 85% date is later', async () => {
    const res = await h.as('sales').post('/orders', newOrder({ dueDate: '2026-11-26' }));
    expect(res.statusCode, res.body).toBe(201);
    const created = json<{ number: string; eta: { p50: string; p85: string }; flags: string[] }>(res);
    expect(created.eta.p85 > '2026-11-26').toBe(true);
    expect(created.flags).toContain('at-risk');
    const relaxed = json<{ flags: string[] }>(await h.as('sales').post('/orders', newOrder({ dueDate: '2027-06-30' })));
    expect(relaxed.flags).not.toContain('at-risk');
    const atRisk = await get<{ items: Array<{ number: string }> }>('/orders?flag=at-risk&limit=500');
    expect(atRisk.items.map((o) => o.number)).toContain(created.number);
  });
});
