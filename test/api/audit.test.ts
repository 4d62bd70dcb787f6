// The audit trail: every change is a hash-chained event; altering any row of history is detected.

import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/verify-audit.ts';
import { GENESIS_HASH } from '../../src/domain/audit.ts';
import { canonicalJson } from '../../src/domain/canonical-json.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { migrate } from '../../src/store/migrations/index.ts';
import { freshDb, type Harness, json, newOrder, startHarness, TEST_START } from '../support/harness.ts';

let h: Harness;
let number: string;
beforeAll(async () => {
  h = await startHarness();
  const order = json<{ number: string }>(await h.as('sales').post('/orders', newOrder()));
  number = order.number;
  await h.as('sales').patch(`/orders/${number}`, { title: 'Team hoodies (navy)', fields: { quantity: 44 } });
  await h.as('sales').post(`/orders/${number}/transitions`, { to: 'proof_approval' });
  await h.as('service').post(`/orders/${number}/comments`, { body: 'Customer called: wants it by the 15th' });
});
afterAll(() => h.close());

type Ev = {
  seq: number;
  type: string;
  data: Record<string, unknown>;
  hash: string;
  prevHash: string;
  actor: Record<string, unknown>;
};

describe('order history', () => {
  it('lists every change of an order oldest first, with who did it and what changed', async () => {
    const events = json<{ items: Ev[] }>(await h.as('viewer').get(`/orders/${number}/events`)).items;
    expect(events.map((e) => e.type)).toEqual(['order.created', 'order.updated', 'order.stage_changed', 'comment.added']);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
    expect(events[1]!.data.changes).toEqual([
      { field: 'title', before: 'Team hoodies', after: 'Team hoodies (navy)' },
      { field: 'fields.quantity', before: 40, after: 44 },
    ]);
    expect(events[3]!.actor).toMatchObject({ kind: 'token', name: 'Test service (tests)' });
    for (const e of events) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('offers no way to change or delete an event', async () => {
    const events = json<{ items: Ev[] }>(await h.as('admin').get(`/orders/${number}/events`)).items;
    for (const method of ['put', 'patch'] as const) {
      expect((await h.as('admin')[method](`/orders/${number}/events/${events[0]!.seq}`, {})).statusCode).toBe(404);
    }
    expect((await h.as('admin').delete(`/orders/${number}/events/${events[0]!.seq}`)).statusCode).toBe(404);
  });
});

describe('verifying the chain', () => {
  it('reports an intact chain to an admin, and refuses others', async () => {
    const res = await h.as('admin').get('/audit/verify');
    expect(res.statusCode).toBe(200);
    const report = json(res);
    expect(report).toMatchObject({ ok: true, broken: null });
    expect(report.events).toBeGreaterThan(10);
    expect((await h.as('manager').get('/audit/verify')).statusCode).toBe(403);
  });

  it('names the first event whose content was altered by hand', async () => {
    const events = json<{ items: Ev[] }>(await h.as('admin').get(`/orders/${number}/events`)).items;
    const target = events[3]!;
    const original = await h.db.kysely
      .selectFrom('events')
      .select('data')
      .where('seq', '=', target.seq)
      .executeTakeFirstOrThrow();
    await sql`update events set data = ${JSON.stringify({ body: 'Customer is happy' })} where seq = ${target.seq}`.execute(
      h.db.kysely,
    );
    try {
      const report = json<{ ok: boolean; broken: { seq: number; problem: string } }>(await h.as('admin').get('/audit/verify'));
      expect(report.ok).toBe(false);
      expect(report.broken).toMatchObject({ seq: target.seq, problem: 'hash-mismatch' });
    } finally {
      await sql`update events set data = ${original.data} where seq = ${target.seq}`.execute(h.db.kysely);
    }
    expect(json(await h.as('admin').get('/audit/verify')).ok).toBe(true);
  });

  it('detects a removed event, also when it was the last one', async () => {
    const last = await h.db.kysely.selectFrom('events').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    await h.db.kysely.deleteFrom('events').where('seq', '=', last.seq).execute();
    try {
      const report = json<{ ok: boolean; broken: { seq: number } }>(await h.as('admin').get('/audit/verify'));
      expect(report.ok).toBe(false);
      expect(report.broken.seq).toBe(last.seq);
    } finally {
      await h.db.kysely.insertInto('events').values(last).execute();
    }
    const middle = Math.floor(last.seq / 2);
    const row = await h.db.kysely.selectFrom('events').selectAll().where('seq', '=', middle).executeTakeFirstOrThrow();
    await h.db.kysely.deleteFrom('events').where('seq', '=', middle).execute();
    try {
      const report = json<{ ok: boolean; broken: { seq: number; problem: string } }>(await h.as('admin').get('/audit/verify'));
      expect(report.broken).toMatchObject({ problem: 'sequence-gap', seq: middle + 1 });
    } finally {
      await h.db.kysely.insertInto('events').values(row).execute();
    }
  });

  it('detects a rewritten event even when its hash was recomputed, because the next link breaks', async () => {
    const { chainHash } = await import('../../src/domain/audit.ts');
    const { fromRow } = await import('../../src/store/events.ts');
    const head = await h.db.kysely.selectFrom('events').selectAll().orderBy('seq', 'desc').limit(2).execute();
    const victim = head[1]!;
    const forged = { ...fromRow(victim), data: { forged: true } };
    const forgedHash = chainHash(victim.prev_hash, forged, forged.salts);
    await sql`update events set data = ${JSON.stringify(forged.data)}, hash = ${forgedHash} where seq = ${victim.seq}`.execute(
      h.db.kysely,
    );
    try {
      const report = json<{ ok: boolean; broken: { seq: number; problem: string } }>(await h.as('admin').get('/audit/verify'));
      expect(report.broken).toMatchObject({ seq: victim.seq + 1, problem: 'prev-hash-mismatch' });
    } finally {
      await sql`update events set data = ${victim.data}, hash = ${victim.hash} where seq = ${victim.seq}`.execute(h.db.kysely);
    }
  });
});

describe('a history written before field values were sealed', () => {
  const actor = { kind: 'user', id: 'u1', name: 'Sam' };
  const legacy = [
    { type: 'order.created', data: { title: 'Hoodies', fields: { unit_price: '4321.98', quantity: 40 } } },
    { type: 'order.updated', data: { changes: [{ field: 'fields.unit_price', before: '4321.98', after: '4400.00' }] } },
    { type: 'comment.added', data: { body: 'Priced' } },
  ];

  /** A database at migration 005 holding the events above, hashed as they were then. */
  async function legacyDb() {
    const fresh = await freshDb(undefined, undefined, '005-outbox-queue');
    let prev = GENESIS_HASH;
    const k = fresh.db.kysely;
    for (const [i, e] of legacy.entries()) {
      const seq = i + 1;
      const body = { seq, type: e.type, at: TEST_START, orderId: 'o1', orderVersion: 1, actor, data: e.data };
      const hash = createHash('sha256').update(prev).update(canonicalJson(body)).digest('hex');
      await sql`insert into events (seq, type, at, order_id, order_version, actor_kind, actor_id, actor_name, data, prev_hash, hash)
        values (${seq}, ${e.type}, ${TEST_START}, 'o1', 1, 'user', 'u1', 'Sam', ${JSON.stringify(e.data)}, ${prev}, ${hash})`.execute(
        k,
      );
      prev = hash;
    }
    await sql`update chain_head set seq = ${legacy.length}, hash = ${prev} where id = 1`.execute(k);
    return { ...fresh, head: prev };
  }

  it('is checked, then re-sealed: intact, no longer open to guesses, and the re-sealing recorded', async () => {
    const { db, drop, head } = await legacyDb();
    try {
      await migrate(db);
      const report = await verifyAudit({ db, clock: new ManualClock(TEST_START) } as never);
      expect(report).toMatchObject({ ok: true, events: 3 });
      const rows = await db.kysely.selectFrom('events').selectAll().orderBy('seq').execute();
      expect(Object.keys(JSON.parse(rows[0]!.salts))).toEqual(['fields.unit_price', 'fields.quantity']);
      expect(Object.keys(JSON.parse(rows[1]!.salts))).toEqual(['changes.0']);
      // The old hash of the creation, which a guess at the price reproduced, is gone.
      const oldFirst = createHash('sha256')
        .update(GENESIS_HASH)
        .update(
          canonicalJson({
            seq: 1,
            type: legacy[0]!.type,
            at: TEST_START,
            orderId: 'o1',
            orderVersion: 1,
            actor,
            data: legacy[0]!.data,
          }),
        )
        .digest('hex');
      expect(rows[0]!.hash).not.toBe(oldFirst);
      const reseals = await db.kysely.selectFrom('audit_reseals').selectAll().execute();
      expect(reseals).toEqual([expect.objectContaining({ events: 3, old_head_hash: head, head_hash: rows[2]!.hash })]);
    } finally {
      await drop();
    }
  });

  it('is not re-sealed when it was already broken: the upgrade stops and the history is left as it was', async () => {
    const { db, drop } = await legacyDb();
    try {
      await sql`update events set data = ${JSON.stringify({ body: 'Never priced' })} where seq = 3`.execute(db.kysely);
      const before = await db.kysely.selectFrom('events').select(['seq', 'hash']).orderBy('seq').execute();
      await expect(migrate(db)).rejects.toThrow(/broken at event 3/);
      expect(await db.kysely.selectFrom('events').select(['seq', 'hash']).orderBy('seq').execute()).toEqual(before);
      // Once the history is restored, the upgrade goes through.
      await sql`update events set data = ${JSON.stringify(legacy[2]!.data)} where seq = 3`.execute(db.kysely);
      await migrate(db);
      expect(await verifyAudit({ db, clock: new ManualClock(TEST_START) } as never)).toMatchObject({ ok: true, events: 3 });
    } finally {
      await drop();
    }
  });
});
