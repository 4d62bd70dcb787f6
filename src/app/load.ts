// Loading what a use case acts on, with the refusals a missing thing earns.
import type { Kysely } from 'kysely';
import type { Workflow } from '../domain/workflow.ts';
import { findOrder, type StoredOrder, stageVisits } from '../store/orders.ts';
import type { Database } from '../store/schema.ts';
import { findWorkflow } from '../store/workflows.ts';
import type { Actor, AppContext } from './context.ts';
import { type OrderView, presentOrder } from './order-view.ts';
import { notFound, Problem, validationFailed } from './problem.ts';
import { flagContext } from './settings.ts';

export async function loadOrder(
  db: Kysely<Database>,
  idOrNumber: string,
  opts: { forUpdate?: boolean } = {},
): Promise<StoredOrder> {
  const order = await findOrder(db, idOrNumber, opts);
  if (!order) throw notFound(`Order ${idOrNumber}`);
  return order;
}

export async function loadWorkflow(db: Kysely<Database>, key: string): Promise<Workflow> {
  const wf = await findWorkflow(db, key);
  if (!wf) throw notFound(`Workflow "${key}"`);
  return wf;
}

/** For input that names a workflow: an unknown one is a validation problem of that input, not a missing page. */
export async function workflowNamedIn(db: Kysely<Database>, key: string): Promise<Workflow> {
  const wf = await findWorkflow(db, key);
  if (!wf) throw validationFailed(`Unknown workflow "${key}"`, [{ path: 'workflow', message: `Unknown workflow "${key}"` }]);
  return wf;
}

/** Refuses when the caller pinned a version and the order has moved past it. */
export function checkExpectedVersion(order: StoredOrder, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== order.version) {
    throw versionConflict(order, expectedVersion);
  }
}

export function versionConflict(order: StoredOrder, expectedVersion: number): Problem {
  return new Problem(
    'version-conflict',
    `Order ${order.number} is at version ${order.version}, not ${expectedVersion}: reload it and try again`,
    { currentVersion: order.version },
  );
}

/** Reads an order back with its stage history, shaped for the actor. */
export async function viewOrder(
  app: AppContext,
  db: Kysely<Database>,
  order: StoredOrder,
  wf: Workflow,
  actor: Actor,
): Promise<OrderView> {
  const visits = await stageVisits(db, [order.id]);
  return presentOrder(order, wf, visits.get(order.id) ?? [], actor.role, app.clock.now(), await flagContext(app, db));
}
