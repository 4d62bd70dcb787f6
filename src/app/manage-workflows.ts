// Creating and revising workflows (admins): each revision is a new version; stages holding orders cannot vanish.

import { mayAdminister } from '../domain/roles.ts';
import { checkWorkflowDefinition, removedStages, type Workflow, type WorkflowDefinition } from '../domain/workflow.ts';
import { appendEvents } from '../store/events.ts';
import { openOrdersPerStage } from '../store/orders.ts';
import { findWorkflow, lockForRevision, saveWorkflow } from '../store/workflows.ts';
import { type Actor, type AppContext, eventActor, transact } from './context.ts';
import { loadWorkflow } from './load.ts';
import { forbidden, Problem, validationFailed } from './problem.ts';

function checkDefinition(def: WorkflowDefinition): void {
  const problems = checkWorkflowDefinition(def);
  if (problems.length) throw validationFailed('The workflow definition is not valid', problems);
}

export async function createWorkflow(app: AppContext, actor: Actor, def: WorkflowDefinition): Promise<Workflow> {
  if (!mayAdminister(actor.role)) throw forbidden('Only an admin may create workflows');
  checkDefinition(def);
  return transact(app, async (tx) => {
    if (await findWorkflow(tx, def.key)) {
      throw new Problem('conflict', `A workflow with key "${def.key}" already exists; use PUT to revise it`);
    }
    const wf: Workflow = { ...def, version: 1 };
    const at = app.clock.now().toISOString();
    await saveWorkflow(tx, wf, at, actor.userId);
    await appendEvents(tx, app.db.dialect, [
      { type: 'workflow.created', at, orderId: null, orderVersion: null, actor: eventActor(actor), data: { workflow: wf } },
    ]);
    return wf;
  });
}

export async function reviseWorkflow(app: AppContext, actor: Actor, key: string, def: WorkflowDefinition): Promise<Workflow> {
  if (!mayAdminister(actor.role)) throw forbidden('Only an admin may change workflows');
  if (def.key !== key) {
    throw validationFailed('The key in the body must match the workflow being revised', [
      { path: 'key', message: `must be "${key}"` },
    ]);
  }
  checkDefinition(def);
  return transact(app, async (tx) => {
    await lockForRevision(tx, app.db.dialect, key);
    const current = await loadWorkflow(tx, key);
    const occupied = await openOrdersPerStage(tx, key);
    const stranded = removedStages(current, def).filter((stage) => occupied.has(stage));
    if (stranded.length) {
      throw new Problem('stage-in-use', `Orders are still in ${stranded.join(', ')}: move them before removing the stage`, {
        stages: stranded,
        orders: Object.fromEntries(stranded.map((s) => [s, occupied.get(s)])),
      });
    }
    const wf: Workflow = { ...def, version: current.version + 1 };
    const at = app.clock.now().toISOString();
    await saveWorkflow(tx, wf, at, actor.userId);
    await appendEvents(tx, app.db.dialect, [
      { type: 'workflow.updated', at, orderId: null, orderVersion: null, actor: eventActor(actor), data: { workflow: wf } },
    ]);
    return wf;
  });
}
