// The benchmark's data set: a fresh database with a bench workflow, a manager with an API token, and N open
// orders spread over the stages, each with its stage visits and a hash-chained history (order.created, then one
// order.stage_changed per stage it went through), written in bulk through the store's own appendEvents.
import { randomBytes, randomUUID } from 'node:crypto';
import { type Actor, type AppContext, SYSTEM_ACTOR } from '../src/app/context.ts';
import { actorForUser, createUser, issueToken } from '../src/app/manage-access.ts';
import { createWorkflow } from '../src/app/manage-workflows.ts';
import { systemClock } from '../src/domain/clock.ts';
import { seededRandom } from '../src/domain/metrics/random.ts';
import type { Priority } from '../src/domain/order.ts';
import type { WorkflowDefinition } from '../src/domain/workflow.ts';
import type { Db } from '../src/store/db.ts';
import { appendEvents, chainHead, type NewEvent } from '../src/store/events.ts';
import { orderToRow, type StoredOrder } from '../src/store/orders.ts';
import type { StageVisitTable } from '../src/store/schema.ts';

/**
 * Ten stages and no `requires`: a manager may move an order from any stage to the next. The benchmark never
 * enters the last stage (that would complete the order and take it off the board): from the last open stage an
 * order goes back to the first one as rework, with a reason, so all orders stay open however many moves run.
 */
export const BENCH_WORKFLOW: WorkflowDefinition = {
  key: 'bench-line',
  name: 'Benchmark production line',
  orderPrefix: 'BEN',
  stages: [
    { key: 'intake', label: 'Order intake', ownerRole: 'sales', nextAction: 'Confirm the order', stallAfterHours: 8 },
    { key: 'artwork', label: 'Artwork', ownerRole: 'sales', nextAction: 'Get the artwork approved', stallAfterHours: 48 },
    { key: 'sourcing', label: 'Sourcing', ownerRole: 'procurement', nextAction: 'Confirm stock', stallAfterHours: 24 },
    { key: 'scheduled', label: 'Scheduled', ownerRole: 'production', nextAction: 'Book press time', stallAfterHours: 24 },
    { key: 'cutting', label: 'Cutting', ownerRole: 'production', nextAction: 'Cut the blanks', stallAfterHours: 16 },
    { key: 'printing', label: 'Printing', ownerRole: 'production', nextAction: 'Print and cure', stallAfterHours: 16 },
    { key: 'finishing', label: 'Finishing', ownerRole: 'production', nextAction: 'Fold and tag', stallAfterHours: 8 },
    { key: 'quality', label: 'Quality check', ownerRole: 'production', nextAction: 'Inspect the run', stallAfterHours: 8 },
    { key: 'packing', label: 'Packing', ownerRole: 'fulfillment', nextAction: 'Pack and label', stallAfterHours: 8 },
    { key: 'shipped', label: 'Shipped', ownerRole: 'fulfillment', nextAction: 'Confirm delivery', invoiceTrigger: true },
  ],
  fields: [
    { key: 'garment', label: 'Garment', type: 'select', options: ['T-shirt', 'Hoodie', 'Polo shirt', 'Cap'], required: true },
    { key: 'quantity', label: 'Quantity', type: 'number', min: 1, required: true },
    { key: 'print_method', label: 'Print method', type: 'select', options: ['Screen print', 'DTG', 'Embroidery'] },
    { key: 'notes', label: 'Notes', type: 'text' },
  ],
};

export const STAGE_KEYS = BENCH_WORKFLOW.stages.map((s) => s.key);
/** The last stage an order may sit in during the benchmark (the one before the final stage). */
export const LAST_OPEN_STAGE = STAGE_KEYS.length - 2;

/** Where a move from stage index `from` goes: the next stage, or back to the first one from the last open stage. */
export function nextStageIndex(from: number): number {
  return from < LAST_OPEN_STAGE ? from + 1 : 0;
}

export const REWORK_REASON = 'Benchmark: next lap';

export interface Seeded {
  token: string;
  actor: Actor;
  orders: number;
  events: number;
  seconds: number;
}

const CUSTOMERS = ['Harbour FC', 'Northside Brewing Co.', 'St. Aidan Primary School', 'Riverside 10K', 'Delta Robotics'];
const GARMENTS = ['T-shirt', 'Hoodie', 'Polo shirt', 'Cap'];
const PRIORITIES: Priority[] = ['normal', 'normal', 'normal', 'normal', 'high', 'high', 'rush', 'low'];

/** Seeds a migrated, empty database. Users, token and workflow go through the real use cases; orders in bulk. */
export async function seedBench(db: Db, orderCount: number): Promise<Seeded> {
  const started = performance.now();
  const app: AppContext = { db, clock: systemClock };
  const user = await createUser(app, SYSTEM_ACTOR, {
    email: 'bench-manager@bench.floorboard.test',
    name: 'Bench Manager',
    role: 'manager',
    password: randomBytes(18).toString('base64url'),
  });
  const actor = actorForUser(user);
  const { token } = await issueToken(app, actor, user.id, 'bench');
  await createWorkflow(app, SYSTEM_ACTOR, BENCH_WORKFLOW);

  const rnd = seededRandom(20261125);
  const now = Date.now();
  const hour = 3_600_000;
  const by = { id: user.id, name: user.name };
  const eventActor = { kind: 'user' as const, id: user.id, name: user.name };

  const orders: StoredOrder[] = [];
  const visits: Array<Omit<StageVisitTable, 'id'>> = [];
  const events: NewEvent[] = [];
  for (let i = 0; i < orderCount; i++) {
    const stageIndex = i % (LAST_OPEN_STAGE + 1);
    // Most orders entered their stage in the last two hours; one in five has sat for days (stalled,
    // escalated), as on a real floor. Earlier stages lie 1 to 12 hours apart before that.
    const inStage = i % 5 === 0 ? (24 + rnd() * 200) * hour : rnd() * 2 * hour;
    const times = [now - Math.floor(inStage)];
    for (let s = stageIndex; s > 0; s--) times.unshift(times[0]! - Math.floor((1 + rnd() * 11) * hour));
    const entered = times.map((t) => new Date(t).toISOString());
    const created = times[0]!;
    const customer = CUSTOMERS[i % CUSTOMERS.length]!;
    const quantity = 10 + Math.floor(rnd() * 40) * 5;
    const garment = GARMENTS[Math.floor(rnd() * GARMENTS.length)]!;
    const createdAt = entered[0]!;
    const stageEnteredAt = entered[stageIndex]!;
    // One in twenty is overdue; the rest are due in two to six weeks.
    const dueAt =
      i % 20 === 7 ? now - (1 + Math.floor(rnd() * 5)) * 24 * hour : created + (14 + Math.floor(rnd() * 30)) * 24 * hour;
    const due = new Date(dueAt).toISOString().slice(0, 10);
    const order: StoredOrder = {
      id: randomUUID(),
      number: `${BENCH_WORKFLOW.orderPrefix}-${1001 + i}`,
      workflow: BENCH_WORKFLOW.key,
      title: `${garment}s for ${customer}`,
      customer: { name: customer, email: `orders+${i}@customer.example` },
      state: 'active',
      stage: STAGE_KEYS[stageIndex]!,
      stageEnteredAt,
      dueDate: due,
      priority: PRIORITIES[i % PRIORITIES.length]!,
      fields: { garment, quantity, print_method: 'Screen print' },
      items: [{ sku: `${garment.slice(0, 2).toUpperCase()}-${i % 7}`, description: `${garment}, assorted sizes`, quantity }],
      version: stageIndex + 1,
      createdAt,
      updatedAt: stageEnteredAt,
      completedAt: null,
      holdReason: null,
      trackingToken: randomBytes(32).toString('base64url'),
    };
    orders.push(order);
    for (let s = 0; s <= stageIndex; s++) {
      visits.push({
        order_id: order.id,
        stage: STAGE_KEYS[s]!,
        entered_at: entered[s]!,
        exited_at: s < stageIndex ? entered[s + 1]! : null,
        by_id: by.id,
        by_name: by.name,
      });
    }
    events.push({
      type: 'order.created',
      at: createdAt,
      orderId: order.id,
      orderVersion: 1,
      actor: eventActor,
      data: {
        number: order.number,
        workflow: order.workflow,
        title: order.title,
        customer: order.customer,
        stage: STAGE_KEYS[0]!,
        dueDate: order.dueDate,
        priority: order.priority,
        fields: order.fields,
        items: order.items,
      },
    });
    for (let s = 1; s <= stageIndex; s++) {
      events.push({
        type: 'order.stage_changed',
        at: entered[s]!,
        orderId: order.id,
        orderVersion: s + 1,
        actor: eventActor,
        data: { from: STAGE_KEYS[s - 1]!, to: STAGE_KEYS[s]!, reason: null, override: false, kind: 'forward' },
      });
    }
  }
  // One chain for the whole database, in time order, as the real use cases would have written it.
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  await db.kysely.transaction().execute(async (tx) => {
    for (let i = 0; i < orders.length; i += 500) {
      await tx
        .insertInto('orders')
        .values(orders.slice(i, i + 500).map(orderToRow))
        .execute();
    }
    for (let i = 0; i < visits.length; i += 1000) {
      await tx
        .insertInto('stage_visits')
        .values(visits.slice(i, i + 1000))
        .execute();
    }
    for (let i = 0; i < events.length; i += 1000) {
      await appendEvents(tx, db.dialect, events.slice(i, i + 1000));
    }
    // Numbers of orders created later continue after the seeded ones.
    await tx
      .insertInto('counters')
      .values({ key: `order:${BENCH_WORKFLOW.orderPrefix}`, value: 1000 + orderCount })
      .execute();
  });
  const head = await chainHead(db.kysely);
  return { token, actor, orders: orderCount, events: head.seq, seconds: (performance.now() - started) / 1000 };
}

/** One order as a benchmark client sees it: where it is and at which version. */
export interface Slot {
  id: string;
  stage: number;
  version: number;
  /** Set when an answer was lost or refused: the client no longer knows the order's state and leaves it alone. */
  dead: boolean;
}

/** The open orders of the bench workflow as they are now, in a stable order. */
export async function readSlots(db: Db): Promise<Slot[]> {
  const rows = await db.kysely
    .selectFrom('orders')
    .select(['id', 'stage', 'version'])
    .where('workflow', '=', BENCH_WORKFLOW.key)
    .where('state', '=', 'active')
    .orderBy('number')
    .execute();
  return rows.map((r) => ({ id: r.id, stage: STAGE_KEYS.indexOf(r.stage), version: r.version, dead: false }));
}

/** Splits the orders into `n` disjoint slices, one per concurrent client, so no two clients race for one order. */
export function sliceSlots(slots: Slot[], n: number): Slot[][] {
  const slices: Slot[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < slots.length; i++) slices[i % n]!.push(slots[i]!);
  return slices;
}

/** The body of a move request for a slot: the next stage (or rework to the first), pinned to the version. */
export function moveBody(slot: Slot): { to: string; expectedVersion: number; reason?: string } {
  const to = nextStageIndex(slot.stage);
  return to > slot.stage
    ? { to: STAGE_KEYS[to]!, expectedVersion: slot.version }
    : { to: STAGE_KEYS[to]!, reason: REWORK_REASON, expectedVersion: slot.version };
}
