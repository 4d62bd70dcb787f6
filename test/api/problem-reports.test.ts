// "Report a problem" from the station view: a comment marked as a problem tells the owners of the stage it was reported in.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Automation } from '../../src/jobs/automation.ts';
import { automationFor } from '../support/automation.ts';
import { type Harness, json, newOrder, startHarness } from '../support/harness.ts';

let h: Harness;
let jobs: Automation;
beforeAll(async () => {
  h = await startHarness();
  jobs = automationFor(h);
});
afterAll(() => h.close());

type Notice = { kind: string; title: string; body: string; orderNumber: string };
const noticesOf = async (role: 'production' | 'fulfillment' | 'sales', number: string) =>
  json<{ items: Notice[] }>(await h.as(role).get('/notifications')).items.filter(
    (n) => n.orderNumber === number && n.kind === 'problem-reported',
  );

it("tells the stage's owner role about a reported problem, with its words, and records the stage", async () => {
  const order = json<{ number: string }>(await h.as('sales').post('/orders', newOrder()));
  await h.as('manager').post(`/orders/${order.number}/transitions`, { to: 'on_press', reason: 'rush job' });
  const res = await h
    .as('fulfillment')
    .post(`/orders/${order.number}/comments`, { body: 'Screen 3 is torn, ink bleeding', problem: true });
  expect(res.statusCode, res.body).toBe(201);
  expect(json<{ data: Record<string, unknown> }>(res).data).toMatchObject({ problem: true, stage: 'on_press' });
  await jobs.drain();

  expect(await noticesOf('production', order.number)).toEqual([
    expect.objectContaining({ title: `Problem reported on ${order.number} in On press`, body: 'Screen 3 is torn, ink bleeding' }),
  ]);
  // Whoever reported it is not told, and other roles are not either.
  expect(await noticesOf('fulfillment', order.number)).toEqual([]);
  expect(await noticesOf('sales', order.number)).toEqual([]);
});

it('a plain comment tells nobody', async () => {
  const order = json<{ number: string }>(await h.as('sales').post('/orders', newOrder()));
  await h.as('manager').post(`/orders/${order.number}/transitions`, { to: 'on_press', reason: 'rush job' });
  expect((await h.as('fulfillment').post(`/orders/${order.number}/comments`, { body: 'Looks good' })).statusCode).toBe(201);
  await jobs.drain();
  expect(await noticesOf('production', order.number)).toEqual([]);
  const bad = await h.as('fulfillment').post(`/orders/${order.number}/comments`, { body: 'x', problem: 'yes' });
  expect(bad.statusCode).toBe(400);
});
