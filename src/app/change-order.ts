// The one path every change to an existing order takes: load, decide, write under the version check, record.
//
// Changes are committed in batches (group commit): while one batch is being written, the
// next requests queue and then go in together. Every write appends to the one audit chain
// and must hold its head until commit, so a durable commit per change would cap throughput at
// one disk flush per move; a batch pays that flush once. Each change in a batch is decided on
// its own and refused on its own; only a database failure fails the whole batch.
//
// SQLite: one transaction per batch, the only writer. PostgreSQL: the batch is read and decided
// outside any transaction and written by one self-committing statement, each order only at the
// version it was read at; the chain head is locked inside that statement alone, so no lock waits
// on this process. A change whose order another writer changed in between is decided again. A change
// that pins no version and keeps losing that race is not refused (the order is busy, not in conflict): it
// queues on the order's row lock behind the other writers, and is decided and written under it.
import type { Kysely } from 'kysely';
import type { ChainedEvent } from '../domain/audit.ts';
import type { FlagContext } from '../domain/order.ts';
import type { Workflow } from '../domain/workflow.ts';
import type { NewEvent } from '../store/events.ts';
import { type OrderChanges, writeOrderChanges, writeOrderChangesAtOnce } from '../store/order-changes.ts';
import {
  findOrders,
  type StageEntry,
  type StageVisit,
  type StoredOrder,
  stageVisits,
  visitsAfterEntries,
} from '../store/orders.ts';
import type { Database } from '../store/schema.ts';
import { findWorkflows } from '../store/workflows.ts';
import { type Actor, type AppContext, eventActor, transact } from './context.ts';
import { checkExpectedVersion, versionConflict } from './load.ts';
import { historyUrl, type OrderView, presentOrder } from './order-view.ts';
import { notFound, Problem } from './problem.ts';
import { flagContext } from './settings.ts';

export interface OrderChange {
  /** The order's state after the change; `null` when nothing changed (no write, no event). */
  next: StoredOrder | null;
  /** Events the change is recorded as (version and order id are filled in). */
  events: Array<Pick<NewEvent, 'type' | 'data'>>;
  /** Set when the change enters a stage: the stage visit to open. */
  entersStage?: string;
}

export interface ChangeResult {
  order: OrderView;
  events: ChainedEvent[];
}

/** Decides a change from the order's current state; throws a Problem to refuse it. */
export type Decide = (order: StoredOrder, wf: Workflow, now: string) => OrderChange;

/**
 * How much stage history the answer carries: `full` (every visit, read from the database), or `current` (only the
 * entry of the stage the order is in, with `historyUrl` for the rest): a move's answer, which must not grow with
 * the order's history, and costs no read of it.
 */
export type HistoryInAnswer = 'full' | 'current';

interface ChangeRequest {
  actor: Actor;
  history: HistoryInAnswer;
  idOrNumber: string;
  expectedVersion: number | undefined;
  decide: Decide;
  resolve: (result: ChangeResult) => void;
  reject: (err: unknown) => void;
  /** How many times it was decided before (PostgreSQL decides again when the order changed in between). */
  attempts: number;
  /** Decided and written holding the order's row lock, in a batch of its own (PostgreSQL, after losing the race). */
  locked?: boolean;
}

/** How many batches may be under way at once on PostgreSQL. */
const PG_BATCHES_AT_ONCE = 2;

/** At most this many changes share one transaction. */
const MAX_BATCH = 64;

/**
 * How often a change is decided again when its order keeps changing between the read and the write; after
 * that an unpinned change waits for the order's lock, and a pinned one (which a fresh read refuses as stale
 * long before) would be refused.
 */
const MAX_ATTEMPTS = 5;

/** Applies `decide` to the current order and records the change, in a transaction shared with other changes. */
export function changeOrder(
  app: AppContext,
  actor: Actor,
  idOrNumber: string,
  expectedVersion: number | undefined,
  decide: Decide,
  history: HistoryInAnswer = 'full',
): Promise<ChangeResult> {
  return new Promise((resolve, reject) => {
    queueOf(app).submit({ actor, idOrNumber, expectedVersion, decide, history, resolve, reject, attempts: 0 });
  });
}

/** For use cases whose answer is the order itself. */
export async function orderOf(result: Promise<ChangeResult>): Promise<OrderView> {
  return (await result).order;
}

const queues = new WeakMap<AppContext, ChangeQueue>();

function queueOf(app: AppContext): ChangeQueue {
  let queue = queues.get(app);
  if (!queue) {
    // SQLite has one writer. On PostgreSQL batches overlap: while one is written, the next reads and
    // decides. Measured (npm run bench, 2 cores, since the write holds no lock across a round trip):
    // 2 at once moved 797-946/s, 1 at once 804-972/s, 4 at once 694-784/s (smaller batches, more
    // statements and commits per move).
    queue = new ChangeQueue(app, app.db.dialect === 'postgres' ? PG_BATCHES_AT_ONCE : 1);
    queues.set(app, queue);
  }
  return queue;
}

class ChangeQueue {
  #waiting: ChangeRequest[] = [];
  #running = 0;
  #scheduled = false;
  /** Order references in batches under way: a further change of one waits until that batch is done. */
  #inFlight = new Set<string>();

  constructor(
    private readonly app: AppContext,
    private readonly concurrency: number,
  ) {}

  submit(request: ChangeRequest): void {
    this.#waiting.push(request);
    // A batch starts once the requests already received have been read and queued (setImmediate runs after
    // the pending I/O callbacks). On SQLite a transaction runs to its end without giving way, so without
    // this pause every batch would hold exactly one change and pay a commit of its own.
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#running < this.concurrency && this.#waiting.length > 0) {
      const batch = this.#takeBatch();
      if (batch.length === 0) return;
      this.#running++;
      for (const request of batch) this.#inFlight.add(request.idOrNumber);
      void runBatch(this.app, batch)
        .catch((err: unknown) => {
          // runBatch answers every request itself; should it ever throw, no request may be left waiting.
          for (const request of batch) request.reject(err);
          return [];
        })
        .then((again) => {
          this.#running--;
          for (const request of batch) this.#inFlight.delete(request.idOrNumber);
          // Changes to decide again go first: they were received before anything still waiting.
          this.#waiting = [...again, ...this.#waiting];
          this.#pump();
        });
    }
  }

  /**
   * The oldest waiting changes, one per order reference and none of an order in a batch under way:
   * a second change of an order waits for the next batch after the first is written.
   */
  #takeBatch(): ChangeRequest[] {
    const batch: ChangeRequest[] = [];
    const refs = new Set<string>();
    const rest: ChangeRequest[] = [];
    for (const request of this.#waiting) {
      // A change to write under the order's lock goes alone: the lock is held across a round trip.
      if (request.locked && batch.length === 0 && !this.#inFlight.has(request.idOrNumber)) {
        batch.push(request);
        rest.push(...this.#waiting.slice(this.#waiting.indexOf(request) + 1));
        break;
      }
      if (request.locked) {
        rest.push(request);
        continue;
      }
      if (batch.length < MAX_BATCH && !refs.has(request.idOrNumber) && !this.#inFlight.has(request.idOrNumber)) {
        refs.add(request.idOrNumber);
        batch.push(request);
      } else {
        rest.push(request);
      }
    }
    this.#waiting = rest;
    return batch;
  }
}

type Outcome = { ok: true; result: ChangeResult } | { ok: false; error: unknown } | { retry: true };

/** Runs a batch and answers its requests; returns those to run again (PostgreSQL: their order changed under them). */
async function runBatch(app: AppContext, batch: ChangeRequest[]): Promise<ChangeRequest[]> {
  let outcomes: Outcome[];
  try {
    outcomes =
      app.db.dialect === 'postgres'
        ? batch[0]?.locked
          ? await applyLocked(app, batch)
          : await applyBatchAtOnce(app, batch)
        : await transact(app, (tx) => applyBatch(app, tx, batch));
  } catch (err) {
    for (const request of batch) request.reject(err);
    return [];
  }
  const again: ChangeRequest[] = [];
  outcomes.forEach((outcome, i) => {
    const request = batch[i]!;
    if ('retry' in outcome) {
      if (request.attempts < MAX_ATTEMPTS) again.push({ ...request, attempts: request.attempts + 1 });
      else if (request.expectedVersion === undefined) again.push({ ...request, attempts: request.attempts + 1, locked: true });
      else request.reject(busyOrder(request.idOrNumber));
    } else if (outcome.ok) request.resolve(outcome.result);
    else request.reject(outcome.error);
  });
  return again;
}

/** Another writer kept changing the order between our read and our write, every time we tried. */
function busyOrder(idOrNumber: string): Problem {
  return new Problem(
    'version-conflict',
    `Order ${idOrNumber} kept changing while this change was being made: reload it and try again`,
  );
}

interface Decided {
  order: StoredOrder;
  wf: Workflow;
  actor: Actor;
  history: HistoryInAnswer;
  /** Whether the change writes anything (a new state or events). */
  writes: boolean;
  firstEvent: number;
  eventCount: number;
}

/** A batch decided against the orders as read: what to write, and what each request becomes if it is written. */
interface DecidedBatch {
  decided: Array<Decided | { error: unknown }>;
  changes: OrderChanges;
  visitsBefore: Map<string, StageVisit[]>;
}

async function decideBatch(
  app: AppContext,
  reader: Kysely<Database>,
  batch: ChangeRequest[],
  forUpdate: boolean,
): Promise<DecidedBatch> {
  const orders = await findOrders(
    reader,
    batch.map((r) => r.idOrNumber),
    { forUpdate },
  );
  const byRef = new Map<string, StoredOrder>();
  for (const o of orders) {
    byRef.set(o.id, o);
    byRef.set(o.number, o);
  }
  // Read before the writes: on SQLite the transaction is the only writer, on PostgreSQL the write is one statement.
  // Only the orders whose answer carries the full history have their visits read.
  const fullHistory = new Set(batch.filter((r) => r.history === 'full').map((r) => byRef.get(r.idOrNumber)?.id));
  const [workflowList, visitsBefore] = await Promise.all([
    findWorkflows(reader, [...new Set(orders.map((o) => o.workflow))]),
    stageVisits(
      reader,
      orders.filter((o) => fullHistory.has(o.id)).map((o) => o.id),
    ),
  ]);
  const workflows = new Map(workflowList.map((wf) => [wf.key, wf]));
  const now = app.clock.now().toISOString();
  // The state each order is in as the batch goes along, and the version it had in the database.
  const current = new Map<string, StoredOrder>();
  const stored = new Map(orders.map((o) => [o.id, o.version]));
  const read = new Map(orders.map((o) => [o.id, o]));
  const entries: StageEntry[] = [];
  const events: NewEvent[] = [];

  const decided: Array<Decided | { error: unknown }> = batch.map((request) => {
    try {
      const loaded = byRef.get(request.idOrNumber);
      if (!loaded) throw notFound(`Order ${request.idOrNumber}`);
      const order = current.get(loaded.id) ?? loaded;
      checkExpectedVersion(order, request.expectedVersion);
      const wf = workflows.get(order.workflow);
      if (!wf) throw notFound(`Workflow "${order.workflow}"`);
      const change = request.decide(order, wf, now);
      const after = change.next ?? order;
      current.set(order.id, after);
      if (change.entersStage) {
        entries.push({
          orderId: order.id,
          stage: change.entersStage,
          at: now,
          by: { id: request.actor.userId, name: request.actor.name },
        });
      }
      const firstEvent = events.length;
      for (const e of change.events) {
        events.push({ ...e, at: now, orderId: order.id, orderVersion: after.version, actor: eventActor(request.actor) });
      }
      const writes = change.next !== null || change.events.length > 0;
      return {
        order: after,
        wf,
        actor: request.actor,
        history: request.history,
        writes,
        firstEvent,
        eventCount: change.events.length,
      };
    } catch (error) {
      return { error };
    }
  });

  const saves = [...current.values()]
    .filter((order) => order.version !== stored.get(order.id))
    .map((order) => ({ order, expectedVersion: stored.get(order.id)!, before: read.get(order.id)! }));
  // Orders that only gain events (a comment) are written at the version they were read at, too.
  const saving = new Set(saves.map((c) => c.order.id));
  const unchanged = [...new Set(events.map((e) => e.orderId!))]
    .filter((id) => !saving.has(id))
    .map((id) => ({ orderId: id, expectedVersion: stored.get(id)! }));
  const workflowVersions = new Map([...workflows.values()].map((wf) => [wf.key, wf.version]));
  return { decided, changes: { saves, unchanged, entries, events, workflowVersions }, visitsBefore };
}

/** SQLite: the batch in one transaction, the only writer, its orders read inside it. */
async function applyBatch(app: AppContext, tx: Kysely<Database>, batch: ChangeRequest[]): Promise<Outcome[]> {
  const { decided, changes, visitsBefore } = await decideBatch(app, tx, batch, false);
  const { saved, chained } = await writeOrderChanges(tx, app.db.dialect, changes);
  // The only writer is us: a miss here means a bug, not a race.
  const missed = changes.saves.find((c) => !saved.has(c.order.id));
  if (missed) throw versionConflict(missed.order, missed.expectedVersion);
  return present(
    app,
    decided,
    () => true,
    chained,
    visitsAfterEntries(visitsBefore, changes.entries),
    await flagContext(app, tx),
  );
}

/**
 * PostgreSQL: read and decide without a transaction, then write the whole batch in one statement that
 * commits on its own, each order only at the version it was read at. Nothing waits on this process between
 * taking a lock and committing. A change whose order moved on in between is decided again on a fresh read.
 */
async function applyBatchAtOnce(app: AppContext, batch: ChangeRequest[]): Promise<Outcome[]> {
  const db = app.db.kysely;
  const { decided, changes, visitsBefore } = await decideBatch(app, db, batch, false);
  const { saved, chained } = await writeOrderChangesAtOnce(db, changes);
  app.afterCommit?.();
  const isWritten = (orderId: string) => saved.has(orderId);
  const entries = changes.entries.filter((e) => isWritten(e.orderId));
  return present(app, decided, isWritten, chained, visitsAfterEntries(visitsBefore, entries), await flagContext(app));
}

/**
 * PostgreSQL, for an unpinned change that kept losing the race: in a transaction, lock the order's row (waiting
 * behind whoever writes it now), decide on what is there, and write it with the same statement. Every writer
 * locks orders before the chain head, so holding the order while the statement takes the head cannot deadlock.
 */
async function applyLocked(app: AppContext, batch: ChangeRequest[]): Promise<Outcome[]> {
  return transact(app, async (tx) => {
    const { decided, changes, visitsBefore } = await decideBatch(app, tx, batch, true);
    const { saved, chained } = await writeOrderChangesAtOnce(tx, changes);
    const isWritten = (orderId: string) => saved.has(orderId);
    const entries = changes.entries.filter((e) => isWritten(e.orderId));
    return present(app, decided, isWritten, chained, visitsAfterEntries(visitsBefore, entries), await flagContext(app, tx));
  });
}

function present(
  app: AppContext,
  decided: DecidedBatch['decided'],
  isWritten: (orderId: string) => boolean,
  chained: ReadonlyArray<ChainedEvent | undefined>,
  visits: ReadonlyMap<string, StageVisit[]>,
  flags: FlagContext,
): Outcome[] {
  const at = app.clock.now();
  return decided.map((d): Outcome => {
    if ('error' in d) return { ok: false, error: d.error };
    // Nothing of this order was written, as it changed under us: decide again. A change that writes nothing stands.
    if (d.writes && !isWritten(d.order.id)) return { retry: true };
    const history = visits.get(d.order.id) ?? [];
    const order =
      d.history === 'full'
        ? presentOrder(d.order, d.wf, history, d.actor.role, at, flags)
        : {
            ...presentOrder(d.order, d.wf, history.filter((v) => v.exitedAt === null).slice(-1), d.actor.role, at, flags),
            historyUrl: historyUrl(d.order.id),
          };
    return {
      ok: true,
      result: {
        order,
        events: chained.slice(d.firstEvent, d.firstEvent + d.eventCount) as ChainedEvent[],
      },
    };
  });
}
