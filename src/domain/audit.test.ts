import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChainedEvent, chainHash, findChainBreak, GENESIS_HASH, hashedBody, hashedBodyAroundSeq } from './audit.ts';
import { ACTOR_KINDS, ORDER_EVENT_TYPES, type RecordedEvent } from './events.ts';

function chain(events: Array<Omit<RecordedEvent, 'seq'>>): ChainedEvent[] {
  let prev = GENESIS_HASH;
  return events.map((e, i) => {
    const event = { ...e, seq: i + 1 };
    const hash = chainHash(prev, event);
    const out = { ...event, prevHash: prev, hash };
    prev = hash;
    return out;
  });
}

const base = {
  at: '2026-11-24T09:00:00.000Z',
  orderId: 'o1',
  orderVersion: 1,
  actor: { kind: 'user' as const, id: 'u1', name: 'Sam' },
};
const events = chain([
  { ...base, type: 'order.created', data: { title: 'Hoodies', fields: { quantity: 40 } } },
  { ...base, type: 'comment.added', data: { body: 'Called the customer' } },
  { ...base, type: 'order.held', data: { reason: 'Waiting' } },
]);

describe('the audit chain', () => {
  it('hashes the previous hash and the canonical JSON of the event, whatever the key order', () => {
    const first = events[0]!;
    const canonical =
      '{"actor":{"id":"u1","kind":"user","name":"Sam"},"at":"2026-11-24T09:00:00.000Z","data":{"fields":{"quantity":40},"title":"Hoodies"},"orderId":"o1","orderVersion":1,"seq":1,"type":"order.created"}';
    expect(first.hash).toBe(
      createHash('sha256')
        .update(GENESIS_HASH + canonical)
        .digest('hex'),
    );
  });

  it('verifies an intact chain', () => {
    expect(findChainBreak(events)).toMatchObject({ checked: 3, broken: null });
  });

  it('names the first altered event', () => {
    const altered = events.map((e) => (e.seq === 2 ? { ...e, data: { body: 'Never called' } } : e));
    expect(findChainBreak(altered).broken).toMatchObject({ seq: 2, problem: 'hash-mismatch' });
  });

  it('notices a missing event', () => {
    expect(findChainBreak([events[0]!, events[2]!]).broken).toMatchObject({ seq: 3, problem: 'sequence-gap', expectedSeq: 2 });
  });

  it('splits the hashed body around the seq, so a database can number and hash events itself', () => {
    const eventsWithoutSeq = fc.record({
      type: fc.constantFrom(...ORDER_EVENT_TYPES),
      at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      orderId: fc.option(fc.uuid(), { nil: null }),
      orderVersion: fc.option(fc.nat(), { nil: null }),
      actor: fc.record({
        kind: fc.constantFrom(...ACTOR_KINDS),
        id: fc.option(fc.string(), { nil: null }),
        name: fc.string(),
      }),
      // Data that mimics the seq's own text, placeholder digits included, must not confuse the split.
      data: fc.dictionary(
        fc.constantFrom('seq', 'type', 'body', 'note'),
        fc.oneof(fc.string(), fc.nat(), fc.constant(987654321), fc.constant('"seq":987654321,"type":')),
      ),
    });
    fc.assert(
      fc.property(eventsWithoutSeq, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (event, seq) => {
        const { prefix, suffix } = hashedBodyAroundSeq(event);
        expect(prefix + String(seq) + suffix).toBe(hashedBody({ ...event, seq } as RecordedEvent));
      }),
    );
  });
});
