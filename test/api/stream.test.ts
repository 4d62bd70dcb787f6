// Live updates: every change reaches connected screens as a Server-Sent Event within a second.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.ts';
import { type Harness, json, newOrder, startHarness, testDbKind } from '../support/harness.ts';
import { readSse, type SseMessage } from '../support/sse.ts';

let h: Harness;
let base: string;
beforeAll(async () => {
  h = await startHarness();
  await h.server.listen({ port: 0, host: '127.0.0.1' });
  const address = h.server.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => h.close());

interface Sse {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

/** Opens the stream and collects its change events (data parsed) until `until` is satisfied or time runs out. */
async function collect(
  headers: Record<string, string>,
  until: (events: Sse[]) => boolean,
  act: () => Promise<void>,
  ms = 3000,
  from = base,
) {
  const changes = (messages: SseMessage[]): Sse[] =>
    messages.filter((m) => m.data).map((m) => ({ id: m.id, event: m.event, data: JSON.parse(m.data) }));
  const { messages, elapsed } = await readSse(`${from}/api/v1/stream`, {
    headers,
    until: (m) => until(changes(m)),
    act,
    ms,
  });
  return { events: changes(messages), elapsed };
}

describe('the live stream', () => {
  it('refuses anonymous listeners', async () => {
    const res = await fetch(`${base}/api/v1/stream`);
    expect(res.status).toBe(401);
  });

  it('pushes a created and a moved order, named after the event type, within a second', async () => {
    const auth = { authorization: `Bearer ${h.tokens.production}` };
    let number = '';
    const { events, elapsed } = await collect(
      auth,
      (evs) => evs.some((e) => e.event === 'order.stage_changed'),
      async () => {
        const created = json<{ number: string }>(await h.as('sales').post('/orders', newOrder()));
        number = created.number;
        await h.as('sales').post(`/orders/${number}/transitions`, { to: 'proof_approval' });
      },
    );
    expect(elapsed).toBeLessThan(3000);
    // The stream carries every change: a new customer's record (customer.created) comes with its first order.
    const ofOrder = events.filter((e) => e.event.startsWith('order.'));
    expect(ofOrder.map((e) => e.event)).toEqual(['order.created', 'order.stage_changed']);
    expect(ofOrder[1]!.data).toMatchObject({ number, version: 2, type: 'order.stage_changed', orderId: expect.any(String) });
  });

  it('catches a reconnecting client up from Last-Event-ID', async () => {
    const created = json<{ number: string }>(await h.as('sales').post('/orders', newOrder()));
    const history = json<{ items: Array<{ seq: number }> }>(await h.as('sales').get(`/orders/${created.number}/events`)).items;
    const before = history[0]!.seq - 1;
    const { events } = await collect(
      { authorization: `Bearer ${h.tokens.viewer}`, 'last-event-id': String(before) },
      (evs) => evs.length >= 1,
      async () => {},
    );
    expect(events[0]).toMatchObject({ id: String(before + 1), event: 'order.created', data: { number: created.number } });
  });
});

describe.runIf(testDbKind() === 'postgres')('across server processes sharing PostgreSQL', () => {
  it('pushes a change made through one server to a screen connected to another', async () => {
    // The second server's timer would not look for an hour: only the NOTIFY can bring the event.
    const otherDb = h.reopen!();
    const other = await buildServer({ db: otherDb, clock: h.clock }, { livePollMs: 3_600_000 });
    await other.listen({ port: 0, host: '127.0.0.1' });
    const address = other.server.address();
    const otherBase = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      let number = '';
      const { events } = await collect(
        { authorization: `Bearer ${h.tokens.manager}` },
        (evs) => evs.some((e) => e.data.number === number && e.event === 'order.created'),
        async () => {
          number = json<{ number: string }>(await h.as('sales').post('/orders', newOrder())).number;
        },
        5000,
        otherBase,
      );
      expect(events.map((e) => [e.event, e.data.number])).toContainEqual(['order.created', number]);
    } finally {
      await other.close();
      await otherDb.close();
    }
  });
});
