// Several server processes on one PostgreSQL database share the outbox and the senders without doing anything twice,
// and sweep one at a time. (SQLite has one server process by design: these run on PostgreSQL only.)
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { type Db, openDb } from '../../src/store/db.ts';
import { automationFor, Receiver } from '../support/automation.ts';
import { type Harness, json, newOrder, startHarness, testDbKind } from '../support/harness.ts';

process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'true';

const postgres = testDbKind() === 'postgres';
let h: Harness;
const others: Db[] = [];
const receiver = new Receiver();

beforeAll(async () => {
  if (!postgres) return;
  h = await startHarness();
  await receiver.up();
});
afterAll(async () => {
  if (!postgres) return;
  await receiver.down();
  for (const db of others) await db.close();
  await h.close();
});

/** Another "server process": its own connection pool to the same database and schema. */
async function anotherProcess(): Promise<AppContext> {
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(h.db.kysely)).rows[0]!.s;
  const db = openDb(process.env.TEST_POSTGRES_URL!, { schema });
  others.push(db);
  return { db, clock: h.clock };
}

describe.runIf(postgres)('several processes on one PostgreSQL database', () => {
  it('dispatch and send every event once between them (SKIP LOCKED), keeping each order in order', async () => {
    const hook = json<{ id: string }>(
      await h
        .as('admin')
        .post('/webhooks', { url: receiver.url, eventTypes: ['order.created', 'order.stage_changed', 'comment.added'] }),
    );
    const numbers: string[] = [];
    for (let i = 0; i < 12; i++) {
      const order = json<{ number: string }>(await h.as('sales').post('/orders', newOrder({ title: `Shared ${i}` })));
      numbers.push(order.number);
      await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
      await h.as('sales').post(`/orders/${order.number}/comments`, { body: 'Shared' });
    }
    const processes = [
      automationFor(h),
      automationFor({ ...h, app: await anotherProcess() } as Harness),
      automationFor({ ...h, app: await anotherProcess() } as Harness),
    ];
    await Promise.all(processes.map((p) => p.drain()));
    await Promise.all(processes.map((p) => p.drain()));

    const ids = receiver.requests.map((r) => String(r.headers['webhook-id']));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(12 * 3);
    for (const number of numbers) {
      const types = receiver
        .accepted()
        .filter((r) => (r.json.data.order as { number: string }).number === number)
        .map((r) => r.json.type);
      expect(types).toEqual(['order.created', 'order.stage_changed', 'comment.added']);
    }
    // Each event became its notices once: procurement is not involved, sales moved its own orders;
    // every event was dispatched exactly once.
    const outbox = await h.db.kysely.selectFrom('outbox').select(['processed_at']).execute();
    expect(outbox.every((r) => r.processed_at !== null)).toBe(true);
    const perSeq = await h.db.kysely
      .selectFrom('webhook_deliveries')
      .select(['event_seq', (eb) => eb.fn.countAll<number>().as('n')])
      .where('webhook_id', '=', hook.id)
      .groupBy('event_seq')
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    expect(perSeq).toEqual([]);
  });

  it('sweeps in one process at a time, and tells each alert once', async () => {
    const order = json<{ number: string }>(await h.as('sales').post('/orders', newOrder({ title: 'Sweep me' })));
    h.clock.advanceHours(24 * 7);
    const processes = [automationFor(h), automationFor({ ...h, app: await anotherProcess() } as Harness)];
    const reports = await Promise.all([...processes, ...processes].map((p) => p.sweep()));
    expect(reports.some((r) => r.ran)).toBe(true);
    const events = json<{ items: Array<{ type: string }> }>(await h.as('viewer').get(`/orders/${order.number}/events`)).items;
    expect(events.filter((e) => e.type === 'order.stalled')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'order.escalated')).toHaveLength(1);
  });
});
