// An event as the API returns it: fields hidden from the reader's role are left out of its data, and what the reader
// needs to check its hash is given without them: the commitments to every field value, the salts of those they see.
import type { ChainedEvent } from '../domain/audit.ts';
import type { EventActor } from '../domain/events.ts';
import { fieldReader, visibleEventData } from '../domain/fields.ts';
import type { Role } from '../domain/roles.ts';
import { type Salts, sealedCommitments, sealedValues } from '../domain/sealing.ts';
import type { WorkflowDefinition } from '../domain/workflow.ts';

export interface EventView {
  seq: number;
  type: string;
  at: string;
  orderId: string | null;
  orderVersion: number | null;
  actor: EventActor;
  data: Record<string, unknown>;
  /** The commitments to every field value of the event, sorted: the hash covers these in place of the values. */
  sealed: string[];
  /** The salts of the field values this reader may see, by their place in the data (`fields.<key>`, `changes.<i>`). */
  salts: Salts;
  hash: string;
  prevHash: string;
}

export function presentEvent(e: ChainedEvent, wf: WorkflowDefinition | null, role: Role): EventView {
  const sees = fieldReader(wf, role);
  return {
    seq: e.seq,
    type: e.type,
    at: e.at,
    orderId: e.orderId,
    orderVersion: e.orderVersion,
    actor: e.actor,
    data: visibleEventData(wf, e.data, role),
    sealed: sealedCommitments(e.data, e.salts),
    salts: Object.fromEntries(
      sealedValues(e.data)
        .filter((v) => sees(v.field))
        .map((v) => [v.id, e.salts[v.id] ?? '']),
    ),
    hash: e.hash,
    prevHash: e.prevHash,
  };
}
