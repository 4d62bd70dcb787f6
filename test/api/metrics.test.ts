// /metrics as an operator's Prometheus scrapes it: moves by route, the outbox backlog and its lag, the last sweep's alerts.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Automation } from '../../src/jobs/automation.ts';
import { automationFor } from '../support/automation.ts';
import { type Harness, json, newOrder, startHarness } from '../support/harness.ts';

let h: Harness;
let jobs: Automation;
beforeEach(async () => {
  h = await startHarness();
  jobs = automationFor(h);
});
afterEach(() => h.close());

async function scrape(): Promise<string> {
  const res = await h.server.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  return res.body;
}

const value = (body: string, series: string) => {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

it('counts moves by route, shows the outbox waiting and then worked off, and the alerts the sweep found', async () => {
  const created = await h.as('sales').post('/orders', newOrder());
  expect(created.statusCode, created.body).toBe(201);
  const order = json<{ id: string; number: string }>(created);
  const moved = await h.as('sales').post(`/orders/${order.id}/transitions`, { to: 'proof_approval' });
  expect(moved.statusCode, moved.body).toBe(200);

  h.clock.advanceHours(2);
  const waiting = await scrape();
  expect(value(waiting, 'floorboard_outbox_pending')).toBeGreaterThanOrEqual(2);
  expect(value(waiting, 'floorboard_outbox_lag_seconds')).toBeGreaterThanOrEqual(7200);
  expect(
    value(
      waiting,
      'floorboard_http_request_duration_seconds_count{method="POST",route="/api/v1/orders/:id/transitions",status="200"}',
    ),
  ).toBeGreaterThanOrEqual(1);

  // Three weeks on, nothing moved: past twice its stage's 48 working hours, the sweep finds the order escalated.
  h.clock.advanceHours(21 * 24);
  await jobs.tick();
  const swept = await scrape();
  expect(value(swept, 'floorboard_outbox_pending')).toBe(0);
  expect(value(swept, 'floorboard_outbox_lag_seconds')).toBe(0);
  expect(value(swept, 'floorboard_open_alerts{kind="escalated"}')).toBeGreaterThanOrEqual(1);
  expect(value(swept, 'floorboard_job_duration_seconds_count{job="sweep"}')).toBeGreaterThanOrEqual(1);
});
