// Webhooks against real HTTP receivers and real time: every event arrives, verified with the standardwebhooks package,
// exactly once by webhook-id and in order per order, through a receiver that fails and then refuses connections;
// and a receiver that never answers cannot hold up the others.
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock.ts';
import { WEBHOOK_EVENT_TYPES } from '../../src/domain/webhooks.ts';
import { Automation, type AutomationOptions } from '../../src/jobs/automation.ts';
import { deliveryCounts } from '../../src/store/webhooks.ts';
import { eventually, Receiver } from '../support/automation.ts';
import { type Harness, json, newOrder, startHarness } from '../support/harness.ts';

// Receivers listen on 127.0.0.1: the tests allow private networks, as an operator would for a local receiver.
process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'true';

let h: Harness;
let jobs: Automation | null = null;
const receivers: Receiver[] = [];
beforeEach(async () => {
  h = await startHarness();
  h.clock.set(new Date());
});
afterEach(async () => {
  // Receivers first: a hanging request then fails at once instead of holding stop() until its timeout.
  for (const r of receivers.splice(0)) await r.down();
  await jobs?.stop();
  jobs = null;
  await h.close();
});

/** The jobs on real time, running in the background as in the server, poked after every commit. */
async function runJobs(opts: AutomationOptions): Promise<Automation> {
  const automation = new Automation(h.app, { clock: systemClock, pollEveryMs: 25, sweepEveryMs: 3_600_000, ...opts });
  const feed = h.app.afterCommit;
  h.app.afterCommit = () => {
    feed?.();
    automation.poke();
  };
  await automation.start();
  jobs = automation;
  return automation;
}

async function receiver(): Promise<Receiver> {
  const r = new Receiver();
  await r.up();
  receivers.push(r);
  return r;
}

async function register(url: string, eventTypes: readonly string[]): Promise<{ id: string; secret: string }> {
  const res = await h.as('admin').post('/webhooks', { url, eventTypes });
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('delivery to a real receiver', () => {
  it('delivers every event exactly once by webhook-id, in order per order, across 500s and refused connections', async () => {
    const r = await receiver();
    const hook = await register(r.url, WEBHOOK_EVENT_TYPES);
    await runJobs({ retry: { firstDelayMs: 40, maxDelayMs: 300, giveUpAfterMs: 24 * 3_600_000 }, webhookTimeoutMs: 2000 });

    const orders: string[] = [];
    for (let i = 0; i < 4; i++) {
      orders.push(json<{ number: string }>(await h.as('sales').post('/orders', newOrder({ title: `Chaos ${i}` }))).number);
    }
    const round = async (to: string, reason?: string) => {
      for (const n of orders) {
        const res = await h.as('manager').post(`/orders/${n}/transitions`, { to, ...(reason ? { reason } : {}) });
        expect(res.statusCode, res.body).toBe(200);
        await h.as('sales').post(`/orders/${n}/comments`, { body: `Moved to ${to}` });
      }
    };
    await round('proof_approval');
    await sleep(200);

    // The receiver answers 500 for a while...
    r.answer = () => 500;
    await round('received', 'Customer changed the artwork');
    await sleep(400);
    // ...then is gone altogether: connections are refused.
    await r.down();
    await round('proof_approval');
    await sleep(500);
    r.answer = () => 200;
    await r.up();

    // Every event of a subscribed type (the workflow's creation too: it was still in the outbox when the endpoint came).
    const expected = (await h.db.kysely.selectFrom('events').select(['seq', 'type']).orderBy('seq').execute()).filter((e) =>
      (WEBHOOK_EVENT_TYPES as readonly string[]).includes(e.type),
    );
    await eventually(async () => {
      const counts = await deliveryCounts(h.db.kysely, hook.id);
      return (counts.delivered ?? 0) >= expected.length && !counts.pending && !counts.failed;
    }, 'every delivery to be delivered');

    // Every request, whatever it was answered, is a genuine Standard Webhooks message.
    const verifier = new Webhook(hook.secret);
    for (const req of r.requests) verifier.verify(req.body, req.headers as Record<string, string>);
    expect(r.requests.some((q) => q.status === 500)).toBe(true);
    const log = await h.db.kysely
      .selectFrom('webhook_attempts')
      .select('error')
      .where('error', 'like', '%ECONNREFUSED%')
      .execute();
    expect(log.length).toBeGreaterThan(0);

    // One webhook-id per event, however many attempts it took; every event arrived.
    const idsBySeq = new Map<number, Set<string>>();
    for (const req of r.requests) {
      const seq = (JSON.parse(req.body) as { data: { seq: number } }).data.seq;
      idsBySeq.set(seq, (idsBySeq.get(seq) ?? new Set()).add(String(req.headers['webhook-id'])));
    }
    expect([...idsBySeq.values()].every((ids) => ids.size === 1)).toBe(true);
    const firstArrival = new Map<string, { seq: number; order: string }>();
    for (const a of r.accepted()) {
      const id = String(a.headers['webhook-id']);
      const order = a.json.data.order as { number: string } | null;
      if (!firstArrival.has(id)) firstArrival.set(id, { seq: a.json.data.seq as number, order: order?.number ?? '-' });
    }
    expect([...firstArrival.values()].map((a) => a.seq).sort((x, y) => x - y)).toEqual(expected.map((e) => e.seq));
    // Per order, in the order the events happened.
    for (const n of orders) {
      const seqs = [...firstArrival.values()].filter((a) => a.order === n).map((a) => a.seq);
      expect(seqs.length).toBe(1 + 3 * 2);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
  });

  it('does not let a receiver that never answers hold up deliveries to other endpoints', async () => {
    const slow = await receiver();
    slow.answer = () => 'hang';
    const fast = await receiver();
    await register(slow.url, ['order.created']);
    await register(fast.url, ['order.created']);
    await runJobs({ webhookTimeoutMs: 5000, webhookConcurrencyPerEndpoint: 2 });

    const started = Date.now();
    for (let i = 0; i < 8; i++) await h.as('sales').post('/orders', newOrder({ title: `Order ${i}` }));
    await eventually(() => fast.accepted().length === 8, 'the fast receiver to get all eight', 4500);
    // Meanwhile the slow one holds no more than its two slots, and has not timed out yet.
    expect(slow.requests.length).toBeLessThanOrEqual(2);
    expect(Date.now() - started).toBeLessThan(5000);

    await eventually(
      async () =>
        (
          await h.db.kysely
            .selectFrom('webhook_attempts')
            .select('error')
            .where('error', 'like', 'no answer within 5000 ms%')
            .execute()
        ).length >= 2,
      'the slow receiver to time out',
      12_000,
    );
  });
});
