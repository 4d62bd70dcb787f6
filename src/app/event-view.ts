// An event as the API returns it: fields hidden from the reader's role are left out of its data.
import type { ChainedEvent } from '../domain/audit.ts';
import type { DetailChange, EventActor } from '../domain/events.ts';
import { hiddenFieldsFor } from '../domain/fields.ts';
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
  const hidden = wf ? hiddenFieldsFor(wf, role) : new Set<string>();
  let data = e.data;
  if (hidden.size > 0) {
    data = { ...data };
    if (data.fields && typeof data.fields === 'object') {
      data.fields = Object.fromEntries(Object.entries(data.fields).filter(([k]) => !hidden.has(k)));
    }
    if (Array.isArray(data.changes)) {
      data.changes = (data.changes as DetailChange[]).filter(
        (c) => !hidden.has(c.field.replace(/^fields\./, '')) || !c.field.startsWith('fields.'),
      );
    }
  }
  return {
    seq: e.seq,
    type: e.type,
    at: e.at,
    orderId: e.orderId,
    orderVersion: e.orderVersion,
    actor: e.actor,
    data,
    hash: e.hash,
    prevHash: e.prevHash,
  };
}
