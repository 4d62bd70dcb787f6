// The audit trail: every change is a hash-chained event; altering any row of history is detected.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, newOrder, startHarness } from '../support/harness.ts';

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
