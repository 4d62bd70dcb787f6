// The tamper-evident audit chain: each event's hash covers the previous hash and the event itself.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { RecordedEvent } from './events.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** What of an event the chain hashes: its canonical JSON (RFC 8785) without the hashes themselves. */
export function hashedBody(event: RecordedEvent): string {
  return canonicalJson({
    seq: event.seq,
    type: event.type,
    at: event.at,
    orderId: event.orderId,
    orderVersion: event.orderVersion,
    actor: event.actor,
    data: event.data,
  });
}

/**
 * The hashed body of an event whose seq is not known yet, as the text before and after the seq:
 * `prefix + seq + suffix` is `hashedBody` of the event with that seq. A database that numbers events
 * under its own lock can then compute the chain hash itself (PostgreSQL's batched write does).
 */
export function hashedBodyAroundSeq(event: Omit<RecordedEvent, 'seq'>): { prefix: string; suffix: string } {
  // Canonical JSON sorts keys, so the top-level "seq" is followed only by "type", an event type: the last
  // occurrence of the placeholder is the seq even when the event's data happens to hold the same digits.
  const body = hashedBody({ ...event, seq: SEQ_PLACEHOLDER });
  const marker = `"seq":${SEQ_PLACEHOLDER},"type":`;
  const at = body.lastIndexOf(marker);
  if (at < 0) throw new Error('the hashed body has no top-level seq');
  const seqAt = at + '"seq":'.length;
  return { prefix: body.slice(0, seqAt), suffix: body.slice(seqAt + String(SEQ_PLACEHOLDER).length) };
}

const SEQ_PLACEHOLDER = 987654321;

/** SHA-256 (hex) over the previous event's hash and the event's canonical JSON (RFC 8785). */
export function chainHash(prevHash: string, event: RecordedEvent): string {
  return createHash('sha256').update(prevHash).update(hashedBody(event)).digest('hex');
}

export interface ChainedEvent extends RecordedEvent {
  prevHash: string;
  hash: string;
}

export type ChainBreak =
  | { seq: number; problem: 'hash-mismatch'; expected: string; stored: string }
  | { seq: number; problem: 'prev-hash-mismatch'; expected: string; stored: string }
  | { seq: number; problem: 'sequence-gap'; expectedSeq: number };

/**
 * Walks events in sequence order from a known point and returns the first break, if any.
 * `from` is the hash and seq of the last verified event (genesis by default).
 */
export function findChainBreak(
  events: Iterable<ChainedEvent>,
  from: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): { checked: number; last: { seq: number; hash: string }; broken: ChainBreak | null } {
  let prev = from;
  let checked = 0;
  for (const e of events) {
    if (e.seq !== prev.seq + 1) {
      return { checked, last: prev, broken: { seq: e.seq, problem: 'sequence-gap', expectedSeq: prev.seq + 1 } };
    }
    if (e.prevHash !== prev.hash) {
      return {
        checked,
        last: prev,
        broken: { seq: e.seq, problem: 'prev-hash-mismatch', expected: prev.hash, stored: e.prevHash },
      };
    }
    const expected = chainHash(prev.hash, e);
    if (expected !== e.hash) {
      return { checked, last: prev, broken: { seq: e.seq, problem: 'hash-mismatch', expected, stored: e.hash } };
    }
    checked++;
    prev = { seq: e.seq, hash: e.hash };
  }
  return { checked, last: prev, broken: null };
}
