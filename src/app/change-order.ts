// The one path every change to an existing order takes: load, decide, write under the version check, record.
//
// Changes are committed in batches (group commit): while one batch is in its transaction, the
// next requests queue and then go in together. Every transaction appends to the one audit chain
// and must hold its head until commit, so a durable commit per change would cap throughput at
// one disk flush per move; a batch pays that flush once. Each change in a batch is decided on
// its own and refused on its own; only a database failure fails the whole batch.
import type { Kysely } from 'kysely';
import type { ChainedEvent } from '../domain/audit.ts';
import type { Workflow } from '../domain/workflow.ts';
import type { NewEvent } from '../store/events.ts';
import { writeOrderChanges } from '../store/order-changes.ts';
import { findOrders, type StageEntry, type StoredOrder, stageVisits, visitsAfterEntries } from '../store/orders.ts';
import type { Database } from '../store/schema.ts';
import { findWorkflows } from '../store/workflows.ts';
import { type Actor, type AppContext, eventActor, transact } from './context.ts';
import { checkExpectedVersion, versionConflict } from './load.ts';
import { type OrderView, presentOrder } from './order-view.ts';
import { notFound } from './problem.ts';
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

interface ChangeRequest {
  actor: Actor;
  idOrNumber: string;
  expectedVersion: number | undefined;
  decide: Decide;
  resolve: (result: ChangeResult) => void;
  reject: (err: unknown) => void;
}

/** How many batches may be under way at once on PostgreSQL. */
const PG_BATCHES_AT_ONCE = 4;

/** At most this many changes share one transaction. */
const MAX_BATCH = 64;

/** Applies `decide` to the current order and records the change, in a transaction shared with other changes. */
export function changeOrder(
  app: AppContext,
  actor: Actor,
  idOrNumber: string,
  expectedVersion: number | undefined,
  decide: Decide,
): Promise<ChangeResult> {
  return new Promise((resolve, reject) => {
    queueOf(app).submit({ actor, idOrNumber, expectedVersion, decide, resolve, reject });
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
    // SQLite has one writer. On PostgreSQL batches overlap: while one holds the chain head and
    // commits, the others read and lock their orders. Measured (npm run bench, 2 cores): 4 beat 2
    // by a tenth; 8 queued on the head and halved the rate.
    queue = new ChangeQueue(app, app.db.dialect === 'postgres' ? PG_BATCHES_AT_ONCE : 1);
    queues.set(app, queue);
  }
  return queue;
}

class ChangeQueue {
  #waiting: ChangeRequest[] = [];
  #running = 0;
  #scheduled = false;

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
      this.#running++;
      void runBatch(this.app, batch).finally(() => {
        this.#running--;
        this.#pump();
      });
    }
  }

  /** The oldest waiting changes, one per order reference: a second change of an order waits for the next batch. */
  #takeBatch(): ChangeRequest[] {
    const batch: ChangeRequest[] = [];
    const refs = new Set<string>();
    const rest: ChangeRequest[] = [];
    for (const request of this.#waiting) {
      if (batch.length < MAX_BATCH && !refs.has(request.idOrNumber)) {
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

type Outcome = { ok: true; result: ChangeResult } | { ok: false; error: unknown };

async function runBatch(app: AppContext, batch: ChangeRequest[]): Promise<void> {
  let outcomes: Outcome[];
  try {
    outcomes = await transact(app, (tx) => applyBatch(app, tx, batch));
  } catch (err) {
    for (const request of batch) request.reject(err);
    return;
  }
  outcomes.forEach((outcome, i) => {
    if (outcome.ok) batch[i]!.resolve(outcome.result);
    else batch[i]!.reject(outcome.error);
  });
}

interface Decided {
  order: StoredOrder;
  wf: Workflow;
  actor: Actor;
  firstEvent: number;
  eventCount: number;
}

async function applyBatch(app: AppContext, tx: Kysely<Database>, batch: ChangeRequest[]): Promise<Outcome[]> {
  const orders = await findOrders(
    tx,
    batch.map((r) => r.idOrNumber),
    { forUpdate: app.db.dialect === 'postgres' },
  );
  const byRef = new Map<string, StoredOrder>();
  for (const o of orders) {
    byRef.set(o.id, o);
    byRef.set(o.number, o);
  }
  const workflows = new Map((await findWorkflows(tx, [...new Set(orders.map((o) => o.workflow))])).map((wf) => [wf.key, wf]));
  // Read before the writes: from the chain head's lock to the commit, every round trip holds up every other batch.
  const visitsBefore = await stageVisits(
    tx,
    orders.map((o) => o.id),
  );
  const now = app.clock.now().toISOString();
  // The state each order is in as the batch goes along, and the version it had in the database.
  const current = new Map<string, StoredOrder>();
  const stored = new Map(orders.map((o) => [o.id, o.version]));
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
      return { order: after, wf, actor: request.actor, firstEvent, eventCount: change.events.length };
    } catch (error) {
      return { error };
    }
  });

  const saves = [...current.values()]
    .filter((order) => order.version !== stored.get(order.id))
    .map((order) => ({ order, expectedVersion: stored.get(order.id)! }));
  const { saved, chained } = await writeOrderChanges(tx, app.db.dialect, { saves, entries, events });
  // The rows are locked (PostgreSQL) or the only writer is us (SQLite): a miss here means a bug, not a race.
  const missed = saves.find((c) => !saved.has(c.order.id));
  if (missed) throw versionConflict(missed.order, missed.expectedVersion);
  const visits = visitsAfterEntries(visitsBefore, entries);
  const at = app.clock.now();
  const flags = await flagContext(app, tx);
  return decided.map((d): Outcome => {
    if ('error' in d) return { ok: false, error: d.error };
    return {
      ok: true,
      result: {
        order: presentOrder(d.order, d.wf, visits.get(d.order.id) ?? [], d.actor.role, at, flags),
        events: chained.slice(d.firstEvent, d.firstEvent + d.eventCount),
      },
    };
  });
}
