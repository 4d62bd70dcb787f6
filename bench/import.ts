// `npm run bench:import`: a 20,000-row CSV with six stage-date columns (about 120,000 stage entries) imported through the
// real server's API, timed; the server's memory sampled during it; then the first report after it. SQLite, and
// PostgreSQL when DATABASE_URL names one. Aims: under 30 s (SQLite) / 60 s (PostgreSQL), first report under 1 s, under 500 MB.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SYSTEM_ACTOR } from '../src/app/context.ts';
import { actorForUser, createUser, issueToken } from '../src/app/manage-access.ts';
import { createWorkflow } from '../src/app/manage-workflows.ts';
import { systemClock } from '../src/domain/clock.ts';
import { seededRandom } from '../src/domain/metrics/random.ts';
import type { WorkflowDefinition } from '../src/domain/workflow.ts';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrations/index.ts';
import { type BenchDatabase, postgresDatabase, sqliteDatabase } from './databases.ts';
import { fmt, type Row, table, writeJsonResult } from './report.ts';
import { processCpuSeconds, REPO_ROOT, startServer } from './server.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '20000' },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

const WORKFLOW: WorkflowDefinition = {
  key: 'print-shop',
  name: 'Commercial print',
  orderPrefix: 'PR',
  stages: [
    { key: 'quoted', label: 'Quote accepted', ownerRole: 'sales', nextAction: 'Check the files', stallAfterHours: 24 },
    { key: 'prepress', label: 'Prepress', ownerRole: 'production', nextAction: 'Impose and proof', stallAfterHours: 16 },
    { key: 'printing', label: 'Printing', ownerRole: 'production', nextAction: 'Print the run', stallAfterHours: 16 },
    { key: 'finishing', label: 'Finishing', ownerRole: 'production', nextAction: 'Cut, fold and bind', stallAfterHours: 16 },
    { key: 'packing', label: 'Packing', ownerRole: 'fulfillment', nextAction: 'Pack and label', stallAfterHours: 8 },
    { key: 'delivered', label: 'Delivered', ownerRole: 'fulfillment', nextAction: 'Confirm delivery' },
  ],
  fields: [{ key: 'copies', label: 'Copies', type: 'number', min: 1 }],
};

const HOUR = 3_600_000;

/** A year of a print shop's orders: nine in ten delivered, the rest somewhere on the way; one row per order, a date per stage. */
export function printShopCsv(rows: number, now: number): { csv: string; entries: number } {
  const rnd = seededRandom(20261206);
  const customers = Array.from({ length: 400 }, (_, i) => `Customer ${i + 1} Ltd`);
  const lines = ['Job,Customer,Email,Title,Copies,Due,Priority,Quote accepted,Prepress,Printing,Finishing,Packing,Delivered'];
  let entries = 0;
  const at = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  for (let i = 0; i < rows; i++) {
    const start = now - 365 * 24 * HOUR + Math.floor((i / rows) * 350 * 24 * HOUR);
    const reached = rnd() < 0.9 ? 6 : 1 + Math.floor(rnd() * 5);
    const dates: string[] = [];
    let t = start;
    for (let s = 0; s < 6; s++) {
      if (s < reached && t < now - HOUR) {
        dates.push(at(t));
        entries++;
      } else dates.push('');
      t += Math.floor((2 + rnd() * 40) * HOUR);
    }
    const customer = customers[Math.floor(rnd() * customers.length)]!;
    const due = new Date(start + 14 * 24 * HOUR).toISOString().slice(0, 10);
    const priority = rnd() < 0.1 ? 'rush' : rnd() < 0.2 ? 'high' : 'normal';
    lines.push(
      [
        `J${100000 + i}`,
        customer,
        `orders@c${i % 400}.example`,
        `"Brochures, run ${i}"`,
        100 + Math.floor(rnd() * 5000),
        due,
        priority,
        ...dates,
      ].join(','),
    );
  }
  return { csv: `${lines.join('\n')}\n`, entries };
}

/** The resident memory of a process (bytes), from /proc. */
function rss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function log(message: string): void {
  process.stderr.write(`[bench import ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export interface ImportBenchResult {
  kind: 'sqlite' | 'postgres';
  rows: number;
  stageEntries: number;
  fileBytes: number;
  importSeconds: number;
  /** CPU time the server process spent on the import (SQLite runs inside it): a figure the machine's other load hardly changes. */
  serverCpuSeconds: number | null;
  loadAverageAtStart: number;
  events: number;
  serverRssBeforeMB: number;
  serverRssPeakMB: number;
  firstReportMs: number;
  stageTimesMs: number;
  boardMs: number;
  auditOk: boolean;
}

export async function benchImport(target: BenchDatabase, rows: number): Promise<ImportBenchResult> {
  const db = openDb(target.url);
  let token: string;
  try {
    await migrate(db);
    const app = { db, clock: systemClock };
    const user = await createUser(app, SYSTEM_ACTOR, {
      email: 'bench-import@bench.floorboard.test',
      name: 'Bench Importer',
      role: 'manager',
      password: randomBytes(18).toString('base64url'),
    });
    token = (await issueToken(app, actorForUser(user), user.id, 'bench')).token;
    await createWorkflow(app, SYSTEM_ACTOR, WORKFLOW);
  } finally {
    await db.close();
  }
  const { csv, entries } = printShopCsv(rows, Date.now());
  log(`${target.kind}: ${fmt.int(rows)} rows, ${fmt.int(entries)} stage entries, ${fmt.bytes(csv.length)}`);
  const server = await startServer({ databaseUrl: target.url, logFile: join(target.workDir, 'server.log') });
  try {
    const auth = { authorization: `Bearer ${token}` };
    const before = rss(server.pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rss(server.pid));
    }, 50);
    const form = new FormData();
    form.set(
      'options',
      JSON.stringify({ workflow: WORKFLOW.key, source: 'csv', mapping: { reference: 'Job', fields: { copies: 'Copies' } } }),
    );
    form.set('file', new Blob([csv]), 'print-jobs.csv');
    const load = loadavg()[0]!;
    const cpuBefore = processCpuSeconds(server.pid);
    const started = performance.now();
    const res = await fetch(`${server.url}/api/v1/imports`, { method: 'POST', headers: auth, body: form });
    const body = (await res.json()) as { orders?: { created: number }; events?: number; detail?: string; errors?: unknown[] };
    const importSeconds = (performance.now() - started) / 1000;
    const cpuAfter = processCpuSeconds(server.pid);
    clearInterval(sampler);
    peak = Math.max(peak, rss(server.pid));
    if (res.status !== 201)
      throw new Error(`the import answered ${res.status}: ${body.detail} ${JSON.stringify(body.errors?.slice(0, 3))}`);
    log(
      `${target.kind}: imported ${fmt.int(body.orders!.created)} orders, ${fmt.int(body.events!)} events in ${importSeconds.toFixed(1)} s; server RSS peak ${fmt.bytes(peak)}`,
    );
    const timed = async (path: string) => {
      const t = performance.now();
      const r = await fetch(`${server.url}${path}`, { headers: auth });
      await r.arrayBuffer();
      if (!r.ok) throw new Error(`${path} answered ${r.status}`);
      return performance.now() - t;
    };
    const range = `workflow=${WORKFLOW.key}`;
    const firstReportMs = await timed(`/api/v1/reports/lead-time?${range}`);
    const stageTimesMs = await timed(`/api/v1/reports/stage-times?${range}`);
    const boardMs = await timed(`/api/v1/board?workflow=${WORKFLOW.key}`);
    const audit = await fetch(`${server.url}/api/v1/audit/verify`, { headers: auth });
    const auditOk = audit.status === 403 || ((await audit.json()) as { ok: boolean }).ok;
    return {
      kind: target.kind,
      rows,
      stageEntries: entries,
      fileBytes: csv.length,
      importSeconds,
      serverCpuSeconds: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
      loadAverageAtStart: load,
      events: body.events!,
      serverRssBeforeMB: before / 1e6,
      serverRssPeakMB: peak / 1e6,
      firstReportMs,
      stageTimesMs,
      boardMs,
      auditOk,
    };
  } finally {
    await server.stop();
  }
}

export function importRows(results: ImportBenchResult[]): Row[] {
  return results.flatMap((r) => [
    {
      figure: `${r.kind}: import ${fmt.int(r.rows)} rows / ${fmt.int(r.stageEntries)} stage entries`,
      value: `${r.importSeconds.toFixed(1)} s`,
      target: r.kind === 'sqlite' ? '< 30 s' : '< 60 s',
      pass: r.importSeconds < (r.kind === 'sqlite' ? 30 : 60),
      note: `${fmt.int(r.events)} events; server CPU ${r.serverCpuSeconds === null ? 'n/a' : `${r.serverCpuSeconds.toFixed(1)} s`}; load average ${r.loadAverageAtStart.toFixed(1)} at the start`,
    },
    {
      figure: `${r.kind}: server memory during the import (peak RSS)`,
      value: `${r.serverRssPeakMB.toFixed(0)} MB`,
      target: '< 500 MB',
      pass: r.serverRssPeakMB < 500,
      note: `${r.serverRssBeforeMB.toFixed(0)} MB before`,
    },
    {
      figure: `${r.kind}: first report after it (lead time)`,
      value: fmt.ms(r.firstReportMs),
      target: '< 1 s',
      pass: r.firstReportMs < 1000,
      note: `stage times ${fmt.ms(r.stageTimesMs)}, board ${fmt.ms(r.boardMs)}`,
    },
  ]);
}

async function main(): Promise<void> {
  const rows = Number(args.rows);
  const targets: Array<() => Promise<BenchDatabase>> = [];
  if (args.only !== 'postgres') targets.push(async () => sqliteDatabase(args.keep ?? false));
  const pgUrl = process.env.DATABASE_URL;
  if (args.only !== 'sqlite' && pgUrl?.startsWith('postgres')) targets.push(() => postgresDatabase(pgUrl, args.keep ?? false));
  const results: ImportBenchResult[] = [];
  for (const make of targets) {
    const target = await make();
    try {
      results.push(await benchImport(target, rows));
    } finally {
      await target.drop();
    }
  }
  console.log(table(importRows(results)));
  mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  const file = join(REPO_ROOT, 'bench', 'results', `import-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.json`);
  writeJsonResult(file, { results }, REPO_ROOT);
  console.log(`\nresults: ${file}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
