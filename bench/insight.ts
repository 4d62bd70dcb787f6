// `node bin/run-ts.js bench/insight.ts`: the insight reports on a big history (100,000 orders, about 1,000,000 events),
// timed endpoint by endpoint in-process (Fastify inject, so routing, schemas and JSON are in the figure), on SQLite and,
// when DATABASE_URL names one, on PostgreSQL; and the forecast backtest through the real pipeline (facts, model, eta).
// `runInsightBench()` is what bench/main.ts may call; run alone it prints the table and writes bench/results/insight-*.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AppContext } from '../src/app/context.ts';
import { SYSTEM_ACTOR } from '../src/app/context.ts';
import { loadWorkflow } from '../src/app/load.ts';
import { actorForUser, createUser, issueToken } from '../src/app/manage-access.ts';
import { createWorkflow } from '../src/app/manage-workflows.ts';
import { etaLookup, forgetForecasts, warmForecasts } from '../src/app/reports/forecasts.ts';
import { bringFactsUpToDate } from '../src/app/reports/insight.ts';
import { apparelHistory } from '../src/demo/apparel-history.ts';
import { backtest } from '../src/demo/backtest.ts';
import { CUSTOM_APPAREL } from '../src/demo/custom-apparel.ts';
import { HISTORY_ACTOR, type OrderPlan, planHistory } from '../src/demo/history.ts';
import { DEFAULT_CALENDAR } from '../src/domain/calendar.ts';
import { ManualClock } from '../src/domain/clock.ts';
import { WorkingTime } from '../src/domain/metrics/working-time.ts';
import { buildServer } from '../src/http/server.ts';
import { insertHistory } from '../src/store/bulk-history.ts';
import { type Db, openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrations/index.ts';
import { type BenchDatabase, postgresDatabase, sqliteDatabase } from './databases.ts';
import { fmt, type Row, table } from './report.ts';

const DAY = 86_400_000;
/** The bench's "now": a Tuesday afternoon. The history runs up to it; the backtest judges forecasts made at it. */
export const BENCH_NOW = '2026-11-24T15:00:00.000Z';
const REPORT_TARGET_MS = 1000;
const BOARD_TARGET_MS = 100;
const COVERAGE = { min: 0.78, max: 0.92 };

export interface InsightOptions {
  orders: number;
  /** Timed runs per endpoint (after one untimed). */
  runs: number;
  postgresUrl?: string | undefined;
  only?: 'sqlite' | 'postgres' | undefined;
  keep?: boolean;
  log?: (line: string) => void;
}

export interface EndpointTiming {
  endpoint: string;
  range: string;
  medianMs: number;
  maxMs: number;
  bytes: number;
}

export interface InsightDbResult {
  database: 'sqlite' | 'postgres';
  orders: number;
  events: number;
  seedSeconds: number;
  factsSeconds: number;
  endpoints: EndpointTiming[];
  backtest: { orders: number; p50: number; p85: number; p85Date: number };
}

export interface InsightResult {
  history: { orders: number; spanDays: number; generateSeconds: number };
  backtestInMemory: { orders: number; p50: number; p85: number; p85Date: number };
  databases: InsightDbResult[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

/** Orders per working day so that `orders` arrive over about two years. */
function historyPlan(orders: number): { plans: OrderPlan[]; spanDays: number } {
  const spanDays = 730;
  const now = Date.parse(BENCH_NOW);
  const profile = apparelHistory({ ordersPerWorkingDay: (orders / spanDays) * (365 / 261), seed: 20261124 });
  // Each order is followed to its end, however long after now: the forecasts made now can be judged.
  const plans = planHistory(profile, now - spanDays * DAY, now);
  return { plans, spanDays };
}

async function timeEndpoints(app: AppContext, token: string, customer: string, runs: number): Promise<EndpointTiming[]> {
  const server = await buildServer(app);
  await server.ready();
  const wf = CUSTOM_APPAREL.key;
  const ranges: Array<[string, string]> = [
    ['last 12 weeks', ''],
    ['last year', '&from=2025-11-25&to=2026-11-24'],
    ['all history', '&from=2024-11-24&to=2026-11-24'],
  ];
  const paths: Array<[string, string]> = [];
  for (const report of ['throughput', 'lead-time', 'stage-times', 'flow', 'wip', 'on-time', 'rework']) {
    for (const [name, q] of ranges) paths.push([`/api/v1/reports/${report}?workflow=${wf}${q}`, name]);
  }
  const all = ranges[2]![1];
  for (const report of ['stage-times', 'flow', 'lead-time']) {
    paths.push([`/api/v1/reports/${report}?workflow=${wf}${all}&priority=rush`, 'all history, rush only']);
    paths.push([
      `/api/v1/reports/${report}?workflow=${wf}${all}&customer=${encodeURIComponent(customer)}`,
      'all history, one customer',
    ]);
  }
  paths.push([`/api/v1/reports/stage-times.csv?workflow=${wf}${all}`, 'all history']);
  paths.push([`/api/v1/reports/customers?workflow=${wf}`, '']);
  paths.push([`/api/v1/forecast/quote?workflow=${wf}`, 'last 180 days']);
  paths.push([`/api/v1/forecast/capacity?workflow=${wf}`, 'last 12 weeks']);
  paths.push([`/api/v1/finance/ready-to-invoice?workflow=${wf}`, 'first page']);
  const out: EndpointTiming[] = [];
  try {
    for (const [url, range] of paths) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i <= runs; i++) {
        const t = performance.now();
        const res = await server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
        const ms = performance.now() - t;
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        bytes = res.rawPayload.length;
        if (i > 0) times.push(ms);
      }
      out.push({
        endpoint: url.replace('/api/v1', '').split('?')[0]!,
        range,
        medianMs: median(times),
        maxMs: Math.max(...times),
        bytes,
      });
    }
    // The board carries an eta on every card now: it must stay fast.
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i <= runs; i++) {
      const t = performance.now();
      const res = await server.inject({
        method: 'GET',
        url: `/api/v1/board?workflow=${wf}`,
        headers: { authorization: `Bearer ${token}` },
      });
      if (i > 0) times.push(performance.now() - t);
      bytes = res.rawPayload.length;
    }
    out.push({ endpoint: '/board', range: 'open orders', medianMs: median(times), maxMs: Math.max(...times), bytes });
  } finally {
    await server.close();
  }
  return out;
}

async function runOne(kind: 'sqlite' | 'postgres', opts: InsightOptions, plans: OrderPlan[]): Promise<InsightDbResult> {
  const log = opts.log ?? console.log;
  const target: BenchDatabase =
    kind === 'sqlite' ? sqliteDatabase(opts.keep ?? false) : await postgresDatabase(opts.postgresUrl!, opts.keep ?? false);
  const db: Db = openDb(target.url);
  try {
    log(`[${kind}] ${target.description}`);
    await migrate(db);
    const now = Date.parse(BENCH_NOW);
    const app: AppContext = { db, clock: new ManualClock(new Date(now)) };
    const user = await createUser(app, SYSTEM_ACTOR, {
      email: 'insight@bench.floorboard.test',
      name: 'Insight bench',
      role: 'manager',
      password: 'bench-password-1',
    });
    const { token } = await issueToken(app, actorForUser(user), user.id, 'insight bench');
    await createWorkflow(app, SYSTEM_ACTOR, CUSTOM_APPAREL);
    let t = performance.now();
    const inserted = await insertHistory(db, plans, now, HISTORY_ACTOR, (what, done, total) =>
      log(`[${kind}] writing ${what}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`),
    );
    const seedSeconds = (performance.now() - t) / 1000;
    log(
      `[${kind}] ${inserted.orders.toLocaleString('en-US')} orders, ${inserted.events.toLocaleString('en-US')} events in ${seedSeconds.toFixed(0)} s`,
    );
    t = performance.now();
    await bringFactsUpToDate(app, {
      onBatch: (n) => {
        if (n % 100_000 === 0) log(`[${kind}] facts: ${n.toLocaleString('en-US')} events folded in`);
      },
    });
    const factsSeconds = (performance.now() - t) / 1000;
    log(`[${kind}] facts built in ${factsSeconds.toFixed(0)} s`);
    forgetForecasts(db);
    await warmForecasts(app);
    const endpoints = await timeEndpoints(app, token, plans[0]!.customer.name, opts.runs);
    // The backtest through the real pipeline: each open order's eta, made now from the stored history, against how it ended.
    const lookup = etaLookup(app);
    const byId = new Map(plans.map((p) => [p.id, p]));
    const open = await db.kysely
      .selectFrom('orders')
      .select(['id', 'state', 'stage', 'stage_entered_at'])
      .where('state', '=', 'active')
      .execute();
    const time = WorkingTime.of(DEFAULT_CALENDAR);
    const wf = await loadWorkflow(db.kysely, CUSTOM_APPAREL.key);
    let n = 0;
    const hits = { p50: 0, p85: 0, p85Date: 0 };
    for (const o of open) {
      const plan = byId.get(o.id)!;
      if (plan.ending !== 'completed') continue;
      const eta = lookup({ state: 'active', stage: o.stage, stageEnteredAt: o.stage_entered_at }, wf);
      if (!eta) continue;
      n++;
      if (plan.endMs <= eta.p50.getTime()) hits.p50++;
      if (plan.endMs <= eta.p85.getTime()) hits.p85++;
      if (time.localDate(plan.endMs) <= eta.p85Date) hits.p85Date++;
    }
    return {
      database: kind,
      orders: inserted.orders,
      events: inserted.events,
      seedSeconds,
      factsSeconds,
      endpoints,
      backtest: { orders: n, p50: hits.p50 / n, p85: hits.p85 / n, p85Date: hits.p85Date / n },
    };
  } finally {
    await db.close();
    await target.drop();
  }
}

export async function runInsightBench(opts: InsightOptions): Promise<InsightResult> {
  const log = opts.log ?? console.log;
  let t = performance.now();
  const now = Date.parse(BENCH_NOW);
  const { plans, spanDays } = historyPlan(opts.orders);
  const generateSeconds = (performance.now() - t) / 1000;
  log(`planned ${plans.length.toLocaleString('en-US')} orders over ${spanDays} days in ${generateSeconds.toFixed(1)} s`);
  // The same backtest in memory, straight from the plans (no database): the model alone.
  t = performance.now();
  const time = WorkingTime.of(DEFAULT_CALENDAR);
  const backtestInMemory = backtest(CUSTOM_APPAREL, plans, now, time);
  log(`in-memory backtest in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const databases: InsightDbResult[] = [];
  if (opts.only !== 'postgres') databases.push(await runOne('sqlite', opts, plans));
  if (opts.postgresUrl && opts.only !== 'sqlite') databases.push(await runOne('postgres', opts, plans));
  return { history: { orders: plans.length, spanDays, generateSeconds }, backtestInMemory, databases };
}

/** The result as the table `npm run bench` prints. */
export function insightTable(result: InsightResult): string {
  const rows: Row[] = [];
  for (const db of result.databases) {
    rows.push({
      figure: `[${db.database}] history`,
      value: `${fmt.int(db.orders)} orders`,
      note: `${fmt.int(db.events)} events, written in ${db.seedSeconds.toFixed(0)} s`,
    });
    rows.push({
      figure: `[${db.database}] facts built (once)`,
      value: `${db.factsSeconds.toFixed(1)} s`,
      note: 'from the event log; kept up to date incrementally after',
    });
    for (const e of db.endpoints) {
      const target = e.endpoint === '/board' ? BOARD_TARGET_MS : REPORT_TARGET_MS;
      rows.push({
        figure: `[${db.database}] ${e.endpoint}${e.range ? ` (${e.range})` : ''}`,
        value: fmt.ms(e.medianMs),
        target: `max < ${fmt.ms(target)}`,
        pass: e.maxMs < target,
        note: `max ${fmt.ms(e.maxMs)}, ${fmt.bytes(e.bytes)}`,
      });
    }
    const b = db.backtest;
    rows.push({
      figure: `[${db.database}] backtest: p85 eta covers`,
      value: fmt.pct(b.p85),
      target: '78% to 92%',
      pass: b.p85 >= COVERAGE.min && b.p85 <= COVERAGE.max,
      note: `${fmt.int(b.orders)} open orders completed later; p50 covers ${fmt.pct(b.p50)}; by p85 date ${fmt.pct(b.p85Date)}`,
    });
  }
  const m = result.backtestInMemory;
  rows.push({
    figure: 'backtest in memory: p85 covers',
    value: fmt.pct(m.p85),
    target: '78% to 92%',
    pass: m.p85 >= COVERAGE.min && m.p85 <= COVERAGE.max,
    note: `${fmt.int(m.orders)} orders; p50 ${fmt.pct(m.p50)}; by p85 date ${fmt.pct(m.p85Date)}`,
  });
  return table(rows);
}

const invokedDirectly = process.argv[1]?.endsWith('insight.ts');
if (invokedDirectly) {
  const { values } = parseArgs({
    options: {
      orders: { type: 'string', default: '100000' },
      runs: { type: 'string', default: '3' },
      only: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const url = process.env.DATABASE_URL;
  const started = new Date();
  const load = loadavg();
  const result = await runInsightBench({
    orders: Number(values.orders),
    runs: Number(values.runs),
    postgresUrl: url?.startsWith('postgres') ? url : undefined,
    only: values.only as InsightOptions['only'],
    keep: values.keep,
  });
  console.log(
    `\nInsight: reports, forecasts and the backtest (load average at start ${load.map((x) => x.toFixed(2)).join(' ')}, now ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')})`,
  );
  console.log(insightTable(result));
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `insight-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ started: started.toISOString(), loadAverage: load, ...result }, null, 2)}\n`);
  console.log(`\nwritten to ${file}`);
}
