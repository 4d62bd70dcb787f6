// The bell rings live: a new notification reaches its reader's open stream at once, and nobody else's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.ts';
import type { Automation } from '../../src/jobs/automation.ts';
import { automationFor } from '../support/automation.ts';
import { type Harness, json, newOrder, startHarness, testDbKind } from '../support/harness.ts';
import { readSse, type SseMessage } from '../support/sse.ts';

let h: Harness;
let jobs: Automation;
let base: string;
beforeAll(async () => {
  h = await startHarness();
  jobs = automationFor(h);
  await h.server.listen({ port: 0, host: '127.0.0.1' });
  const address = h.server.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => h.close());

type Notice = { id: number; kind: string; orderId: string; orderNumber: string; title: string; createdAt: string };
const notices = (messages: SseMessage[]) =>
  messages.filter((m) => m.event === 'notification').map((m) => ({ id: m.id, data: JSON.parse(m.data) as Notice }));

/** An order moved by sales into procurement's stage (procurement is told), then by procurement into production's. */
async function handOn(onCreated: (number: string) => void): Promise<string> {
  const { number } = json<{ number: string }>(await h.as('sales').post('/orders', newOrder()));
  onCreated(number);
  await h.as('sales').patch(`/orders/${number}`, { fields: { proof_approved: true, supplier_eta: '2026-12-01' } });
  await h.as('sales').post(`/orders/${number}/transitions`, { to: 'proof_approval' });
  await h.as('sales').post(`/orders/${number}/transitions`, { to: 'supplier_confirmation' });
  await jobs.drain();
  const moved = await h.as('procurement').post(`/orders/${number}/transitions`, { to: 'scheduled' });
  expect(moved.statusCode, moved.body).toBe(200);
  await jobs.drain();
  return number;
}

describe('notifications on the live stream', () => {
  it("pushes each new notification to its reader's stream and never to anyone else's", async () => {
    let number = '';
    let procurementListening!: () => void;
    const listening = new Promise<void>((resolve) => {
      procurementListening = resolve;
    });
    const forProduction = (n: Notice) => n.orderNumber === number && n.title.includes('Book press time');
    const forProcurement = (n: Notice) => n.orderNumber === number && n.title.includes('supplier');
    const [procurement, production] = await Promise.all([
      readSse(`${base}/api/v1/stream`, {
        headers: { authorization: `Bearer ${h.tokens.procurement}` },
        until: (m) => notices(m).some((n) => forProcurement(n.data)),
        act: async () => procurementListening(),
        ms: 10_000,
      }),
      readSse(`${base}/api/v1/stream`, {
        headers: { authorization: `Bearer ${h.tokens.production}` },
        until: (m) => notices(m).some((n) => forProduction(n.data)),
        act: async () => {
          await listening;
          await handOn((n) => {
            number = n;
          });
        },
        ms: 10_000,
      }),
    ]);

    const mine = json<{ items: Array<Notice & { readAt: null }> }>(await h.as('procurement').get('/notifications')).items[0]!;
    expect(notices(procurement.messages).map((n) => n.data)).toContainEqual({
      id: mine.id,
      kind: 'stage-entered',
      orderId: mine.orderId,
      orderNumber: number,
      title: mine.title,
      createdAt: mine.createdAt,
    });
    // Production heard of the order's every move, but of procurement's notice not a word: only of its own.
    const heard = notices(production.messages).map((n) => n.data);
    expect(heard.filter((n) => n.orderNumber === number).map((n) => n.title)).toEqual([
      `${number} is ready for you: Book press time and burn the screens`,
    ]);
    expect(production.messages.filter((m) => m.event === 'order.stage_changed').length).toBeGreaterThanOrEqual(3);
    expect(production.text).not.toContain(mine.title);
    // A notice carries no event id: a reconnect's Last-Event-ID stays the last change's.
    expect(notices(production.messages).every((n) => n.id === '')).toBe(true);
  });
});

describe.runIf(testDbKind() === 'postgres')('across server processes sharing PostgreSQL', () => {
  it('rings the bell of a reader connected to another server', async () => {
    // The second server's timer would not look for an hour: only the NOTIFY can bring the notice.
    const otherDb = h.reopen!();
    const other = await buildServer({ db: otherDb, clock: h.clock }, { livePollMs: 3_600_000 });
    await other.listen({ port: 0, host: '127.0.0.1' });
    const address = other.server.address();
    const otherBase = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      let number = '';
      const { messages } = await readSse(`${otherBase}/api/v1/stream`, {
        headers: { authorization: `Bearer ${h.tokens.production}` },
        until: (m) => notices(m).some((n) => n.data.orderNumber === number && number !== ''),
        act: async () => {
          await handOn((n) => {
            number = n;
          });
        },
        ms: 10_000,
      });
      expect(notices(messages).map((n) => n.data.orderNumber)).toContain(number);
    } finally {
      await other.close();
      await otherDb.close();
    }
  });
});
