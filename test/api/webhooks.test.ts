// Webhook endpoints (admin): registration and its network rules, the secret shown once, deliveries signed per
// Standard Webhooks, retries with backoff for a day, one order's deliveries in order, the log, and resending.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookDelivery, Webhook as WebhookSchema } from '../../src/http/routes/webhooks.ts';
import { pageOf } from '../../src/http/schemas.ts';
import type { Automation } from '../../src/jobs/automation.ts';
import { automationFor, conforms, Receiver } from '../support/automation.ts';
import { type Harness, json, newOrder, startHarness } from '../support/harness.ts';

delete process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS;

let h: Harness;
let jobs: Automation;
const receiver = new Receiver();
beforeAll(async () => {
  h = await startHarness();
  jobs = automationFor(h);
  await receiver.up();
});
afterAll(async () => {
  await receiver.down();
  await h.close();
});

type Hook = {
  id: string;
  url: string;
  eventTypes: string[];
  active: boolean;
  secret?: string;
  deliveries: Record<string, number>;
};
type Delivery = {
  id: number;
  messageId: string;
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  attemptLog: Array<{ at: string; statusCode: number | null; durationMs: number; error: string | null }>;
};

async function register(body: Record<string, unknown>): Promise<Hook & { secret: string }> {
  const res = await h.as('admin').post('/webhooks', body);
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}

const deliveriesOf = async (id: string, query = '') =>
  json<{ items: Delivery[]; nextCursor: string | null }>(await h.as('admin').get(`/webhooks/${id}/deliveries${query}`));

describe('registering an endpoint', () => {
  it('is for admins, and shows the whsec_ secret once', async () => {
    const body = { url: 'https://93.184.215.14/floorboard', eventTypes: ['order.created', 'order.ready_to_invoice'] };
    expect((await h.as('manager').post('/webhooks', body)).statusCode).toBe(403);
    expect((await h.as('manager').get('/webhooks')).statusCode).toBe(403);
    expect((await h.as(null).get('/webhooks')).statusCode).toBe(401);
    const hook = await register({ ...body, description: 'Invoicing' });
    expect(hook).toMatchObject({ url: body.url, eventTypes: body.eventTypes, active: true, description: 'Invoicing' });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const read = await h.as('admin').get(`/webhooks/${hook.id}`);
    conforms(WebhookSchema, json(read));
    conforms(WebhookSchema.extend({ secret: WebhookSchema.shape.url }), hook);
    expect(json(read)).not.toHaveProperty('secret');
    expect(read.body).not.toContain(hook.secret.slice(6));
    expect(JSON.stringify(json(await h.as('admin').get('/webhooks')))).not.toContain(hook.secret.slice(6));

    const changed = await h.as('admin').patch(`/webhooks/${hook.id}`, { active: false, eventTypes: ['order.stalled'] });
    expect(json(changed)).toMatchObject({ active: false, eventTypes: ['order.stalled'], url: body.url });
    const rotated = json<{ secret: string }>(await h.as('admin').post(`/webhooks/${hook.id}/rotate-secret`));
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(hook.secret);

    const types = json<{ items: string[] }>(await h.as('admin').get('/webhooks/event-types')).items;
    for (const t of [
      'order.created',
      'order.stage_changed',
      'order.stalled',
      'order.escalated',
      'order.at_risk',
      'order.overdue',
      'order.ready_to_invoice',
      'comment.added',
    ]) {
      expect(types).toContain(t);
    }
    expect((await h.as('admin').delete(`/webhooks/${hook.id}`)).statusCode).toBe(204);
    expect((await h.as('admin').get(`/webhooks/${hook.id}`)).statusCode).toBe(404);
  });

  it('refuses URLs that are not http(s) or that reach loopback, private or link-local addresses', async () => {
    const refused = [
      'ftp://93.184.215.14/x',
      'file:///etc/passwd',
      'http://127.0.0.1:8080/x',
      'http://127.1/x',
      'http://0x7f000001/x',
      'http://localhost/x',
      'http://10.1.2.3/x',
      'http://172.16.0.5/x',
      'http://192.168.1.10/x',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/x',
      'http://[fe80::1]/x',
      'http://[fd00::1]/x',
      'http://[::ffff:127.0.0.1]/x',
      'http://0.0.0.0/x',
      'https://user:pw@93.184.215.14/x',
      'not a url',
    ];
    for (const url of refused) {
      const res = await h.as('admin').post('/webhooks', { url, eventTypes: ['order.created'] });
      expect(res.statusCode, url).toBe(400);
      expect(json(res).type, url).toBe('validation-failed');
    }
    const unknownType = await h.as('admin').post('/webhooks', { url: 'https://93.184.215.14/x', eventTypes: ['order.exploded'] });
    expect(unknownType.statusCode).toBe(400);
    expect(json<{ items: unknown[] }>(await h.as('admin').get('/webhooks')).items).toEqual([]);

    // An admin may allow the private network (a receiver next to the server).
    await h.as('admin').put('/settings', { webhooks: { allowPrivateNetworks: true } });
    const local = await register({ url: receiver.url, eventTypes: ['order.created'] });
    const named = await register({ url: receiver.url.replace('127.0.0.1', 'localhost'), eventTypes: ['order.created'] });
    await h.as('admin').put('/settings', { webhooks: { allowPrivateNetworks: false } });
    const moved = await h.as('admin').patch(`/webhooks/${local.id}`, { url: 'http://192.168.0.1/x' });
    expect(moved.statusCode).toBe(400);
    // Once private networks are no longer allowed, endpoints registered before are not reached either,
    // by address or by a name that resolves to one (checked when connecting).
    receiver.requests.length = 0;
    await h.as('sales').post('/orders', newOrder());
    await jobs.drain();
    expect(receiver.requests).toEqual([]);
    for (const hook of [local, named]) {
      const [delivery] = (await deliveriesOf(hook.id)).items;
      expect(delivery!.attemptLog[0]!.error).toMatch(/^EADDRNOTPUBLIC/);
      await h.as('admin').delete(`/webhooks/${hook.id}`);
    }
  });
});

describe('deliveries', () => {
  beforeAll(async () => {
    await h.as('admin').put('/settings', { webhooks: { allowPrivateNetworks: true } });
  });

  it('signs every delivery per Standard Webhooks and sends only subscribed events', async () => {
    receiver.requests.length = 0;
    receiver.answer = () => 200;
    const hook = await register({ url: receiver.url, eventTypes: ['order.created', 'order.stage_changed'] });
    const idle = await register({ url: receiver.url, eventTypes: ['order.created'], active: false });
    const order = json<{ id: string; number: string }>(await h.as('sales').post('/orders', newOrder()));
    await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
    await h.as('sales').post(`/orders/${order.number}/comments`, { body: 'Not subscribed' });
    await jobs.drain();

    const got = receiver.requests.map((r) => {
      const verified = new Webhook(hook.secret).verify(r.body, r.headers as Record<string, string>) as {
        type: string;
        timestamp: string;
        data: Record<string, unknown>;
      };
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['webhook-id']).toMatch(/^msg_/);
      expect(r.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      return verified;
    });
    expect(got.map((m) => m.type)).toEqual(['order.created', 'order.stage_changed']);
    expect(got[1]).toEqual({
      type: 'order.stage_changed',
      timestamp: expect.stringMatching(/Z$/),
      data: expect.objectContaining({
        from: 'received',
        to: 'proof_approval',
        kind: 'forward',
        seq: expect.any(Number),
        actor: expect.objectContaining({ kind: 'token', name: expect.any(String) }),
        order: { id: order.id, number: order.number, workflow: 'custom-apparel', version: 2 },
      }),
    });
    // Another secret does not verify it.
    expect(() =>
      new Webhook(idle.secret).verify(receiver.requests[0]!.body, receiver.requests[0]!.headers as Record<string, string>),
    ).toThrow();
    expect(json<Hook>(await h.as('admin').get(`/webhooks/${hook.id}`)).deliveries).toEqual({ delivered: 2 });
    expect((await deliveriesOf(idle.id)).items).toEqual([]);
    await h.as('admin').delete(`/webhooks/${hook.id}`);
    await h.as('admin').delete(`/webhooks/${idle.id}`);
  });

  it("sends one order's deliveries in the order the events happened, holding later ones while an earlier one fails", async () => {
    receiver.requests.length = 0;
    let failures = 1;
    receiver.answer = () => (failures-- > 0 ? 503 : 200);
    const hook = await register({ url: receiver.url, eventTypes: ['order.created', 'order.stage_changed'] });
    const first = json<{ number: string }>(await h.as('sales').post('/orders', newOrder()));
    await h.as('sales').post(`/orders/${first.number}/transitions`, { to: 'proof_approval' });
    const second = json<{ number: string }>(await h.as('sales').post('/orders', newOrder()));
    await jobs.drain();
    const numbers = () =>
      receiver.requests.map((r) => {
        const m = JSON.parse(r.body) as { type: string; data: { order: { number: string } } };
        return `${r.status} ${m.data.order.number} ${m.type}`;
      });
    // The first order's creation failed, so its move waits; the second order does not wait for it.
    expect(numbers()).toEqual([`503 ${first.number} order.created`, `200 ${second.number} order.created`]);
    const log = (await deliveriesOf(hook.id)).items;
    expect(log.find((d) => d.eventType === 'order.stage_changed')).toMatchObject({ status: 'pending', attempts: 0 });

    h.clock.advanceHours(0.01);
    await jobs.drain();
    expect(numbers().slice(2)).toEqual([`200 ${first.number} order.created`, `200 ${first.number} order.stage_changed`]);
    // A retry is the same message: the same webhook-id.
    expect(receiver.requests[2]!.headers['webhook-id']).toBe(receiver.requests[0]!.headers['webhook-id']);
    await h.as('admin').delete(`/webhooks/${hook.id}`);
  });

  it('retries with exponential backoff for at least a day, logs every attempt, then marks it failed for an admin to resend', async () => {
    receiver.requests.length = 0;
    receiver.answer = () => 500;
    const hook = await register({ url: receiver.url, eventTypes: ['order.created'] });
    const started = h.clock.now().getTime();
    for (let i = 0; i < 2; i++) await h.as('sales').post('/orders', newOrder({ title: `Retry ${i}` }));
    await jobs.drain();
    let [latest] = (await deliveriesOf(hook.id, '?limit=1')).items;
    for (let round = 0; round < 200 && latest!.status === 'pending'; round++) {
      h.clock.set(latest!.nextAttemptAt!);
      await jobs.drain();
      [latest] = (await deliveriesOf(hook.id, '?limit=1')).items;
    }
    const page = await deliveriesOf(hook.id);
    conforms(pageOf(WebhookDelivery), page);
    const log = page.items;
    expect(log.map((d) => d.status)).toEqual(['failed', 'failed']);
    const attempts = log[0]!.attemptLog;
    expect(attempts.length).toBeGreaterThan(20);
    expect(attempts.every((a) => a.statusCode === 500 && a.durationMs >= 0 && a.error === 'answered 500')).toBe(true);
    const gaps = attempts.slice(1).map((a, i) => Date.parse(a.at) - Date.parse(attempts[i]!.at));
    // Backoff doubles from 5 s (with jitter between half and all of it: 3.75 s at the midpoint), up to an hour.
    expect(gaps.slice(0, 4)).toEqual([3750, 7500, 15000, 30000]);
    expect(Math.max(...gaps)).toBe(45 * 60_000);
    expect(Date.parse(attempts.at(-1)!.at) - Date.parse(attempts[0]!.at)).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(Date.parse(attempts[0]!.at)).toBe(started);
    expect(log[0]).toMatchObject({ nextAttemptAt: null, attempts: attempts.length });

    // The receiver is fixed: resend one, then all the failed ones.
    receiver.answer = () => 200;
    const one = await h.as('admin').post(`/webhooks/${hook.id}/deliveries/${log[0]!.id}/resend`);
    expect(one.statusCode, one.body).toBe(200);
    expect(json(one)).toMatchObject({ status: 'pending' });
    await jobs.drain();
    expect((await deliveriesOf(hook.id)).items.map((d) => d.status)).toEqual(['delivered', 'failed']);
    expect((await h.as('admin').post(`/webhooks/${hook.id}/deliveries/${log[0]!.id}/resend`)).statusCode).toBe(409);
    expect(json(await h.as('admin').post(`/webhooks/${hook.id}/resend-failed`))).toEqual({ resent: 1 });
    await jobs.drain();
    const final = (await deliveriesOf(hook.id)).items;
    expect(final.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(final[0]!.attemptLog.at(-1)).toMatchObject({ statusCode: 200, error: null });
    const ids = new Set(
      receiver.requests.filter((r) => JSON.parse(r.body).data.title === 'Retry 0').map((r) => r.headers['webhook-id']),
    );
    expect(ids.size).toBe(1);
    expect((await h.as('admin').get(`/webhooks/${hook.id}/deliveries?status=failed`)).statusCode).toBe(200);
    expect((await h.as('admin').post(`/webhooks/${hook.id}/deliveries/999999/resend`)).statusCode).toBe(404);
    expect((await h.as('manager').post(`/webhooks/${hook.id}/resend-failed`)).statusCode).toBe(403);
    await h.as('admin').delete(`/webhooks/${hook.id}`);
  });
});
