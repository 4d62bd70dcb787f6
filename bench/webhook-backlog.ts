// `npm run bench:webhooks`: a backlog of webhook deliveries drained by the real server to a local receiver, on
// tables whose statistics were never gathered (autovacuum off for them, no ANALYZE), as a PostgreSQL server that
// runs without autovacuum, or just took a bulk load, has them. Figures: one claim's time before the server starts,
// deliveries per second drained, and the receiver's check that each delivery arrived once and in order per order.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import { newWebhookSecret } from '../src/app/webhooks.ts';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrations/index.ts';
import { inClaimOrder } from '../src/store/queue-plan.ts';
import type { Database } from '../src/store/schema.ts';
import {
  claimDueDeliveries,
  dueDeliveriesQuery,
  insertDeliveries,
  insertWebhook,
  type NewDelivery,
} from '../src/store/webhooks.ts';
import { type BenchDatabase, postgresDatabase, sqliteDatabase } from './databases.ts';
import { formatProfile, summarizeProfile } from './profile.ts';
import { fmt, type Row, table } from './report.ts';
import { machineCpu, processCpuSeconds, startServer } from './server.ts';

const TARGET_PER_SECOND = 100;

const { values: args } = parseArgs({
  options: {
    deliveries: { type: 'string', default: '10000' },
    'per-order': { type: 'string', default: '5' },
    seconds: { type: 'string', default: '120' },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`npm run bench:webhooks -- [options]
  --deliveries N   deliveries waiting when the server starts (10000)
  --per-order N    deliveries per order (5): each order's go out one at a time, in event order
  --seconds S      give up draining after this long (120)
  --only sqlite|postgres
  --keep           keep the temp databases and the server log
  --profile        run the server under node --cpu-prof and summarise where its CPU went
DATABASE_URL=postgres://... adds a PostgreSQL run on a throw-away database created next to the one it names.`);
  process.exit(0);
}
const total = Number(args.deliveries);
const perOrder = Number(args['per-order']);

/** Counts what arrives: each webhook-id once, each order's events in order. */
function startReceiver() {
  const seen = new Map<string, number>();
  const lastSeq = new Map<string, number>();
  let duplicates = 0;
  let outOfOrder = 0;
  let firstAt = 0;
  let lastAt = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { orderId: string; seq: number } };
      if (seen.has(id)) duplicates++;
      seen.set(id, (seen.get(id) ?? 0) + 1);
      const before = lastSeq.get(body.data.orderId) ?? -1;
      if (body.data.seq < before) outOfOrder++;
      lastSeq.set(body.data.orderId, body.data.seq);
      lastAt = Date.now();
      firstAt ||= lastAt;
      res.writeHead(204).end();
    });
  });
  return {
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`)),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    stats: () => ({ distinct: seen.size, duplicates, outOfOrder, firstAt, lastAt }),
  };
}

/** The backlog, written straight into the store as the dispatcher would have queued it. */
async function queueBacklog(db: BenchDatabase, url: string): Promise<{ claimMs: number; plan: string }> {
  const store = openDb(db.url);
  try {
    await migrate(store);
    if (db.kind === 'postgres') {
      // The tables never get statistics: as on a server running without autovacuum.
      for (const t of ['webhook_deliveries', 'webhook_attempts', 'outbox', 'webhooks']) {
        await sql`alter table ${sql.table(t)} set (autovacuum_enabled = false)`.execute(store.kysely);
      }
    }
    const now = new Date().toISOString();
    const hookId = `wh_${randomBytes(8).toString('hex')}`;
    await insertWebhook(
      store.kysely,
      {
        id: hookId,
        url,
        eventTypes: ['order.stage_changed'],
        active: true,
        description: 'bench receiver',
        role: null,
        secret: newWebhookSecret(),
        createdAt: now,
        updatedAt: now,
      },
      null,
    );
    const orders = Math.ceil(total / perOrder);
    const list: NewDelivery[] = [];
    // Interleaved as moves of many orders arrive: event 1 of every order, then event 2, and so on.
    for (let i = 0; i < total; i++) {
      const seq = i + 1;
      const orderId = `ord_${String(i % orders).padStart(6, '0')}`;
      const payload = JSON.stringify({
        type: 'order.stage_changed',
        timestamp: now,
        data: { orderId, seq, pad: 'x'.repeat(600) },
      });
      list.push({
        webhookId: hookId,
        messageId: `msg_${randomBytes(12).toString('hex')}`,
        eventSeq: seq,
        eventType: 'order.stage_changed',
        orderKey: orderId,
        payload,
        createdAt: now,
      });
    }
    for (let i = 0; i < list.length; i += 1000) await insertDeliveries(store.kysely, list.slice(i, i + 1000));
    // One claim as the server's sender makes it (one endpoint, four slots), rolled back.
    const started = performance.now();
    let plan = '';
    await store.kysely
      .transaction()
      .execute(async (tx) => {
        await claimDueDeliveries(tx, store.dialect, { now, leaseUntil: now, limit: 32, capacity: new Map([[hookId, 4]]) });
        throw new RollBack();
      })
      .catch((err) => {
        if (!(err instanceof RollBack)) throw err;
      });
    const claimMs = performance.now() - started;
    if (store.dialect === 'postgres') plan = await claimPlan(store.kysely, hookId, now);
    return { claimMs, plan };
  } finally {
    await store.close();
  }
}

class RollBack extends Error {}

/** The plan PostgreSQL picks for the claim (EXPLAIN without running it), to show which index it walks. */
async function claimPlan(db: Kysely<Database>, hookId: string, now: string): Promise<string> {
  const rows = await db
    .transaction()
    .execute((tx) =>
      inClaimOrder(tx, 'postgres', () => dueDeliveriesQuery(tx, 'postgres', { now, limit: 32, endpoints: [hookId] }).explain()),
    );
  return rows.map((r) => String(r['QUERY PLAN'])).join('\n');
}

async function runOne(db: BenchDatabase): Promise<Row[]> {
  const receiver = startReceiver();
  const url = await receiver.listen();
  const { claimMs, plan } = await queueBacklog(db, url);
  if (plan) console.log(`  claim plan (${db.kind}):\n${plan.replace(/^/gm, '    ')}`);
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'true';
  const profileDir = args.profile ? join(db.workDir, 'profile') : undefined;
  const server = await startServer({ databaseUrl: db.url, logFile: join(db.workDir, 'server.log'), cpuProfileDir: profileDir });
  const started = Date.now();
  const cpu0 = processCpuSeconds(server.pid);
  const machine0 = machineCpu();
  const deadline = started + Number(args.seconds) * 1000;
  while (receiver.stats().distinct < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  const cpu1 = processCpuSeconds(server.pid);
  const machine1 = machineCpu();
  await server.stop();
  await receiver.close();
  const s = receiver.stats();
  const seconds = ((s.distinct < total ? Date.now() : s.lastAt) - started) / 1000;
  const rate = s.distinct / seconds;
  console.log(`  server log: ${server.logFile}`);
  const profile = profileDir && readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (profileDir && profile) console.log(formatProfile(`${db.kind} server`, summarizeProfile(join(profileDir, profile))));
  return [
    { figure: `${db.kind}: one claim, ${fmt.int(total)} waiting, no statistics`, value: fmt.ms(claimMs) },
    {
      figure: `${db.kind}: deliveries drained per second`,
      value: fmt.rate(rate),
      target: `≥ ${TARGET_PER_SECOND}/s`,
      pass: rate >= TARGET_PER_SECOND,
      note: `${fmt.int(s.distinct)} of ${fmt.int(total)} in ${seconds.toFixed(1)} s`,
    },
    {
      figure: `${db.kind}: server CPU per delivery`,
      value: cpu0 !== null && cpu1 !== null && s.distinct ? fmt.ms(((cpu1 - cpu0) * 1000) / s.distinct) : 'n/a',
      note:
        machine0 && machine1
          ? `machine ${fmt.pct((machine1.busy - machine0.busy) / (machine1.total - machine0.total))} busy, load ${loadavg()[0]!.toFixed(1)}`
          : '',
    },
    {
      figure: `${db.kind}: duplicates, out of order`,
      value: `${s.duplicates}, ${s.outOfOrder}`,
      target: '0, 0',
      pass: s.duplicates === 0 && s.outOfOrder === 0,
    },
  ];
}

const rows: Row[] = [];
const kinds = args.only ? [args.only] : ['sqlite', ...(process.env.DATABASE_URL?.startsWith('postgres') ? ['postgres'] : [])];
for (const kind of kinds) {
  const db = kind === 'postgres' ? await postgresDatabase(process.env.DATABASE_URL!, args.keep) : sqliteDatabase(args.keep);
  try {
    rows.push(...(await runOne(db)));
  } finally {
    await db.drop();
  }
}
console.log(`\nwebhook backlog: ${fmt.int(total)} deliveries, ${perOrder} per order\n${table(rows)}`);
if (rows.some((r) => r.pass === false)) process.exitCode = 1;
