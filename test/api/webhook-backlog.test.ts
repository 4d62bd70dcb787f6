// A large webhook backlog on tables without statistics: the claim walks the index of waiting deliveries in order
// (no sort, no join the planner has to estimate), and the whole backlog goes out, each delivery once and each
// order's deliveries in event order, past an order whose first delivery keeps failing.
import { randomBytes } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newWebhookSecret } from '../../src/app/webhooks.ts';
import { inClaimOrder } from '../../src/store/queue-plan.ts';
import {
  deliveryCounts,
  dueDeliveriesQuery,
  insertDeliveries,
  insertWebhook,
  type NewDelivery,
} from '../../src/store/webhooks.ts';
import { automationFor, Receiver } from '../support/automation.ts';
import { type Harness, startHarness } from '../support/harness.ts';

process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'true';

let h: Harness;
let receiver: Receiver;
beforeEach(async () => {
  h = await startHarness();
  receiver = new Receiver();
  await receiver.up();
});
afterEach(async () => {
  await receiver.down();
  await h.close();
});

/** An endpoint and `orders` × `perOrder` deliveries, interleaved as many orders' moves arrive, none sent yet. */
async function queueBacklog(orders: number, perOrder: number): Promise<string> {
  const db = h.app.db;
  if (db.dialect === 'postgres') {
    // As on a server without autovacuum: the statistics are never gathered.
    for (const t of ['webhook_deliveries', 'outbox']) {
      await sql`alter table ${sql.table(t)} set (autovacuum_enabled = false)`.execute(db.kysely);
    }
  }
  const now = h.clock.now().toISOString();
  const hookId = `wh_${randomBytes(6).toString('hex')}`;
  await insertWebhook(
    db.kysely,
    {
      id: hookId,
      url: receiver.url,
      eventTypes: ['order.stage_changed'],
      active: true,
      description: null,
      role: null,
      secret: newWebhookSecret(),
      createdAt: now,
      updatedAt: now,
    },
    null,
  );
  const list: NewDelivery[] = [];
  for (let i = 0; i < orders * perOrder; i++) {
    const orderId = `ord_${i % orders}`;
    const body = JSON.stringify({ type: 'order.stage_changed', timestamp: now, data: { orderId, seq: i + 1 } });
    list.push({
      webhookId: hookId,
      messageId: `msg_${i}`,
      eventSeq: i + 1,
      eventType: 'order.stage_changed',
      orderKey: orderId,
      payload: body,
      createdAt: now,
    });
  }
  for (let i = 0; i < list.length; i += 500) await insertDeliveries(db.kysely, list.slice(i, i + 500));
  return hookId;
}

/** The plan the database picks for the sender's claim, as text. */
async function claimPlan(hookId: string): Promise<string> {
  const { db } = h.app;
  const query = dueDeliveriesQuery(db.kysely, db.dialect, {
    now: h.clock.now().toISOString(),
    limit: 32,
    endpoints: [hookId],
  }).compile();
  const explain = db.dialect === 'postgres' ? 'explain (costs off) ' : 'explain query plan ';
  return db.kysely.transaction().execute(async (tx) => {
    const result = await inClaimOrder(tx, db.dialect, () =>
      tx.executeQuery<Record<string, unknown>>(CompiledQuery.raw(explain + query.sql, [...query.parameters])),
    );
    return result.rows.map((r) => String(r['QUERY PLAN'] ?? r.detail)).join('\n');
  });
}

describe('a webhook backlog on tables without statistics', () => {
  it('is claimed by walking the index of waiting deliveries in due order, each check one index probe', async () => {
    const hookId = await queueBacklog(1000, 3);
    const plan = await claimPlan(hookId);
    if (h.app.db.dialect === 'postgres') {
      expect(plan).toMatch(/Index Scan using webhook_deliveries_waiting on webhook_deliveries d/);
      expect(plan).toMatch(/Index Only Scan using webhook_deliveries_waiting_order on webhook_deliveries e/);
      expect(plan).toMatch(/Index Only Scan using outbox_waiting_order on outbox o/);
      // Nothing that reads every waiting row before the first is returned.
      expect(plan).not.toMatch(/Sort|Join|Seq Scan|Bitmap/);
    } else {
      expect(plan).toMatch(/SEARCH d USING INDEX webhook_deliveries_waiting \(next_attempt_at<\?\)/);
      expect(plan).toMatch(/SEARCH e USING COVERING INDEX webhook_deliveries_waiting_order/);
      expect(plan).toMatch(/SEARCH o USING (COVERING )?INDEX outbox_waiting_order/);
      expect(plan).not.toMatch(/TEMP B-TREE|SCAN d\b|SCAN e\b/);
    }
  });

  it('goes out whole, each delivery once, each order in event order, past an order whose first delivery fails', async () => {
    const orders = 150;
    const perOrder = 4;
    const hookId = await queueBacklog(orders, perOrder);
    // The first order's first delivery is refused until the receiver recovers: its later ones wait, the rest go.
    let refusing = true;
    receiver.answer = ({ body }) => (refusing && JSON.parse(body).data.seq === 1 ? 500 : 200);
    const jobs = automationFor(h);
    await jobs.drain();
    const early = receiver.accepted();
    expect(early).toHaveLength((orders - 1) * perOrder);
    expect(early.some((r) => r.json.data.orderId === 'ord_0')).toBe(false);

    refusing = false;
    h.clock.advanceHours(1);
    await jobs.drain();
    const all = receiver.accepted();
    expect(all).toHaveLength(orders * perOrder);
    expect(new Set(all.map((r) => r.headers['webhook-id'])).size).toBe(orders * perOrder);
    const lastSeq = new Map<string, number>();
    for (const r of all) {
      const { orderId, seq } = r.json.data as { orderId: string; seq: number };
      expect(seq, `${orderId} out of order`).toBeGreaterThan(lastSeq.get(orderId) ?? 0);
      lastSeq.set(orderId, seq);
    }
    expect(await deliveryCounts(h.app.db.kysely, hookId)).toEqual({ delivered: orders * perOrder });
  });
});
