// An event as the API returns it: fields hidden from the reader's role are left out of its data.
import type { ChainedEvent } from '../domain/audit.ts';
import type { EventActor } from '../domain/events.ts';
import { visibleEventData } from '../domain/fields.ts';
import type { Role } from '../domain/roles.ts';
import type { WorkflowDefinition } from '../domain/workflow.ts';

export interface EventView {
  seq: number;
  type: string;
  at: string;
  orderId: string | null;
  orderVersion: number | null;
  actor: EventActor;
  data: Record<string, unknown>;
  hash: string;
  prevHash: string;
}

export function presentEvent(e: ChainedEvent, wf: WorkflowDefinition | null, role: Role): EventView {
  return {
    seq: e.seq,
    type: e.type,
    at: e.at,
    orderId: e.orderId,
    orderVersion: e.orderVersion,
    actor: e.actor,
    data: visibleEventData(wf, e.data, role),
    hash: e.hash,
    prevHash: e.prevHash,
  };
}
