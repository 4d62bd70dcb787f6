// The transition rule table of API.md ("Moving an order"), enforced by the API on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, newOrder, startHarness, writeCounts } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function created(overrides: Record<string, unknown> = {}) {
  const res = await h.as('sales').post('/orders', newOrder(overrides));
  expect(res.statusCode).toBe(201);
  return json<{ id: string; number: string; version: number; stage: string }>(res);
}

/** Moves an order step by step, as the owners would, up to `stage`. */
async function walkTo(number: string, stages: Array<[string, Parameters<Harness['as']>[0]]>) {
  for (const [to, role] of stages) {
    if (to === 'supplier_confirmation') await h.as('sales').patch(`/orders/${number}`, { fields: { proof_approved: true } });
    const res = await h.as(role).post(`/orders/${number}/transitions`, { to });
    expect(res.statusCode, res.body).toBe(200);
  }
}

describe('moving an order', () => {
  it('moves to the next stage, records who moved it and when, and bumps the version', async () => {
    const order = await created();
    h.clock.advanceHours(2);
    const res = await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
    expect(res.statusCode).toBe(200);
    const moved = json<{
      stage: string;
      version: number;
      stageEnteredAt: string;
      stageHistory: Array<Record<string, unknown>>;
      historyUrl: string;
    }>(res);
    expect(moved.stage).toBe('proof_approval');
    expect(moved.version).toBe(order.version + 1);
    expect(moved.stageEnteredAt).toBe(h.clock.now().toISOString());
    // The answer carries the stage it is in now; the whole history is on the order and at historyUrl.
    expect(moved.stageHistory).toEqual([
      {
        stage: 'proof_approval',
        enteredAt: h.clock.now().toISOString(),
        exitedAt: null,
        by: { id: h.userIds.sales, name: 'Test sales (tests)' },
      },
    ]);
    expect(json<{ historyUrl: string }>(res).historyUrl).toBe(`/api/v1/orders/${order.id}/events`);
    const full = json<{ stageHistory: Array<Record<string, unknown>>; historyUrl?: string }>(
      await h.as('sales').get(`/orders/${order.number}`),
    );
    expect(full.historyUrl).toBeUndefined();
    expect(full.stageHistory).toEqual([
      expect.objectContaining({ stage: 'received', exitedAt: h.clock.now().toISOString() }),
      expect.objectContaining({
        stage: 'proof_approval',
        exitedAt: null,
        by: { id: h.userIds.sales, name: 'Test sales (tests)' },
      }),
    ]);
    const events = json<{ items: Array<{ type: string }> }>(await h.as('sales').get(moved.historyUrl.replace('/api/v1', '')));
    expect(events.items.map((e) => e.type)).toEqual(['order.created', 'order.stage_changed']);
  });

  it("keeps a move's answer the same size however long the order's history grows", async () => {
    const order = await created();
    const sizes: number[] = [];
    let version = order.version;
    for (let lap = 0; lap < 15; lap++) {
      for (const [to, reason] of [
        ['proof_approval', undefined],
        ['received', 'Artwork changed'],
      ] as const) {
        const res = await h.as('manager').post(`/orders/${order.number}/transitions`, { to, reason, expectedVersion: version });
        expect(res.statusCode, res.body).toBe(200);
        const moved = json<{ version: number; stage: string; stageHistory: Array<{ stage: string }> }>(res);
        expect(moved.stageHistory.map((v) => v.stage)).toEqual([to]);
        version = moved.version;
        if (to === 'proof_approval') sizes.push(res.body.length);
      }
    }
    // Only the version's digits may differ (9 → 31).
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    const full = json<{ stageHistory: unknown[] }>(await h.as('manager').get(`/orders/${order.number}`));
    expect(full.stageHistory).toHaveLength(31);
  });

  it('refuses to leave "Order received" while the artwork URL is empty, naming what is missing', async () => {
    const order = await created({ fields: { garment: 'Hoodie', quantity: 40 } });
    const before = await writeCounts(h.db);
    const res = await h.as('sales').post(`/orders/${order.id}/transitions`, { to: 'proof_approval' });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(json(res)).toMatchObject({ type: 'requirements-unmet', status: 422, missing: ['artwork_url'] });
    expect(json(res).detail).toContain('Artwork URL');
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('says a checkbox requirement must be ticked, not filled', async () => {
    const order = await created({ fields: { garment: 'Hoodie', quantity: 40, artwork_url: 'https://files.example/a.pdf' } });
    expect((await h.as('sales').post(`/orders/${order.id}/transitions`, { to: 'proof_approval' })).statusCode).toBe(200);
    const res = await h.as('sales').post(`/orders/${order.id}/transitions`, { to: 'supplier_confirmation' });
    expect(res.statusCode).toBe(422);
    expect(json(res)).toMatchObject({ type: 'requirements-unmet', missing: ['proof_approved'] });
    expect(json(res).detail).toBe('Proof approved by customer must be ticked before leaving Awaiting customer proof approval');
  });

  it('refuses to skip stages for a stage owner', async () => {
    const order = await created();
    const res = await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'scheduled', reason: 'rush job' });
    expect(res.statusCode).toBe(422);
    expect(json(res)).toMatchObject({ type: 'stage-skip-not-allowed', skipped: ['proof_approval', 'supplier_confirmation'] });
  });

  it('lets a manager skip stages only with a reason, and records the override', async () => {
    const order = await created();
    const noReason = await h.as('manager').post(`/orders/${order.number}/transitions`, { to: 'scheduled' });
    expect(noReason.statusCode).toBe(422);
    expect(json(noReason).type).toBe('reason-required');

    const res = await h.as('manager').post(`/orders/${order.number}/transitions`, {
      to: 'scheduled',
      reason: 'Repeat order: proof and stock already confirmed',
    });
    expect(res.statusCode).toBe(200);
    expect(json(res).stage).toBe('scheduled');
    const events = json<{ items: Array<{ type: string; data: Record<string, unknown>; actor: Record<string, unknown> }> }>(
      await h.as('viewer').get(`/orders/${order.number}/events`),
    ).items;
    const move = events.find((e) => e.type === 'order.stage_changed');
    expect(move?.data).toMatchObject({
      from: 'received',
      to: 'scheduled',
      override: true,
      reason: 'Repeat order: proof and stock already confirmed',
      skipped: ['proof_approval', 'supplier_confirmation'],
    });
    expect(move?.actor).toMatchObject({ kind: 'token', id: expect.any(String) });
  });

  it('sends an order back for rework only with a reason', async () => {
    const order = await created();
    await walkTo(order.number, [['proof_approval', 'sales']]);
    const refused = await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'received' });
    expect(refused.statusCode).toBe(422);
    expect(json(refused).type).toBe('reason-required');
    const res = await h
      .as('sales')
      .post(`/orders/${order.number}/transitions`, { to: 'received', reason: 'Customer changed the artwork' });
    expect(res.statusCode).toBe(200);
    expect(json(res).stage).toBe('received');
  });

  it('answers unknown-stage for a stage the workflow does not have, and validation-failed for the current stage', async () => {
    const order = await created();
    const unknown = await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'painting' });
    expect(unknown.statusCode).toBe(422);
    expect(json(unknown).type).toBe('unknown-stage');
    const same = await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'received' });
    expect(same.statusCode).toBe(422);
    expect(json(same).type).toBe('validation-failed');
  });

  it('refuses a move by someone who does not own the stage', async () => {
    const order = await created();
    const res = await h.as('production').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
    expect(res.statusCode).toBe(403);
    expect(json(res)).toMatchObject({ type: 'not-stage-owner', ownerRole: 'sales' });
    const viewer = await h.as('viewer').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
    expect(json(viewer).type).toBe('not-stage-owner');
  });

  it('completes the order on entering the final stage, and then refuses further moves', async () => {
    const order = await created({
      fields: {
        garment: 'Cap',
        quantity: 10,
        artwork_url: 'https://files.example/a.pdf',
        supplier_eta: '2026-12-01',
        tracking_number: '1Z999',
      },
    });
    await walkTo(order.number, [
      ['proof_approval', 'sales'],
      ['supplier_confirmation', 'sales'],
      ['scheduled', 'procurement'],
      ['on_press', 'production'],
      ['quality_check', 'production'],
      ['ready_for_dispatch', 'production'],
      ['shipped', 'fulfillment'],
      ['delivered', 'fulfillment'],
    ]);
    const done = json<{ state: string; completedAt: string | null; flags: string[] }>(
      await h.as('viewer').get(`/orders/${order.number}`),
    );
    expect(done.state).toBe('completed');
    expect(done.completedAt).toBe(h.clock.now().toISOString());
    const types = json<{ items: Array<{ type: string }> }>(await h.as('viewer').get(`/orders/${order.number}/events`)).items.map(
      (e) => e.type,
    );
    expect(types.slice(-2)).toEqual(['order.stage_changed', 'order.completed']);
    const again = await h.as('manager').post(`/orders/${order.number}/transitions`, { to: 'shipped', reason: 'oops' });
    expect(again.statusCode).toBe(409);
    expect(json(again).type).toBe('order-not-active');
  });
});

describe('hold, resume and cancel', () => {
  it('holds an order with a reason, refuses to move it while held, and resumes it', async () => {
    const order = await created();
    expect(json(await h.as('sales').post(`/orders/${order.number}/hold`, {})).type).toBe('reason-required');
    const held = await h.as('sales').post(`/orders/${order.number}/hold`, { reason: 'Waiting for revised artwork' });
    expect(held.statusCode).toBe(200);
    expect(json(held)).toMatchObject({ state: 'on_hold', holdReason: 'Waiting for revised artwork', flags: ['on-hold'] });

    const move = await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
    expect(move.statusCode).toBe(409);
    expect(json(move).type).toBe('order-not-active');

    const resumed = await h.as('sales').post(`/orders/${order.number}/resume`);
    expect(resumed.statusCode).toBe(200);
    expect(json(resumed)).toMatchObject({ state: 'active', holdReason: null });
  });

  it('lets only managers, admins and the stage owner hold or cancel', async () => {
    const order = await created();
    const res = await h.as('production').post(`/orders/${order.number}/hold`, { reason: 'no' });
    expect(res.statusCode).toBe(403);
    expect(json(res).type).toBe('not-stage-owner');
    expect((await h.as('manager').post(`/orders/${order.number}/cancel`, { reason: 'Customer withdrew' })).statusCode).toBe(200);
  });

  it('cannot cancel, hold or resume a cancelled order', async () => {
    const order = await created();
    await h.as('manager').post(`/orders/${order.number}/cancel`, { reason: 'Duplicate of another order' });
    for (const action of ['cancel', 'hold', 'resume']) {
      const res = await h.as('manager').post(`/orders/${order.number}/${action}`, { reason: 'again' });
      expect(res.statusCode, action).toBe(409);
      expect(json(res).type).toBe('order-not-active');
    }
  });
});
