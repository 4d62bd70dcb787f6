// The sweep: refreshes the shop's pace, then raises stall, escalation, deadline and due-soon alerts as events, each told once.
// On PostgreSQL one process sweeps at a time (an advisory lock); the alerts_raised key keeps "told once" even if two did.
import { type Kysely, sql } from 'kysely';
import { type AppContext, eventActor, SYSTEM_ACTOR, transact } from '../app/context.ts';
import { automationSettings, flagContext, forgetSettings } from '../app/settings.ts';
import { dueSoonReminder, type OpenAlert, openAlerts, type RaisedKind } from '../domain/alerts.ts';
import { workingHoursBetween } from '../domain/calendar.ts';
import type { Clock } from '../domain/clock.ts';
import type { OrderEventType } from '../domain/events.ts';
import { median } from '../domain/pace.ts';
import type { Workflow } from '../domain/workflow.ts';
import { alertKey, openOrders, raisedAlerts, recordAlerts } from '../store/alerts.ts';
import { appendEvents } from '../store/events.ts';
import { findOrders, type StoredOrder } from '../store/orders.ts';
import { type PaceRow, recentVisits, savePace } from '../store/pace.ts';
import type { Database } from '../store/schema.ts';
import { listWorkflows } from '../store/workflows.ts';

export const EVENT_OF: Record<RaisedKind, OrderEventType> = {
  stalled: 'order.stalled',
  escalated: 'order.escalated',
  'at-risk': 'order.at_risk',
  overdue: 'order.overdue',
  'due-soon': 'order.due_soon',
};

/** Advisory lock class for the sweep; the second key is the schema, so installations sharing a server do not block each other. */
const SWEEP_LOCK = 7_410_042;

/** Alerts recorded per transaction: one commit for many, while the orders stay locked only briefly. */
const RAISE_BATCH = 200;

export interface SweepReport {
  /** False when another process held the sweep lock. */
  ran: boolean;
  raised: number;
  /** Open orders with each kind of alert now (told before or not); absent when another process swept. */
  open?: Record<string, number>;
}

export class Sweep {
  constructor(
    private readonly app: AppContext,
    private readonly opts: { clock?: Clock; paceSamples?: number } = {},
  ) {}

  get #clock(): Clock {
    return this.opts.clock ?? this.app.clock;
  }

  async run(): Promise<SweepReport> {
    const { db } = this.app;
    if (db.dialect !== 'postgres') return { ran: true, ...(await this.#sweep()) };
    // A session-level lock on one pinned connection; the work itself uses the pool.
    return db.kysely.connection().execute(async (conn) => {
      const got = await sql<{
        ok: boolean;
      }>`select pg_try_advisory_lock(${SWEEP_LOCK}, hashtext(current_schema())) as ok`.execute(conn);
      if (!got.rows[0]?.ok) return { ran: false, raised: 0 };
      try {
        return { ran: true, ...(await this.#sweep()) };
      } finally {
        await sql`select pg_advisory_unlock(${SWEEP_LOCK}, hashtext(current_schema()))`.execute(conn);
      }
    });
  }

  async #sweep(): Promise<{ raised: number; open: Record<string, number> }> {
    const db = this.app.db.kysely;
    const now = this.#clock.now();
    const workflows = await listWorkflows(db);
    await this.#refreshPace(workflows, now);
    const settings = await automationSettings(this.app);
    const ctx = await flagContext(this.app);
    const byKey = new Map(workflows.map((w) => [w.key, w]));

    const candidates: Array<{ orderId: string; alert: OpenAlert }> = [];
    for (const order of await openOrders(db)) {
      const wf = byKey.get(order.workflow);
      if (!wf) continue;
      const alerts = openAlerts(order, wf, now, ctx);
      const reminder = dueSoonReminder(order, wf, now, settings.calendar, settings.dueSoonDays);
      for (const alert of reminder ? [...alerts, reminder] : alerts) candidates.push({ orderId: order.id, alert });
    }
    const open: Record<string, number> = { stalled: 0, escalated: 0, overdue: 0, 'at-risk': 0, 'due-soon': 0 };
    for (const c of candidates) open[c.alert.kind] = (open[c.alert.kind] ?? 0) + 1;
    const told = await raisedAlerts(db, [...new Set(candidates.map((c) => c.orderId))]);
    const untold = candidates.filter(({ orderId, alert }) => !told.has(alertKey(orderId, alert.kind, alert.scope)));
    let raised = 0;
    for (let i = 0; i < untold.length; i += RAISE_BATCH)
      raised += await this.#raise(untold.slice(i, i + RAISE_BATCH), now, byKey);
    return { raised, open };
  }

  /**
   * Records alerts as events of their orders, a batch in one transaction, after checking on the
   * locked orders that each still holds (an order may have moved since the sweep looked).
   */
  async #raise(
    candidates: Array<{ orderId: string; alert: OpenAlert }>,
    now: Date,
    workflows: Map<string, Workflow>,
  ): Promise<number> {
    const { app } = this;
    return transact(app, async (tx) => {
      const ids = [...new Set(candidates.map((c) => c.orderId))];
      const orders = new Map((await findOrders(tx, ids, { forUpdate: app.db.dialect === 'postgres' })).map((o) => [o.id, o]));
      const settings = await automationSettings(app, tx);
      const ctx = await flagContext(app, tx);
      const told = await raisedAlerts(tx, ids);
      const holding = new Map<string, Array<OpenAlert | null>>();
      const fresh: Array<{ order: StoredOrder; alert: OpenAlert }> = [];
      for (const candidate of candidates) {
        const order = orders.get(candidate.orderId);
        const wf = order && workflows.get(order.workflow);
        if (!order || !wf) continue;
        let held = holding.get(order.id);
        if (!held) {
          held = [...openAlerts(order, wf, now, ctx), dueSoonReminder(order, wf, now, settings.calendar, settings.dueSoonDays)];
          holding.set(order.id, held);
        }
        const alert = held.find((a) => a?.kind === candidate.alert.kind && a.scope === candidate.alert.scope);
        if (!alert || told.has(alertKey(order.id, alert.kind, alert.scope))) continue;
        told.set(alertKey(order.id, alert.kind, alert.scope), now.toISOString());
        fresh.push({ order, alert });
      }
      if (fresh.length === 0) return 0;
      const events = await appendEvents(
        tx,
        app.db.dialect,
        fresh.map(({ order, alert }) => ({
          type: EVENT_OF[alert.kind],
          at: now.toISOString(),
          orderId: order.id,
          // Alerts annotate the order: its version stays.
          orderVersion: order.version,
          actor: eventActor(SYSTEM_ACTOR),
          data: alert.data,
        })),
      );
      const recorded = await recordAlerts(
        tx,
        fresh.map(({ order, alert }, i) => ({
          orderId: order.id,
          kind: alert.kind,
          scope: alert.scope,
          raisedAt: now.toISOString(),
          eventSeq: events[i]!.seq,
        })),
      );
      if (recorded !== fresh.length) throw new Error('an alert was raised twice at once');
      return fresh.length;
    });
  }

  /** Median working hours of each stage over its most recent finished visits: the pace at-risk is judged by. */
  async #refreshPace(workflows: Workflow[], now: Date): Promise<void> {
    const { app } = this;
    const { calendar } = await automationSettings(app);
    const limit = this.opts.paceSamples ?? 200;
    for (const wf of workflows) {
      const rows: PaceRow[] = [];
      for (const stage of wf.stages.slice(0, -1)) {
        const visits = await recentVisits(app.db.kysely, wf.key, stage.key, limit);
        const hours = visits.map((v) => workingHoursBetween(calendar, new Date(v.enteredAt), new Date(v.exitedAt)));
        const m = median(hours);
        if (m !== null) rows.push({ workflow: wf.key, stage: stage.key, medianHours: m, samples: hours.length });
      }
      await app.db.kysely.transaction().execute((tx: Kysely<Database>) => savePace(tx, wf.key, rows, now.toISOString()));
    }
    forgetSettings(app.db);
  }
}
