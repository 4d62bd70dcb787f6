// Printing travellers: 200 orders' job travellers as one PDF through POST /api/v1/travellers.pdf, as a shop
// prints the morning's work. In-process server (Fastify inject, no sockets) over a fresh SQLite database.
import { SYSTEM_ACTOR } from '../src/app/context.ts';
import { createOrder } from '../src/app/create-order.ts';
import { actorForUser, createUser, issueToken } from '../src/app/manage-access.ts';
import { createWorkflow } from '../src/app/manage-workflows.ts';
import { CUSTOM_APPAREL } from '../src/demo/custom-apparel.ts';
import { systemClock } from '../src/domain/clock.ts';
import { buildServer } from '../src/http/server.ts';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrations/index.ts';
import { fmt, type Row } from './report.ts';

export const TRAVELLER_TARGET_SECONDS = 10;

export interface TravellerBenchResult {
  orders: number;
  runs: number[];
  bytes: number;
  rows: Row[];
}

export async function benchTravellers(orders = 200, runs = 3): Promise<TravellerBenchResult> {
  const db = openDb('sqlite::memory:');
  await migrate(db);
  const app = { db, clock: systemClock };
  try {
    await createWorkflow(app, SYSTEM_ACTOR, CUSTOM_APPAREL);
    const user = await createUser(app, SYSTEM_ACTOR, {
      email: 'floor@bench.example',
      name: 'Bench floor lead',
      role: 'production',
      password: 'bench password 1',
    });
    const { token } = await issueToken(app, actorForUser(user), user.id, 'bench');
    const numbers: string[] = [];
    for (let i = 0; i < orders; i++) {
      const order = await createOrder(app, SYSTEM_ACTOR, {
        workflow: CUSTOM_APPAREL.key,
        title: `Club kit run ${i + 1}`,
        customer: { name: `Customer ${i % 37} Sports Club`, email: null },
        dueDate: '2026-12-18',
        priority: i % 9 === 0 ? 'rush' : 'normal',
        fields: { garment: 'Hoodie', quantity: 20 + i, print_method: 'Screen print', artwork_url: 'https://files.example/a.pdf' },
        items: [
          { sku: 'HD-NAVY-M', description: 'Navy hoodie M', quantity: 10 },
          { sku: 'HD-NAVY-L', description: 'Navy hoodie L', quantity: 10 + i },
        ],
      });
      numbers.push(order.number);
    }
    const server = await buildServer(app, { writesPerMinute: 0 });
    await server.ready();
    try {
      const print = async () => {
        const t0 = performance.now();
        const res = await server.inject({
          method: 'POST',
          url: '/api/v1/travellers.pdf',
          headers: { authorization: `Bearer ${token}` },
          payload: { orders: numbers, paper: 'a4' },
        });
        if (res.statusCode !== 200) throw new Error(`travellers.pdf answered ${res.statusCode}: ${res.body}`);
        return { seconds: (performance.now() - t0) / 1000, bytes: res.rawPayload.length };
      };
      // One order first: loads the fonts and warms the code, as a running server would have done already.
      await server.inject({
        method: 'GET',
        url: `/api/v1/orders/${numbers[0]}/traveller.pdf`,
        headers: { authorization: `Bearer ${token}` },
      });
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < runs; i++) {
        const r = await print();
        times.push(r.seconds);
        bytes = r.bytes;
      }
      const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
      return {
        orders,
        runs: times,
        bytes,
        rows: [
          {
            figure: `${orders} travellers in one PDF (median of ${runs})`,
            value: `${median.toFixed(2)} s`,
            target: `< ${TRAVELLER_TARGET_SECONDS} s`,
            pass: median < TRAVELLER_TARGET_SECONDS,
            note: `${fmt.bytes(bytes)}; runs ${times.map((t) => t.toFixed(2)).join(', ')} s`,
          },
        ],
      };
    } finally {
      await server.close();
    }
  } finally {
    await db.close();
  }
}
