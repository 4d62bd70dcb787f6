// Every report against a small fixed history whose figures are worked out by hand (see test/support/mini-history.ts).
// Times: working hours are Monday to Friday 08:00-17:00 UTC; a figure in days is calendar time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as R from '../../src/http/report-schemas.ts';
import { type Harness, json, startHarness } from '../support/harness.ts';
import { MINI, makeMiniHistory } from '../support/mini-history.ts';

let h: Harness;
let n: Record<'A' | 'B' | 'C' | 'D' | 'E', string>;
const RANGE = 'workflow=mini&from=2026-11-23&to=2026-12-01';

beforeAll(async () => {
  h = await startHarness();
  n = await makeMiniHistory(h);
});
afterAll(() => h.close());

async function report<T = Record<string, unknown>>(path: string, role: Parameters<Harness['as']>[0] = 'viewer'): Promise<T> {
  const res = await h.as(role).get(path);
  expect(res.statusCode, res.body).toBe(200);
  return json<T>(res);
}

/** Parses with the published schema and insists nothing was left out of it. */
function conforms(schema: { safeParse(v: unknown): { data?: unknown; error?: { issues: unknown[] } } }, body: unknown) {
  const parsed = schema.safeParse(body);
  expect(parsed.error?.issues ?? null).toBeNull();
  expect(parsed.data).toEqual(body);
}

const summary = (count: number, min: number, max: number, mean: number, p50: number, p85: number, p95: number) => ({
  count,
  min: expect.closeTo(min, 3),
  max: expect.closeTo(max, 3),
  mean: expect.closeTo(mean, 3),
  p50: expect.closeTo(p50, 3),
  p85: expect.closeTo(p85, 3),
  p95: expect.closeTo(p95, 3),
});

describe('throughput', () => {
  it('counts orders started and completed per week', async () => {
    const r = await report(`/reports/throughput?${RANGE}`);
    conforms(R.ThroughputReport, r);
    expect(r).toMatchObject({
      scope: { workflow: 'mini', from: '2026-11-23', to: '2026-12-01', priority: null, customer: null },
      weeks: [
        { week: '2026-11-23', started: 5, completed: 1 },
        { week: '2026-11-30', started: 0, completed: 1 },
      ],
      started: 5,
      completed: 2,
      startedPerWeek: expect.closeTo((5 * 7) / 9, 3),
      completedPerWeek: expect.closeTo((2 * 7) / 9, 3),
    });
  });

  it('narrows to one customer, whatever the case of the name, and to a priority', async () => {
    const acme = await report<{ weeks: unknown[]; scope: { customer: string } }>(`/reports/throughput?${RANGE}&customer=acme`);
    expect(acme.weeks).toEqual([
      { week: '2026-11-23', started: 3, completed: 1 },
      { week: '2026-11-30', started: 0, completed: 0 },
    ]);
    expect(acme.scope.customer).toBe('acme');
    const rush = await report<{ started: number; completed: number }>(`/reports/throughput?${RANGE}&priority=rush`);
    expect(rush).toMatchObject({ started: 1, completed: 1 });
    const urgent = await report<{ started: number }>(`/reports/throughput?${RANGE}&priority=rush,high`);
    expect(urgent.started).toBe(2);
  });

  it('comes as CSV too', async () => {
    const res = await h.as('viewer').get(`/reports/throughput.csv?${RANGE}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body).toBe('week,started,completed\r\n2026-11-23,5,1\r\n2026-11-30,0,1\r\n');
  });
});

describe('lead time and cycle time', () => {
  it('gives distributions in calendar days and working hours, and a weekly trend', async () => {
    const r = await report<Record<string, unknown>>(`/reports/lead-time?${RANGE}`);
    conforms(R.LeadTimeReport, r);
    // A: Tue 09:00 to Wed 15:00 = 1.25 days, 15 working hours; B: Tue 10:00 to Mon 10:00 = 6 days, 36 working hours.
    expect(r.leadTime).toEqual({
      days: summary(2, 1.25, 6, 3.625, 3.625, 1.25 + 0.85 * 4.75, 1.25 + 0.95 * 4.75),
      workingHours: summary(2, 15, 36, 25.5, 25.5, 15 + 0.85 * 21, 15 + 0.95 * 21),
      histogram: [0, 1, 0, 0, 0, 0, 1].map((count, i) => ({ fromDays: i, toDays: i + 1, count })),
    });
    // Cycle time starts at Make (the first production stage): A from Tue 13:00 (26 h, 11 wh), B from Tue 11:00 (143 h, 35 wh).
    expect(r.cycleStartStage).toBe('make');
    expect(r.cycleTime).toMatchObject({
      days: summary(2, 26 / 24, 143 / 24, 169 / 48, 169 / 48, 26 / 24 + 0.85 * (117 / 24), 26 / 24 + 0.95 * (117 / 24)),
      workingHours: summary(2, 11, 35, 23, 23, 11 + 0.85 * 24, 11 + 0.95 * 24),
    });
    expect(r.trend).toEqual([
      {
        week: '2026-11-23',
        completed: 1,
        leadP50Days: 1.25,
        leadP85Days: 1.25,
        cycleP50Days: expect.closeTo(26 / 24, 3),
        cycleP85Days: expect.closeTo(26 / 24, 3),
      },
      {
        week: '2026-11-30',
        completed: 1,
        leadP50Days: 6,
        leadP85Days: 6,
        cycleP50Days: expect.closeTo(143 / 24, 3),
        cycleP85Days: expect.closeTo(143 / 24, 3),
      },
    ]);
  });
});

describe('lead time of one customer', () => {
  it("works from that customer's orders alone", async () => {
    const r = await report<{ completed: number; leadTime: { days: { p50: number } }; cycleTime: { days: { p50: number } } }>(
      `/reports/lead-time?${RANGE}&customer=acme`,
    );
    expect(r.completed).toBe(1);
    expect(r.leadTime.days.p50).toBe(1.25);
    expect(r.cycleTime.days.p50).toBeCloseTo(26 / 24, 3);
  });
});

describe('time in stage', () => {
  it('gives median and p85 in working and calendar hours per stage, and names the bottleneck', async () => {
    const r = await report<{ stages: Array<Record<string, unknown>>; bottleneck: Record<string, unknown> }>(
      `/reports/stage-times?${RANGE}`,
    );
    conforms(R.StageTimeReport, r);
    // To do: A 4/4, B 1/1, B again 17 h / 2 wh, C 3/3 (D was cancelled there: not a stage time).
    expect(r.stages[0]).toEqual({
      stage: 'todo',
      label: 'To do',
      visits: 4,
      workingHours: summary(4, 1, 4, 2.5, 2.5, 3.55, 3 + 0.85 * 1),
      calendarHours: summary(4, 1, 17, 6.25, 3.5, 11.15, 4 + 0.85 * 13),
    });
    // Make: A 21 h / 6 wh, B 5/5, B again 48 h / 18 wh.
    expect(r.stages[1]).toMatchObject({
      stage: 'make',
      visits: 3,
      workingHours: summary(3, 5, 18, 29 / 3, 6, 14.4, 6 + 0.9 * 12),
      calendarHours: summary(3, 5, 48, 74 / 3, 21, 39.9, 21 + 0.9 * 27),
    });
    // Ship: A 5/5, B Fri 09:00 to Mon 10:00 = 73 h / 10 wh.
    expect(r.stages[2]).toMatchObject({
      stage: 'ship',
      visits: 2,
      workingHours: summary(2, 5, 10, 7.5, 7.5, 9.25, 9.75),
      calendarHours: summary(2, 5, 73, 39, 39, 62.8, 69.6),
    });
    expect(r.stages).toHaveLength(3);
    expect(r.bottleneck).toMatchObject({ stage: 'ship', label: 'Ship', medianWorkingHours: 7.5 });
    expect(r.bottleneck.why).toContain('Ship');
  });

  it('counts only the rush order when asked for rush', async () => {
    const r = await report<{ stages: Array<{ visits: number; workingHours: { p50: number } | null }> }>(
      `/reports/stage-times?${RANGE}&priority=rush`,
    );
    expect(r.stages.map((s) => s.visits)).toEqual([2, 2, 1]);
    expect(r.stages.map((s) => s.workingHours?.p50)).toEqual([1.5, 11.5, 10]);
  });
});

describe('cumulative flow', () => {
  it('counts the orders in each stage at the end of every day, and completions since the first day', async () => {
    const r = await report<{ days: string[]; stages: Array<{ stage: string; counts: number[] }> }>(`/reports/flow?${RANGE}`);
    conforms(R.FlowReport, r);
    expect(r.days).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
    ]);
    expect(Object.fromEntries(r.stages.map((s) => [s.stage, s.counts]))).toEqual({
      todo: [0, 1, 0, 0, 1, 1, 1, 1, 1],
      make: [0, 1, 2, 2, 1, 1, 1, 1, 1],
      ship: [0, 0, 0, 0, 1, 1, 1, 0, 0],
      done: [0, 0, 1, 1, 1, 1, 1, 2, 2],
    });
  });

  it('starts from what was already in the stages when the period begins later', async () => {
    const r = await report<{ stages: Array<{ stage: string; counts: number[] }> }>(
      '/reports/flow?workflow=mini&from=2026-11-26&to=2026-11-27',
    );
    expect(Object.fromEntries(r.stages.map((s) => [s.stage, s.counts]))).toEqual({
      todo: [0, 1],
      make: [2, 1],
      ship: [0, 1],
      done: [0, 0],
    });
  });
});

describe('work in progress and aging', () => {
  it("sets each open order's age in its stage against the stage's percentiles", async () => {
    const r = await report<{ total: number; stages: unknown[]; orders: Array<Record<string, unknown>> }>(`/reports/wip?${RANGE}`);
    conforms(R.WipReport, r);
    expect(r.total).toBe(2);
    // E: in To do since Fri 16:00 = 14 working hours (92 h); C: in Make since Wed 12:00 = 36 wh (144 h).
    expect(r.orders).toEqual([
      expect.objectContaining({
        number: n.E,
        stage: 'todo',
        ageInStageWorkingHours: 14,
        ageInStageCalendarHours: 92,
        ageDays: expect.closeTo(92 / 24, 3),
        stageP50WorkingHours: 2.5,
        stageP85WorkingHours: 3.55,
        band: 'over-p85',
        eta: null,
      }),
      expect.objectContaining({
        number: n.C,
        stage: 'make',
        ageInStageWorkingHours: 36,
        ageInStageCalendarHours: 144,
        ageDays: expect.closeTo(147 / 24, 3),
        stageP50WorkingHours: 6,
        stageP85WorkingHours: 14.4,
        band: 'over-p85',
      }),
    ]);
    expect(r.stages).toEqual([
      { stage: 'todo', label: 'To do', count: 1, p50WorkingHours: 2.5, p85WorkingHours: 3.55, overP50: 1, overP85: 1 },
      { stage: 'make', label: 'Make', count: 1, p50WorkingHours: 6, p85WorkingHours: 14.4, overP50: 1, overP85: 1 },
      { stage: 'ship', label: 'Ship', count: 0, p50WorkingHours: 7.5, p85WorkingHours: 9.25, overP50: 0, overP85: 0 },
      { stage: 'done', label: 'Done', count: 0, p50WorkingHours: null, p85WorkingHours: null, overP50: 0, overP85: 0 },
    ]);
  });
});

describe('on-time delivery', () => {
  it('rates orders completed by their due date and says how late the others were', async () => {
    const r = await report(`/reports/on-time?${RANGE}`);
    conforms(R.OnTimeReport, r);
    expect(r).toMatchObject({
      completed: 2,
      withDueDate: 2,
      withoutDueDate: 0,
      onTime: 1,
      late: 1,
      rate: 0.5,
      lateness: summary(1, 5, 5, 5, 5, 5, 5),
      weeks: [
        { week: '2026-11-23', withDueDate: 1, onTime: 1, late: 0, rate: 1 },
        { week: '2026-11-30', withDueDate: 1, onTime: 0, late: 1, rate: 0 },
      ],
      lateOrders: [{ number: n.B, completedDate: '2026-11-30', dueDate: '2026-11-25', daysLate: 5 }],
    });
  });
});

describe('rework', () => {
  it('counts moves back, from which stage and to where', async () => {
    const r = await report(`/reports/rework?${RANGE}`);
    conforms(R.ReworkReport, r);
    expect(r).toMatchObject({
      moves: 9,
      reworks: 1,
      rate: expect.closeTo(1 / 9, 3),
      stages: [
        { stage: 'todo', exits: 4, reworks: 0, rate: 0 },
        { stage: 'make', exits: 3, reworks: 1, rate: expect.closeTo(1 / 3, 3) },
        { stage: 'ship', exits: 2, reworks: 0, rate: 0 },
      ],
      paths: [{ from: 'make', fromLabel: 'Make', to: 'todo', toLabel: 'To do', count: 1 }],
      completed: 2,
      completedWithRework: 1,
      completedWithReworkRate: 0.5,
    });
  });
});

describe('capacity', () => {
  it('gives each stage’s finished orders per whole week and the load waiting in it now', async () => {
    const r = await report<{ weeks: string[]; stages: Array<Record<string, unknown>>; completedPerWeek: number[] }>(
      '/forecast/capacity?workflow=mini&weeks=2',
    );
    conforms(R.CapacityReport, r);
    expect(r.weeks).toEqual(['2026-11-16', '2026-11-23']);
    expect(r.stages).toEqual([
      { stage: 'todo', label: 'To do', perWeek: [0, 4], averagePerWeek: 2, open: 1, weeksOfWork: 0.5 },
      { stage: 'make', label: 'Make', perWeek: [0, 3], averagePerWeek: 1.5, open: 1, weeksOfWork: expect.closeTo(2 / 3, 3) },
      { stage: 'ship', label: 'Ship', perWeek: [0, 1], averagePerWeek: 0.5, open: 0, weeksOfWork: 0 },
      { stage: 'done', label: 'Done', perWeek: [0, 1], averagePerWeek: 0.5, open: 0, weeksOfWork: 0 },
    ]);
    expect(r.completedPerWeek).toEqual([0, 1]);
  });
});

describe('forecasts with too little history', () => {
  it('says plainly that a quote cannot be made yet', async () => {
    const r = await report<Record<string, unknown>>('/forecast/quote?workflow=mini', 'sales');
    conforms(R.Quote, r);
    // A, B and C have left a stage; that is all the history there is.
    expect(r).toMatchObject({ enoughHistory: false, p50: null, p85: null, basedOn: { orders: 3, stageVisits: 9 } });
    expect(r.message).toMatch(/^Too little history to quote Mini line: only 3 orders have been through its stages since/);
  });

  it('gives no eta where there is no history to go by', async () => {
    const order = await report<{ eta: unknown }>(`/orders/${n.C}`);
    expect(order.eta).toBeNull();
  });
});

describe('refusals', () => {
  it('answers a bad query with a clear problem', async () => {
    const cases = [
      ['/reports/throughput', 400],
      ['/reports/throughput?workflow=nope', 400],
      ['/reports/throughput?workflow=mini&from=2026-12-02&to=2026-12-01', 400],
      ['/reports/throughput?workflow=mini&priority=urgent', 400],
      ['/reports/throughput?workflow=mini&from=2026-02-30', 400],
    ] as const;
    for (const [path, status] of cases) {
      const res = await h.as('viewer').get(path);
      expect(res.statusCode, path).toBe(status);
      expect(json(res).type).toBe('validation-failed');
    }
    expect((await h.as(null).get(`/reports/throughput?${RANGE}`)).statusCode).toBe(401);
  });
});

describe('a workflow revision that moves where production starts', () => {
  it('recomputes cycle times from the new cycle-start stage', async () => {
    const revised = { ...MINI, stages: MINI.stages.map((st) => (st.key === 'todo' ? { ...st, ownerRole: 'production' } : st)) };
    const { key: _key, ...body } = revised;
    const res = await h.as('admin').put('/workflows/mini', { ...body, key: 'mini' });
    expect(res.statusCode, res.body).toBe(200);
    const r = await report<{
      cycleStartStage: string;
      leadTime: { days: { p50: number } };
      cycleTime: { days: { p50: number } };
    }>(`/reports/lead-time?${RANGE}`);
    expect(r.cycleStartStage).toBe('todo');
    expect(r.cycleTime.days.p50).toBe(r.leadTime.days.p50);
  });
});

describe('an order that changes customer', () => {
  it("moves to the new customer's figures, visits and all", async () => {
    const before = await report<{ stages: Array<{ stage: string; counts: number[] }> }>(`/reports/flow?${RANGE}&customer=acme`);
    expect(before.stages.find((s) => s.stage === 'todo')!.counts.at(-1)).toBe(0);
    const res = await h.as('sales').patch(`/orders/${n.E}`, { customer: { name: 'Acme' } });
    expect(res.statusCode, res.body).toBe(200);
    const after = await report<{ stages: Array<{ stage: string; counts: number[] }> }>(`/reports/flow?${RANGE}&customer=acme`);
    expect(after.stages.find((s) => s.stage === 'todo')!.counts).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1]);
    const bolt = await report<{ stages: Array<{ stage: string; counts: number[] }> }>(
      `/reports/flow?${RANGE}&customer=bolt%20ltd`,
    );
    expect(bolt.stages.find((s) => s.stage === 'todo')!.counts.at(-1)).toBe(0);
    const started = await report<{ started: number }>(`/reports/throughput?${RANGE}&customer=acme`);
    expect(started.started).toBe(4);
  });
});
