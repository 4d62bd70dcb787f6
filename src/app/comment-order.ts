// Comments on an order: part of its history, visible to everyone signed in; they do not change the order's version.
// A comment marked as a problem report names the stage it was reported in, and tells that stage's owners.
import { changeOrder } from './change-order.ts';
import type { Actor, AppContext } from './context.ts';
import { type EventView, presentEvent } from './event-view.ts';
import { forbidden } from './problem.ts';

export async function commentOnOrder(
  app: AppContext,
  actor: Actor,
  idOrNumber: string,
  body: string,
  opts: { problem?: boolean | undefined } = {},
): Promise<EventView> {
  if (actor.role === 'viewer') throw forbidden('A viewer may read orders but not comment on them');
  const { events } = await changeOrder(app, actor, idOrNumber, undefined, (order) => ({
    next: null,
    events: [{ type: 'comment.added', data: opts.problem ? { body, problem: true, stage: order.stage } : { body } }],
  }));
  return presentEvent(events[0]!, null, actor.role);
}
