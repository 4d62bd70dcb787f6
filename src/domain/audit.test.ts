import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChainedEvent,
  chainHash,
  checksOut,
  findChainBreak,
  GENESIS_HASH,
  hashedBody,
  hashedBodyAroundSeq,
} from './audit.ts';
import { ACTOR_KINDS, ORDER_EVENT_TYPES, type RecordedEvent } from './events.ts';
import { visibleEventData } from './fields.ts';
import { commitment, saltsFor, sealedCommitments, sealedValues } from './sealing.ts';
import type { WorkflowDefinition } from './workflow.ts';

let saltNo = 0;
const salt = () => (++saltNo).toString(16).padStart(32, '0');

function chain(events: Array<Omit<RecordedEvent, 'seq'>>): ChainedEvent[] {
  let prev = GENESIS_HASH;
  return events.map((e, i) => {
    const event = { ...e, seq: i + 1 };
    const salts = saltsFor(e.data, salt);
    const hash = chainHash(prev, event, salts);
    const out = { ...event, salts, prevHash: prev, hash };
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
  it('hashes the previous hash and the canonical JSON of the event with each field value sealed by its salt', () => {
    const first = events[0]!;
    const sealed = commitment(first.salts['fields.quantity']!, ['fields', 'quantity', 40]);
    expect(sealed).toBe(createHash('sha256').update(`${first.salts['fields.quantity']}["fields","quantity",40]`).digest('hex'));
    const canonical = `{"actor":{"id":"u1","kind":"user","name":"Sam"},"at":"2026-11-24T09:00:00.000Z","data":{"fields":{},"title":"Hoodies"},"orderId":"o1","orderVersion":1,"sealed":["${sealed}"],"seq":1,"type":"order.created"}`;
    expect(first.hash).toBe(
      createHash('sha256')
        .update(GENESIS_HASH + canonical)
        .digest('hex'),
    );
  });

  it('leaves no way to confirm a guessed value from the hash without its salt', () => {
    const first = events[0]!;
    const unsalted = (quantity: number) =>
      createHash('sha256')
        .update(GENESIS_HASH)
        .update(
          JSON.stringify({
            actor: first.actor,
            at: first.at,
            data: { fields: { quantity }, title: 'Hoodies' },
            orderId: 'o1',
            orderVersion: 1,
            seq: 1,
            type: 'order.created',
          }),
        )
        .digest('hex');
    for (let q = 0; q <= 100; q++) expect(unsalted(q)).not.toBe(first.hash);
  });

  it('detects an edited field value, an edited salt and reordered field changes', () => {
    const edit = chain([
      { ...base, type: 'order.created', data: { fields: { price: '10.00', note: 'a' } } },
      {
        ...base,
        type: 'order.updated',
        data: {
          changes: [
            { field: 'fields.price', before: '10.00', after: '12.00' },
            { field: 'title', before: 'a', after: 'b' },
            { field: 'fields.note', before: 'a', after: 'b' },
          ],
        },
      },
    ]);
    expect(findChainBreak(edit).broken).toBeNull();
    const [created, updated] = edit as [ChainedEvent, ChainedEvent];
    const alter = (e: Partial<ChainedEvent>) => findChainBreak([created, { ...updated, ...e }]).broken;
    const changes = updated.data.changes as Array<Record<string, unknown>>;
    expect(alter({ data: { changes: [{ ...changes[0], after: '11.00' }, changes[1], changes[2]] } })).toMatchObject({
      seq: 2,
      problem: 'hash-mismatch',
    });
    expect(alter({ data: { changes: [changes[2], changes[1], changes[0]] } })).toMatchObject({ problem: 'hash-mismatch' });
    expect(alter({ salts: { ...updated.salts, 'changes.0': salt() } })).toMatchObject({ problem: 'hash-mismatch' });
    expect(alter({ salts: {} })).toMatchObject({ problem: 'hash-mismatch' });
  });

  it('lets a reader check an event from what they may see: the commitments and the salts of their own values', () => {
    const wf = {
      fields: [
        { key: 'price', label: 'Price', type: 'money', visibleTo: ['finance'] },
        { key: 'note', label: 'Note', type: 'text' },
      ],
    } as unknown as WorkflowDefinition;
    const [created, updated] = chain([
      { ...base, type: 'order.created', data: { fields: { price: '10.00', note: 'a' } } },
      {
        ...base,
        type: 'order.updated',
        data: {
          changes: [
            { field: 'fields.price', before: '10.00', after: '12.00' },
            { field: 'fields.note', before: 'a', after: 'b' },
          ],
        },
      },
    ]) as [ChainedEvent, ChainedEvent];
    for (const e of [created, updated]) {
      const asProduction = {
        ...e,
        data: visibleEventData(wf, e.data, 'production'),
        sealed: sealedCommitments(e.data, e.salts),
        salts: Object.fromEntries(
          sealedValues(e.data)
            .filter((v) => v.field === 'note')
            .map((v) => [v.id, e.salts[v.id]!]),
        ),
      };
      expect(JSON.stringify(asProduction.data)).not.toContain('10.00');
      expect(checksOut(asProduction)).toBe(true);
      // A value shown other than it was written does not check out.
      expect(checksOut({ ...asProduction, data: JSON.parse(JSON.stringify(asProduction.data).replace('"b"', '"c"')) })).toBe(
        e === created,
      );
    }
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
      // Data that mimics the seq's own text, placeholder digits included, must not confuse the split; field
      // values (sealed apart from the rest) too.
      data: fc.record({
        note: fc.oneof(fc.string(), fc.nat(), fc.constant(987654321), fc.constant('"seq":987654321,"type":')),
        seq: fc.constant(987654321),
        fields: fc.dictionary(fc.constantFrom('seq', 'type', 'price'), fc.oneof(fc.string(), fc.nat(), fc.constant(987654321))),
        changes: fc.array(
          fc.record({
            field: fc.constantFrom('title', 'fields.price', 'fields.seq'),
            before: fc.oneof(fc.string(), fc.constant(987654321)),
            after: fc.string(),
          }),
          { maxLength: 3 },
        ),
      }),
    });
    fc.assert(
      fc.property(eventsWithoutSeq, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (event, seq) => {
        const salts = saltsFor(event.data, salt);
        const { prefix, suffix } = hashedBodyAroundSeq(event, salts);
        expect(prefix + String(seq) + suffix).toBe(hashedBody({ ...event, seq } as RecordedEvent, salts));
      }),
    );
  });
});
