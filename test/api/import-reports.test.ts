// Imported history is history: lead-time and stage-time reports on an imported file equal the figures worked out from the file itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness } from '../support/harness.ts';
import type { Loose } from '../support/import-files.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const wf = await h.as('admin').post('/workflows', {
    key: 'joinery',
    name: 'Joinery',
    orderPrefix: 'JN',
    stages: [
      { key: 'drawing', label: 'Drawing', ownerRole: 'sales', nextAction: 'Draw and price it' },
      { key: 'cutting', label: 'Cutting', ownerRole: 'production', nextAction: 'Cut the parts' },
      { key: 'assembly', label: 'Assembly', ownerRole: 'production', nextAction: 'Assemble and finish' },
      { key: 'delivered', label: 'Delivered', ownerRole: 'fulfillment', nextAction: 'Confirm delivery' },
    ],
    fields: [],
  });
  expect(wf.statusCode, wf.body).toBe(201);
});
afterAll(() => h.close());

const HOUR = 3_600_000;
/** Hours each order spent drawing, cutting and in assembly (known durations); the last two are still open. */
const ORDERS: Array<[string, number, number, number | null]> = [
  ['2026-09-01T08:00:00Z', 30, 50, 20],
  ['2026-09-03T09:00:00Z', 10, 70, 44],
  ['2026-09-10T10:30:00Z', 75, 24, 6],
  ['2026-09-15T07:15:00Z', 20, 96, 30],
  ['2026-09-22T13:00:00Z', 48, 12, 72],
  ['2026-10-01T08:00:00Z', 5, 40, null],
  ['2026-10-20T08:00:00Z', 60, 0.5, null],
];

const iso = (ms: number) => new Date(ms).toISOString();

function file(): string {
  const lines = ['Ref,Customer,Drawing,Cutting,Assembly,Delivered'];
  ORDERS.forEach(([start, drawing, cutting, assembly], i) => {
    const t0 = Date.parse(start);
    const t1 = t0 + drawing * HOUR;
    const t2 = t1 + cutting * HOUR;
    const t3 = assembly === null ? null : t2 + assembly * HOUR;
    lines.push([`JOB-${i + 1}`, `Client ${i % 3}`, iso(t0), iso(t1), iso(t2), t3 === null ? '' : iso(t3)].join(','));
  });
  return `${lines.join('\n')}\n`;
}

const stats = (values: number[]) => ({
  count: values.length,
  min: Math.min(...values),
  max: Math.max(...values),
  mean: values.reduce((a, b) => a + b, 0) / values.length,
});

describe('reports on imported history', () => {
  it('measure lead time and time in stage from the dates in the file', async () => {
    const content = file();
    const res = await h
      .as('manager')
      .post('/imports', { workflow: 'joinery', source: 'csv', content, mapping: { reference: 'Ref' } });
    expect(res.statusCode, res.body).toBe(201);

    // Reports round to four decimals. Worked out from the file's own columns, not from what Floorboard stored.
    const rows = content
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const completed = rows.filter((r) => r[5]);
    const leadDays = completed.map((r) => (Date.parse(r[5]!) - Date.parse(r[2]!)) / (24 * HOUR));
    const stageHours = (from: number, to: number) =>
      rows.filter((r) => r[to]).map((r) => (Date.parse(r[to]!) - Date.parse(r[from]!)) / HOUR);

    const range = 'workflow=joinery&from=2026-09-01&to=2026-11-23';
    const lead = json<Loose>(await h.as('viewer').get(`/reports/lead-time?${range}`));
    expect(lead.completed).toBe(completed.length);
    const want = stats(leadDays);
    expect(lead.leadTime.days).toMatchObject({
      count: want.count,
      min: expect.closeTo(want.min, 3),
      max: expect.closeTo(want.max, 3),
      mean: expect.closeTo(want.mean, 3),
      p50: expect.closeTo([...leadDays].sort((a, b) => a - b)[2]!, 3),
    });

    const stages = json<Loose>(await h.as('viewer').get(`/reports/stage-times?${range}`)).stages;
    for (const [i, stage] of ['drawing', 'cutting', 'assembly'].entries()) {
      const hours = stageHours(2 + i, 3 + i);
      const s = stats(hours);
      const got = stages.find((x: Loose) => x.stage === stage);
      expect(got.visits, stage).toBe(hours.length);
      expect(got.calendarHours, stage).toMatchObject({
        count: s.count,
        min: expect.closeTo(s.min, 3),
        max: expect.closeTo(s.max, 3),
        mean: expect.closeTo(s.mean, 3),
      });
    }
  });

  it('puts the still-open imported orders on the board with their real age in stage', async () => {
    const board = json<Loose>(await h.as('viewer').get('/board?workflow=joinery'));
    const assembly = board.columns.find((c: Loose) => c.stage.key === 'assembly').cards;
    const open = ORDERS.filter((o) => o[3] === null).map(([start, d, c]) => iso(Date.parse(start) + (d + c) * HOUR));
    expect(assembly.map((c: Loose) => c.stageEnteredAt).sort()).toEqual(open.sort());
  });
});
