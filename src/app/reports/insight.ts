// Keeping the insight facts up to date with the event log: before a report or forecast reads them, the events since are folded in.

import type { BusinessCalendar } from '../../domain/calendar.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';
import { invoiceStages } from '../../domain/invoice.ts';
import { FactProjector, factsNeeded } from '../../domain/metrics/facts.ts';
import { cycleStages } from '../../domain/metrics/lead-time.ts';
import { WorkingTime } from '../../domain/metrics/working-time.ts';
import type { Db } from '../../store/db.ts';
import {
  clearFacts,
  factEvents,
  insightState,
  latestSeq,
  loadFacts,
  refreshStatistics,
  remakeCompletions,
  remakeReady,
  saveInsightState,
  saveWorkflowRecord,
  syncReady,
  workflowRecords,
  writeFacts,
} from '../../store/insight.ts';
import { listWorkflows } from '../../store/workflows.ts';
import type { AppContext } from '../context.ts';
import { automationSettings } from '../settings.ts';

/** Events folded in per transaction: a long catch-up (a rebuild) lets other writers in between batches. */
export const FACT_BATCH = 10_000;
/**
 * The batch of a catch-up nobody waits for (a forecast refresh): on SQLite every request shares one
 * connection, so a small transaction keeps the board and moves from queueing behind it.
 */
export const BACKGROUND_BATCH = 200;
/** A catch-up of this many events changes the facts enough to refresh the planner's statistics (PostgreSQL). */
const STATISTICS_AFTER = 50_000;

/** The business calendar in force (admin settings; the default until an admin sets one). */
export async function businessCalendar(app: AppContext): Promise<BusinessCalendar> {
  return (await automationSettings(app)).calendar;
}

/**
 * Per database, the catch-up running in this process: callers wait for it instead of starting another.
 * A caller that waits (a report) makes a background catch-up take full-size batches from then on.
 */
const running = new WeakMap<Db, { work: Promise<void>; urgent: boolean }>();

export interface CatchUp {
  events: number;
  rebuilt: boolean;
}

/**
 * Folds every event not yet in the facts into them. When the business calendar changed since the
 * facts were made (working time and local dates depend on it), they are rebuilt from the first
 * event. Batches commit one by one; on PostgreSQL the state row is locked while a batch runs, so
 * several servers never fold the same events twice.
 */
export async function bringFactsUpToDate(
  app: AppContext,
  opts: { batch?: number; onBatch?: (done: number) => void } = {},
): Promise<CatchUp> {
  const batch = opts.batch ?? FACT_BATCH;
  const calendar = await businessCalendar(app);
  const fingerprint = canonicalJson(calendar);
  const db = app.db.kysely;
  const [state, head] = await Promise.all([insightState(db), latestSeq(db)]);
  if (state.calendar === fingerprint && state.lastSeq >= head) return { events: 0, rebuilt: false };
  const result: CatchUp = { events: 0, rebuilt: false };
  const urgent = opts.batch === undefined || opts.batch >= FACT_BATCH;
  // Wait for a catch-up under way; never twice for the same one (its owner may still be tidying up).
  let earlier = running.get(app.db);
  while (earlier) {
    if (urgent) earlier.urgent = true;
    await earlier.work.catch(() => undefined);
    const next = running.get(app.db);
    earlier = next === earlier ? undefined : next;
  }
  const run = { work: Promise.resolve(), urgent };
  run.work = (async () => {
    const time = WorkingTime.of(calendar);
    for (;;) {
      const more = await app.db.kysely.transaction().execute(async (tx) => {
        let current = await insightState(tx, { lock: app.db.dialect === 'postgres' });
        if (current.calendar !== fingerprint) {
          await clearFacts(tx);
          current = { lastSeq: 0, calendar: fingerprint };
          result.rebuilt = true;
        }
        // Where cycle time starts and which stages are ready to invoice come from each workflow's current definition;
        // a revision that moves either remakes what depends on it.
        const cycles = new Map<string, ReadonlySet<string>>();
        const invoice = new Map<string, ReadonlySet<string>>();
        const recorded = await workflowRecords(tx);
        for (const wf of await listWorkflows(tx)) {
          const cycle = cycleStages(wf);
          const ready = invoiceStages(wf);
          cycles.set(wf.key, new Set(cycle));
          invoice.set(wf.key, new Set(ready));
          const before = recorded.get(wf.key);
          if (before?.cycle === JSON.stringify(cycle) && before.invoice === JSON.stringify(ready)) continue;
          if (before?.cycle !== JSON.stringify(cycle)) await remakeCompletions(tx, wf.key, cycle, time);
          if (before?.invoice !== JSON.stringify(ready)) await remakeReady(tx, wf.key, new Set(ready));
          await saveWorkflowRecord(tx, wf.key, cycle, ready);
        }
        const upTo = await latestSeq(tx);
        const size = run.urgent ? Math.max(batch, FACT_BATCH) : batch;
        const events = await factEvents(tx, current.lastSeq, upTo, size);
        if (events.length > 0) {
          const needed = factsNeeded(events);
          const loaded = await loadFacts(tx, needed.orders, needed.allVisits);
          const projector = new FactProjector(time, cycles);
          projector.load(loaded.orders, loaded.visits);
          for (const e of events) projector.apply(e);
          const changes = projector.changes();
          await writeFacts(tx, changes);
          await syncReady(tx, changes.orders, (w) => invoice.get(w) ?? new Set());
          result.events += events.length;
        }
        const full = events.length === size;
        const lastSeq = full ? events[events.length - 1]!.seq : upTo;
        await saveInsightState(tx, { lastSeq, calendar: fingerprint }, app.clock.now().toISOString());
        return full;
      });
      opts.onBatch?.(result.events);
      if (!more) {
        if (result.events >= STATISTICS_AFTER) await refreshStatistics(app.db.kysely, app.db.dialect);
        return;
      }
      // Let waiting requests have the connection between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  running.set(app.db, run);
  try {
    await run.work;
  } finally {
    if (running.get(app.db) === run) running.delete(app.db);
  }
  return result;
}
