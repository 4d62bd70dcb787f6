// State can be rebuilt from events: replaying each order's history gives exactly the stored order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { verifyAudit } from '../../src/app/verify-audit.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { rebuildOrder } from '../../src/domain/events.ts';
import { orderEvents } from '../../src/store/events.ts';
import { orderFromRow, stageVisits } from '../../src/store/orders.ts';
import { freshDb } from '../support/harness.ts';

let app: AppContext;
let drop: () => Promise<void>;
beforeAll(async () => {
  const fresh = await freshDb();
  drop = fresh.drop;
  app = { db: fresh.db, clock: new ManualClock('2026-11-24T09:00:00Z') };
  await seedDemo(app);
  // Seeding the demo's history takes a minute on PostgreSQL on a busy 2-core machine.
}, 180_000);
afterAll(() => drop());

describe('rebuilding orders from their events', () => {
  it('reproduces every demo order (created, edited, moved, reworked, held, cancelled, completed) exactly', async () => {
    const rows = await app.db.kysely.selectFrom('orders').selectAll().execute();
    expect(rows.length).toBe(60);
    const states = new Set(rows.map((r) => r.state));
    expect(states).toEqual(new Set(['active', 'on_hold', 'cancelled', 'completed']));
    for (const row of rows) {
      const { id, trackingToken: _t, ...stored } = orderFromRow(row);
      const rebuilt = rebuildOrder(await orderEvents(app.db.kysely, id));
      expect(rebuilt, stored.number).toEqual(stored);
    }
  });

  it('keeps stage visits in step with the stage-change events', async () => {
    const rows = await app.db.kysely.selectFrom('orders').select(['id', 'stage']).execute();
    const visits = await stageVisits(
      app.db.kysely,
      rows.map((r) => r.id),
    );
    let reworked = 0;
    for (const row of rows) {
      const events = await orderEvents(app.db.kysely, row.id);
      const moves = events.filter((e) => e.type === 'order.stage_changed');
      if (moves.some((m) => m.data.kind === 'rework')) reworked++;
      const list = visits.get(row.id)!;
      expect(list.map((v) => v.stage)).toEqual(['received', ...moves.map((m) => m.data.to)]);
      expect(list.at(-1)!.stage).toBe(row.stage);
      expect(list.slice(0, -1).every((v) => v.exitedAt !== null)).toBe(true);
    }
    expect(reworked).toBeGreaterThan(0);
  });

  it('leaves an intact audit chain behind the whole demo history', async () => {
    const report = await verifyAudit(app);
    expect(report.ok).toBe(true);
    expect(report.events).toBeGreaterThan(500);
  });
});
