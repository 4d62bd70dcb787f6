// The tamper-evident audit chain: each event's hash covers the previous hash and the event itself.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { RecordedEvent } from './events.ts';
import { commitment, type Salts, sealedCommitments, sealedValues, unsealedData } from './sealing.ts';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * What of an event the chain hashes: the canonical JSON (RFC 8785) of the event without its hashes, where every
 * field value is taken out of the data and stands in `sealed` as its salted commitment (see sealing.ts). So the
 * hash of an event commits to each field value, yet cannot be used to confirm a guess at a value without its salt.
 */
export function hashedBody(event: RecordedEvent, salts: Salts): string {
  return bodyOf(event, sealedCommitments(event.data, salts));
}

/** The hashed body from the event's data with the values taken out and their commitments (as a reader holds them). */
export function bodyOf(event: RecordedEvent, sealed: readonly string[]): string {
  return canonicalJson({
    seq: event.seq,
    type: event.type,
    at: event.at,
    orderId: event.orderId,
    orderVersion: event.orderVersion,
    actor: event.actor,
    data: unsealedData(event.data),
    sealed,
  });
}

/**
 * The hashed body of an event whose seq is not known yet, as the text before and after the seq:
 * `prefix + seq + suffix` is `hashedBody` of the event with that seq. A database that numbers events
 * under its own lock can then compute the chain hash itself (PostgreSQL's batched write does).
 */
export function hashedBodyAroundSeq(event: Omit<RecordedEvent, 'seq'>, salts: Salts): { prefix: string; suffix: string } {
  // Canonical JSON sorts keys, so the top-level "seq" is followed only by "type", an event type: the last
  // occurrence of the placeholder is the seq even when the event's data happens to hold the same digits.
  const body = hashedBody({ ...event, seq: SEQ_PLACEHOLDER }, salts);
  const marker = `"seq":${SEQ_PLACEHOLDER},"type":`;
  const at = body.lastIndexOf(marker);
  if (at < 0) throw new Error('the hashed body has no top-level seq');
  const seqAt = at + '"seq":'.length;
  return { prefix: body.slice(0, seqAt), suffix: body.slice(seqAt + String(SEQ_PLACEHOLDER).length) };
}

const SEQ_PLACEHOLDER = 987654321;

/** SHA-256 (hex) over the previous event's hash and the event's hashed body. */
export function chainHash(prevHash: string, event: RecordedEvent, salts: Salts): string {
  return createHash('sha256').update(prevHash).update(hashedBody(event, salts)).digest('hex');
}

export interface ChainedEvent extends RecordedEvent {
  /** The salts of the event's field values: kept by Floorboard, given only to readers who may see the value. */
  salts: Salts;
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
    const expected = chainHash(prev.hash, e, e.salts);
    if (expected !== e.hash) {
      return { checked, last: prev, broken: { seq: e.seq, problem: 'hash-mismatch', expected, stored: e.hash } };
    }
    checked++;
    prev = { seq: e.seq, hash: e.hash };
  }
  return { checked, last: prev, broken: null };
}

/**
 * An event as one reader holds it: its data with the field values they may not see left out, the commitments to
 * all its field values (`sealed`), and the salts of the values they may see.
 */
export interface ReadEvent extends RecordedEvent {
  sealed: readonly string[];
  salts: Salts;
  prevHash: string;
  hash: string;
}

/**
 * Whether an event checks out as a reader holds it: each field value they see opens one of the commitments
 * with its salt, and the hash follows from the previous hash, the rest of the data and the commitments. A field
 * change is known by its place among the event's changes, which only its salt's id tells a reader who does not
 * see every change: the changes they see pair, in order, with those ids in order.
 */
export function checksOut(e: ReadEvent): boolean {
  const sealed = new Set(e.sealed);
  const changeAt = Object.keys(e.salts)
    .filter((id) => id.startsWith('changes.'))
    .map((id) => Number(id.slice('changes.'.length)))
    .sort((a, b) => a - b);
  let nextChange = 0;
  for (const v of sealedValues(e.data)) {
    let { id, committed } = v;
    if (id.startsWith('changes.')) {
      const at = changeAt[nextChange++];
      if (at === undefined) return false;
      id = `changes.${at}`;
      committed = ['changes', at, (committed as unknown[])[2]];
    }
    const salt = e.salts[id];
    if (salt === undefined || !sealed.has(commitment(salt, committed))) return false;
  }
  return createHash('sha256').update(e.prevHash).update(bodyOf(e, e.sealed)).digest('hex') === e.hash;
}
