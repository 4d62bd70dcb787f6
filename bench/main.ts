// `npm run bench`: the real server as a child process on a fresh database with 10,000 open orders; stage moves
// per second through the HTTP API from 32 keep-alive clients (p50/p99), the same transaction straight on the
// driver (the limit) in the same run, and GET /api/v1/board. SQLite always; PostgreSQL too when DATABASE_URL
// names one. Results as JSON under bench/results/ and as a table on stdout. See bench/README.md.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bringFactsUpToDate } from '../src/app/reports/insight.ts';
import { verifyAudit } from '../src/app/verify-audit.ts';
import { systemClock } from '../src/domain/clock.ts';
import { type Db, openDb } from '../src/store/db.ts';
import { chainHead } from '../src/store/events.ts';
import { migrate } from '../src/store/migrations/index.ts';
import { timeBoard } from './board.ts';
import { type BoardRenderResult, benchBoardRender, formatBoardRender } from './board-render.ts';
import { type BenchDatabase, postgresDatabase, sqliteDatabase } from './databases.ts';
import { benchFirstPaint, formatFirstPaint } from './first-paint.ts';
import { runHttpMoves } from './http-moves.ts';
import { benchImport, type ImportBenchResult, importRows } from './import.ts';
import { type InsightResult, insightTable, runInsightBench } from './insight.ts';
import { LEAN_TARGETS, type LeanResult, runLeanMoves } from './lean-moves.ts';
import { pgLimit } from './limit-pg.ts';
import { type LimitResult, sqliteLimit } from './limit-sqlite.ts';
import { formatProfile, summarizeProfile } from './profile.ts';
import { waitQuiet } from './quiet.ts';
import { fmt, type Row, table, writeJsonResult } from './report.ts';
import { BENCH_WORKFLOW, readSlots, seedBench } from './seed.ts';
import { REPO_ROOT, startServer } from './server.ts';
import { benchTravellers, type TravellerBenchResult } from './travellers.ts';
import { inProcessMoves } from './usecase.ts';

const TARGETS = {
  sqliteRatio: 0.6,
  p99Ms: 40,
  boardMs: 100,
  pgMovesPerSecond: 1500,
};

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '10000' },
    clients: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '10' },
    'limit-seconds': { type: 'string', default: '5' },
    'board-runs': { type: 'string', default: '20' },
    'pg-workers': { type: 'string', default: '16' },
    only: { type: 'string' },
    'insight-orders': { type: 'string', default: '100000' },
    'skip-insight': { type: 'boolean', default: false },
    'skip-browser': { type: 'boolean', default: false },
    'skip-lean': { type: 'boolean', default: false },
    'lean-seconds': { type: 'string', default: '5' },
    'skip-import': { type: 'boolean', default: false },
    'skip-travellers': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`npm run bench -- [options]
  --orders N          open orders seeded (10000)
  --clients N         concurrent keep-alive HTTP clients (32)
  --warmup S          warm-up seconds before the measured window (2)
  --seconds S         measured seconds of HTTP moves (10)
  --limit-seconds S   seconds per limit run (5; runs before and after the HTTP phase)
  --board-runs N      timed GET /api/v1/board requests (20, after 3 warm-up requests)
  --pg-workers N      PostgreSQL connections for the limit and the in-process run (16, the server's pool size)
  --only sqlite|postgres|moves|travellers|first-paint
                      moves: only the lean-moves step (Floorboard beside a minimal Fastify + better-sqlite3
                      server: CPU per move at 8 clients, p50 at 1 client, moves/s at 32, answer size)
                      travellers: only printing 200 job travellers as one PDF
                      first-paint: only the board of 2,000 orders opened cold (median time to the first card)
  --lean-seconds S    measured seconds per lean-moves phase (5, after 2 s of warm-up)
  --insight-orders N  orders in the insight history (100000, about 1,000,000 events)
  --skip-insight      leave out the insight part (reports on the big history, the forecast backtest)
  --skip-browser      leave out the board rendered in headless Chromium (2,000 orders)
  --skip-lean         leave out the lean-moves step
  --skip-import       leave out the 20,000-row CSV import (alone: npm run bench:import)
  --skip-travellers   leave out printing 200 job travellers as one PDF
  --profile           run the server under node --cpu-prof and summarise where its CPU went
  --keep              keep the temp databases (and their server logs)
DATABASE_URL=postgres://... adds a PostgreSQL run on a throw-away database created next to the one it names.`);
  process.exit(0);
}

const settings = {
  orders: Number(args.orders),
  clients: Number(args.clients),
  warmupSeconds: Number(args.warmup),
  seconds: Number(args.seconds),
  limitSeconds: Number(args['limit-seconds']),
  boardWarmup: 3,
  boardRuns: Number(args['board-runs']),
  pgWorkers: Number(args['pg-workers']),
  profile: args.profile,
};

const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');
const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Which code was measured: the commit, and whether src/ had uncommitted changes. */
function codeVersion(): { commit: string; srcChanged: boolean } {
  try {
    const git = (...a: string[]) =>
      execFileSync('git', a, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git('rev-parse', '--short', 'HEAD'), srcChanged: git('status', '--porcelain', '--', 'src').length > 0 };
  } catch {
    return { commit: 'unknown', srcChanged: false };
  }
}

function machine() {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

interface DbResult {
  kind: 'sqlite' | 'postgres';
  database: string;
  seed?: { orders: number; events: number; seconds: number };
  /** The server's jobs at start (sweep, dispatcher) before the measurements. */
  startupWork?: { seconds: number; events: number };
  limitRuns: Array<LimitResult & { when: 'before' | 'after'; variant: string }>;
  limit?: { variant: string; movesPerSecond: number; label: string };
  useCase?: LimitResult;
  insightCatchUps: Array<{ events: number; seconds: number; after: string }>;
  http?: Awaited<ReturnType<typeof runHttpMoves>>;
  board?: Awaited<ReturnType<typeof timeBoard>>;
  checks?: Record<string, unknown>;
  profile?: { file: string; summary: string };
  targets: Row[];
  error?: string;
}

async function catchUpInsight(db: Db): Promise<{ events: number; seconds: number }> {
  const started = performance.now();
  const { events } = await bringFactsUpToDate({ db, clock: systemClock });
  return { events, seconds: (performance.now() - started) / 1000 };
}

async function benchDatabase(target: BenchDatabase): Promise<DbResult> {
  const result: DbResult = { kind: target.kind, database: target.description, limitRuns: [], insightCatchUps: [], targets: [] };
  log(`${target.kind}: seeding ${fmt.int(settings.orders)} open orders into ${target.description}`);
  const seedDb = openDb(target.url);
  let token: string;
  let actor: Awaited<ReturnType<typeof seedBench>>['actor'];
  try {
    await migrate(seedDb);
    const seeded = await seedBench(seedDb, settings.orders);
    token = seeded.token;
    actor = seeded.actor;
    result.seed = { orders: seeded.orders, events: seeded.events, seconds: seeded.seconds };
  } finally {
    await seedDb.close();
  }
  log(`${target.kind}: seeded in ${result.seed.seconds.toFixed(1)} s (${fmt.int(result.seed.events)} chained events)`);

  const db = openDb(target.url);
  const orderIds = (await readSlots(db)).map((s) => s.id);
  // The limit and the in-process diagnostic run while no server runs: nothing else holds a lock or a core.
  const limitRun = async (when: 'before' | 'after') => {
    const variants = target.kind === 'sqlite' ? (['raw'] as const) : (['statements', 'fused'] as const);
    for (const variant of variants) {
      log(`${target.kind}: limit (${variant}, ${when} the HTTP phase), ${settings.limitSeconds} s`);
      const r =
        variant === 'raw'
          ? sqliteLimit(target.sqlitePath!, orderIds, actor, settings.limitSeconds)
          : await pgLimit(target.url, orderIds, actor, settings.limitSeconds, settings.pgWorkers, variant);
      result.limitRuns.push({ ...r, when, variant });
      log(`${target.kind}:   ${fmt.rate(r.movesPerSecond)}`);
    }
  };
  const profileDir = settings.profile ? join(target.workDir, 'profile') : undefined;
  const windows: Array<{ name: string; from: number; to: number }> = [];
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  // A server that has been running while this history grew has folded it into the insight facts as it went
  // (reports and forecasts catch up before they read). Fold it in, timed, before each phase, so each measures
  // the steady state rather than a first-start catch-up of the whole seeded history.
  const foldInsight = async (after: string) => {
    const r = await catchUpInsight(db);
    result.insightCatchUps.push({ ...r, after });
    log(`${target.kind}: insight facts caught up: ${fmt.int(r.events)} events in ${r.seconds.toFixed(1)} s`);
  };
  try {
    await foldInsight('seeding');
    await limitRun('before');
    await foldInsight('the limit run');
    const workers = target.kind === 'sqlite' ? 1 : settings.pgWorkers;
    log(`${target.kind}: moveOrder use case in-process, ${settings.limitSeconds} s`);
    result.useCase = await inProcessMoves(target.url, token, settings.limitSeconds, workers);
    log(`${target.kind}:   ${fmt.rate(result.useCase.movesPerSecond)}`);
    await foldInsight('the diagnostic');

    const spawnedAt = performance.now();
    server = await startServer({
      databaseUrl: target.url,
      logFile: join(target.workDir, 'server.log'),
      cpuProfileDir: profileDir,
    });
    cleanups.add(server.stop);
    log(`${target.kind}: server up at ${server.url} (pid ${server.pid}, log ${server.logFile})`);
    // The server's own jobs (the sweep raising flags on the seeded orders, the outbox dispatcher working
    // through the limit's moves) run at start; measure the steady state after them.
    const quiet = await waitQuiet(db);
    result.startupWork = quiet;
    log(`${target.kind}: server jobs settled in ${quiet.seconds.toFixed(1)} s (${fmt.int(quiet.events)} events written by them)`);

    const slots = await readSlots(db);
    const headBefore = await chainHead(db.kysely);
    log(
      `${target.kind}: HTTP moves, ${settings.clients} keep-alive clients, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s measured`,
    );
    const httpStart = performance.now();
    result.http = await runHttpMoves({
      url: server.url,
      token,
      slots,
      connections: settings.clients,
      warmupSeconds: settings.warmupSeconds,
      seconds: settings.seconds,
      serverPid: server.pid,
    });
    const measuredFrom = httpStart + settings.warmupSeconds * 1000 - spawnedAt;
    windows.push({ name: 'HTTP moves (measured window)', from: measuredFrom, to: measuredFrom + settings.seconds * 1000 });
    log(
      `${target.kind}:   ${fmt.rate(result.http.movesPerSecond)}, p50 ${fmt.ms(result.http.latency.p50)}, p99 ${fmt.ms(result.http.latency.p99)}`,
    );
    // Requests still in flight when the load stopped finish now; then the jobs catch up.
    await server.settle();
    const headAfter = await chainHead(db.kysely);
    const afterHttp = await waitQuiet(db);
    const movesDuringHttp = Number(
      (
        await db.kysely
          .selectFrom('events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('seq', '>', headBefore.seq)
          .where('seq', '<=', headAfter.seq)
          .where('type', '=', 'order.stage_changed')
          .executeTakeFirstOrThrow()
      ).n,
    );

    log(`${target.kind}: GET /api/v1/board, ${settings.boardWarmup} warm-up + ${settings.boardRuns} timed`);
    const boardStart = performance.now() - spawnedAt;
    result.board = await timeBoard(server.url, token, BENCH_WORKFLOW.key, settings.boardWarmup, settings.boardRuns);
    windows.push({ name: 'GET /api/v1/board', from: boardStart, to: performance.now() - spawnedAt });
    log(`${target.kind}:   median ${fmt.ms(result.board.latency.p50)}, ${fmt.int(result.board.cards)} cards`);

    await server.stop();
    await limitRun('after');

    log(`${target.kind}: checking the data: audit chain, outbox, open orders`);
    const audit = await verifyAudit({ db, clock: systemClock });
    const count = async (table: 'events' | 'outbox') =>
      Number(
        (
          await db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const open = Number(
      (
        await db.kysely
          .selectFrom('orders')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('workflow', '=', BENCH_WORKFLOW.key)
          .where('state', '=', 'active')
          .executeTakeFirstOrThrow()
      ).n,
    );
    const logText = readFileSync(server.logFile, 'utf8');
    const requestLines = logText.split('\n').filter((l) => l.includes('"msg":"request"')).length;
    result.checks = {
      auditChainIntact: audit.ok,
      auditEvents: audit.events,
      auditBroken: audit.broken,
      eventRows: await count('events'),
      outboxRows: await count('outbox'),
      openOrders: open,
      httpOk: result.http.totalOk,
      stageChangesDuringHttp: movesDuringHttp,
      otherEventsDuringHttp: headAfter.seq - headBefore.seq - movesDuringHttp + afterHttp.events,
      httpAnswersLostOrAbandoned: result.http.abandoned + result.http.lost,
      serverRequestLogLines: requestLines,
    };
  } finally {
    if (server) {
      await server.stop();
      cleanups.delete(server.stop);
    }
    await db.close();
  }

  if (profileDir) {
    const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) {
      mkdirSync(RESULTS_DIR, { recursive: true });
      const kept = join(RESULTS_DIR, `${stamp}-${target.kind}-server.cpuprofile`);
      copyFileSync(join(profileDir, file), kept);
      const text = windows
        .map((w) => formatProfile(`${target.kind} server, ${w.name}`, summarizeProfile(kept, w.from, w.to)))
        .join('\n\n');
      writeFileSync(kept.replace(/\.cpuprofile$/, '-profile.txt'), `${text}\n`);
      result.profile = { file: kept, summary: text };
    }
  }

  // The limit: the faster way of sending the transaction straight to the driver, averaged over its two runs.
  const byVariant = new Map<string, LimitResult[]>();
  for (const r of result.limitRuns) byVariant.set(r.variant, [...(byVariant.get(r.variant) ?? []), r]);
  const means = [...byVariant.entries()].map(([variant, runs]) => ({
    variant,
    label: runs[0]!.label,
    movesPerSecond: runs.reduce((s, r) => s + r.movesPerSecond, 0) / runs.length,
  }));
  result.limit = means.sort((a, b) => b.movesPerSecond - a.movesPerSecond)[0]!;
  result.targets = targetRows(result);
  return result;
}

function targetRows(r: DbResult): Row[] {
  const rows: Row[] = [];
  const http = r.http!;
  const limit = r.limit!;
  const ratio = http.movesPerSecond / limit.movesPerSecond;
  const errors = Object.values(http.errorsByStatus).reduce((a, b) => a + b, 0) + http.connectionErrors + http.lost;
  if (r.kind === 'sqlite') {
    rows.push({ figure: 'moves/s via HTTP API (200s only)', value: fmt.rate(http.movesPerSecond) });
    rows.push({
      figure: 'limit: same transaction on better-sqlite3',
      value: fmt.rate(limit.movesPerSecond),
      note: 'mean of 2 runs',
    });
    rows.push({
      figure: 'ratio API / limit',
      value: fmt.pct(ratio),
      target: `>= ${fmt.pct(TARGETS.sqliteRatio)}`,
      pass: ratio >= TARGETS.sqliteRatio,
    });
  } else {
    rows.push({
      figure: 'moves/s via HTTP API (200s only)',
      value: fmt.rate(http.movesPerSecond),
      target: `>= ${fmt.int(TARGETS.pgMovesPerSecond)}/s`,
      pass: http.movesPerSecond >= TARGETS.pgMovesPerSecond,
    });
    for (const [variant, runs] of groupRuns(r)) {
      const mean = runs.reduce((s, x) => s + x.movesPerSecond, 0) / runs.length;
      rows.push({
        figure: `limit: pg ${variant} (${runs[0]!.roundTrips} round trips)`,
        value: fmt.rate(mean),
        note: variant === limit.variant ? 'the limit, mean of 2 runs' : 'mean of 2 runs',
      });
    }
    rows.push({ figure: 'ratio API / limit', value: fmt.pct(ratio) });
  }
  rows.push({ figure: 'latency p50', value: fmt.ms(http.latency.p50) });
  rows.push({
    figure: 'latency p99',
    value: fmt.ms(http.latency.p99),
    target: `< ${TARGETS.p99Ms} ms`,
    pass: http.latency.p99 < TARGETS.p99Ms,
  });
  rows.push({ figure: 'errors (non-200, lost, connection)', value: fmt.int(errors), target: '0', pass: errors === 0 });
  const board = r.board!;
  rows.push({
    figure: `GET /api/v1/board, ${fmt.int(board.cards)} cards, median`,
    value: fmt.ms(board.latency.p50),
    target: `< ${TARGETS.boardMs} ms`,
    pass: board.latency.p50 < TARGETS.boardMs,
    note: `p95 ${fmt.ms(board.latency.p95)}, ${fmt.bytes(board.bytes)}`,
  });
  return rows;
}

function groupRuns(r: DbResult): Map<string, LimitResult[]> {
  const m = new Map<string, LimitResult[]>();
  for (const x of r.limitRuns) m.set(x.variant, [...(m.get(x.variant) ?? []), x]);
  return m;
}

function details(r: DbResult): string {
  const lines: string[] = [];
  const http = r.http!;
  if (r.seed && r.startupWork) {
    lines.push(
      `  seed: ${fmt.int(r.seed.orders)} orders, ${fmt.int(r.seed.events)} events in ${r.seed.seconds.toFixed(1)} s; server jobs at start (sweep, dispatcher): ${fmt.int(r.startupWork.events)} events in ${r.startupWork.seconds.toFixed(1)} s, waited out before measuring`,
    );
  }
  lines.push(
    `  HTTP: ${fmt.int(http.moves)} moves in ${http.seconds} s; latency mean ${fmt.ms(http.latency.mean)}, p90 ${fmt.ms(http.latency.p90)}, max ${fmt.ms(http.latency.max)}`,
  );
  if (http.cpu) {
    lines.push(
      `  CPU in the measured window: server ${fmt.cores(http.cpu.server)}` +
        (http.cpu.server !== null
          ? ` (${((http.cpu.server * 1000) / http.movesPerSecond).toFixed(2)} ms of server CPU per move)`
          : '') +
        `, load generator ${fmt.cores(http.cpu.bench)}, machine ${http.cpu.machine === null ? 'n/a' : fmt.pct(http.cpu.machine)} busy`,
    );
  }
  if (Object.keys(http.errorsByStatus).length || http.lost || http.connectionErrors) {
    lines.push(`  errors: ${JSON.stringify(http.errorsByStatus)}, lost ${http.lost}, connection errors ${http.connectionErrors}`);
  }
  for (const x of r.limitRuns) {
    lines.push(
      `  limit ${x.when.padEnd(6)} ${x.label}: ${fmt.rate(x.movesPerSecond)} (${x.workers} ${x.workers === 1 ? 'worker' : 'connections'}, p50 ${fmt.ms(x.latency.p50)}, p99 ${fmt.ms(x.latency.p99)})`,
    );
  }
  if (r.useCase) {
    const u = r.useCase;
    lines.push(
      `  diagnostic: ${u.label}: ${fmt.rate(u.movesPerSecond)} (${u.workers} ${u.workers === 1 ? 'worker' : 'workers'}, p50 ${fmt.ms(u.latency.p50)}, p99 ${fmt.ms(u.latency.p99)})`,
    );
  }
  for (const i of r.insightCatchUps.filter((x) => x.events > 0)) {
    lines.push(
      `  insight facts folded in after ${i.after} (as a running server does in the background): ${fmt.int(i.events)} events in ${i.seconds.toFixed(1)} s (${((i.seconds * 1e6) / i.events).toFixed(0)} µs per event)`,
    );
  }
  const c = r.checks;
  if (c) {
    lines.push(
      `  checks: audit chain ${c.auditChainIntact ? 'intact' : 'BROKEN'} over ${fmt.int(c.auditEvents as number)} events; ` +
        `outbox rows ${fmt.int(c.outboxRows as number)} = events ${fmt.int(c.eventRows as number)}: ${c.outboxRows === c.eventRows ? 'yes' : 'NO'}; ` +
        `open orders ${fmt.int(c.openOrders as number)}; ` +
        `HTTP 200s ${fmt.int(c.httpOk as number)} vs stage changes recorded ${fmt.int(c.stageChangesDuringHttp as number)} (≤ ${c.httpAnswersLostOrAbandoned} in flight at the end), other events by the server's jobs meanwhile ${fmt.int(c.otherEventsDuringHttp as number)}; ` +
        `server log request lines ${fmt.int(c.serverRequestLogLines as number)}`,
    );
  }
  return lines.join('\n');
}

/** What to undo if the run is interrupted (Ctrl-C, a timeout's SIGTERM): stop the server, drop the database. */
const cleanups = new Set<() => Promise<void>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the server and dropping the bench database`);
    void Promise.allSettled([...cleanups].map((c) => c())).then(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  // The board opened cold, alone: it needs no database step of its own.
  if (args.only === 'first-paint') {
    const result = await benchFirstPaint();
    console.log(formatFirstPaint(result));
    if (!result.pass) process.exitCode = 1;
    return;
  }
  const startedAt = new Date().toISOString();
  const machineStart = machine();
  const code = codeVersion();
  const pgUrl = process.env.DATABASE_URL?.match(/^postgres(ql)?:\/\//) ? process.env.DATABASE_URL : undefined;
  const onlyTravellers = args.only === 'travellers';
  // A step of its own alone: the databases, insight, browser and import parts stay out as with --only moves.
  const onlyMoves = args.only === 'moves' || onlyTravellers;
  const kinds: Array<'sqlite' | 'postgres'> = [];
  if (!onlyMoves && args.only !== 'postgres') kinds.push('sqlite');
  if (!onlyMoves && args.only !== 'sqlite' && pgUrl) kinds.push('postgres');
  if (args.only === 'postgres' && !pgUrl) throw new Error('--only postgres needs DATABASE_URL=postgres://...');
  log(
    `machine: ${machineStart.cores} cores (${machineStart.cpuModel}), Node ${machineStart.node}; load average ${machineStart.loadAverage.join(' ')}`,
  );

  const results: DbResult[] = [];
  for (const kind of kinds) {
    const target = kind === 'sqlite' ? sqliteDatabase(args.keep) : await postgresDatabase(pgUrl!, args.keep);
    cleanups.add(target.drop);
    try {
      results.push(await benchDatabase(target));
    } catch (err) {
      log(`${kind}: FAILED: ${(err as Error).stack ?? String(err)}`);
      results.push({ kind, database: target.description, limitRuns: [], insightCatchUps: [], targets: [], error: String(err) });
    } finally {
      cleanups.delete(target.drop);
      await target.drop();
      if (args.keep) log(`${kind}: kept ${target.description} and ${target.workDir}`);
    }
  }

  // Lean moves: Floorboard's cost per move against a minimal server doing the same transaction, same run.
  let lean: LeanResult | undefined;
  let leanError: string | undefined;
  if (args.only === 'moves' || (!args.only && !args['skip-lean'])) {
    try {
      lean = await runLeanMoves({
        orders: settings.orders,
        warmupSeconds: 2,
        seconds: Number(args['lean-seconds']),
        keep: args.keep,
        profile: settings.profile,
        log,
      });
    } catch (err) {
      leanError = (err as Error).stack ?? String(err);
      log(`moves: FAILED: ${leanError}`);
    }
  }

  // Insight: every report on a big history, timed, and the forecast backtest (its p85 coverage).
  let insight: InsightResult | undefined;
  let insightError: string | undefined;
  if (!onlyMoves && !args['skip-insight']) {
    log(`insight: ${fmt.int(Number(args['insight-orders']))} orders of history (this part takes several minutes)`);
    try {
      insight = await runInsightBench({
        orders: Number(args['insight-orders']),
        runs: 3,
        postgresUrl: pgUrl,
        only: args.only as 'sqlite' | 'postgres' | undefined,
        keep: args.keep,
        log: (line) => log(`insight: ${line}`),
      });
    } catch (err) {
      insightError = (err as Error).stack ?? String(err);
      log(`insight: FAILED: ${insightError}`);
    }
  }
  // The board in a browser: 2,000 open orders on screen, and scrolling a long column.
  let browser: BoardRenderResult | undefined;
  if (!onlyMoves && !args['skip-browser']) {
    log('browser: the board of 2,000 orders in headless Chromium');
    browser = await benchBoardRender({ keep: args.keep });
  }

  // A shop's first day: a 20,000-row spreadsheet with its stage dates imported through the API.
  const imports: ImportBenchResult[] = [];
  if (!onlyMoves && !args['skip-import']) {
    for (const kind of kinds) {
      log(`import: ${kind}: 20,000 rows with six stage-date columns`);
      const target = kind === 'sqlite' ? sqliteDatabase(args.keep) : await postgresDatabase(pgUrl!, args.keep);
      cleanups.add(target.drop);
      try {
        imports.push(await benchImport(target, 20_000));
      } catch (err) {
        log(`import: ${kind}: FAILED: ${(err as Error).stack ?? String(err)}`);
      } finally {
        cleanups.delete(target.drop);
        await target.drop();
      }
    }
  }

  // Printing the morning's job travellers: 200 orders, one PDF.
  let travellers: TravellerBenchResult | undefined;
  let travellersError: string | undefined;
  if (onlyTravellers || (!args.only && !args['skip-travellers'])) {
    log('travellers: 200 job travellers as one PDF');
    try {
      travellers = await benchTravellers(200);
    } catch (err) {
      travellersError = (err as Error).stack ?? String(err);
      log(`travellers: FAILED: ${travellersError}`);
    }
  }

  const machineEnd = machine();
  const report = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: { ...machineStart, loadAverageStart: machineStart.loadAverage, loadAverageEnd: machineEnd.loadAverage },
    code,
    settings,
    targets: TARGETS,
    results,
    lean: lean ?? (leanError ? { error: leanError, targets: LEAN_TARGETS } : undefined),
    insight: insight ?? (insightError ? { error: insightError } : undefined),
    browser,
    imports,
    travellers: travellers ?? (travellersError ? { error: travellersError } : undefined),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `bench-${stamp}.json`);
  writeJsonResult(file, report, REPO_ROOT);

  const out: string[] = [];
  out.push(`Floorboard bench, ${startedAt}`);
  out.push(
    `machine: ${machineStart.cores} cores (${machineStart.cpuModel}), ${machineStart.memoryGiB} GiB, Node ${machineStart.node}, ${machineStart.platform}`,
  );
  if (machineStart.loadAverage[0]! > 0.5 * machineStart.cores || machineEnd.loadAverage[0]! > 0.5 * machineEnd.cores + 1) {
    out.push('WARNING: other work was running on this machine (see the load average): absolute figures are low and noisy.');
  }
  out.push(`code: commit ${code.commit}${code.srcChanged ? ' plus uncommitted changes in src/' : ''}`);
  out.push(
    `load average (1, 5, 15 min): ${machineStart.loadAverage.join(' ')} at start, ${machineEnd.loadAverage.join(' ')} at end`,
  );
  out.push(
    `workload: ${fmt.int(settings.orders)} open orders in "${BENCH_WORKFLOW.key}" (${BENCH_WORKFLOW.stages.length} stages), ` +
      `${settings.clients} keep-alive clients, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s measured; ` +
      `server: node bin/floorboard.js serve, NODE_ENV=production, LOG_LEVEL=info`,
  );
  for (const r of results) {
    out.push('');
    out.push(`${r.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (${r.database})`);
    if (r.error) {
      out.push(`  FAILED: ${r.error}`);
      continue;
    }
    out.push(table(r.targets));
    out.push(details(r));
    for (const [variant, runs] of groupRuns(r)) {
      const rates = runs.map((x) => x.movesPerSecond);
      if (Math.max(...rates) > 1.25 * Math.min(...rates)) {
        out.push(
          `  WARNING: the ${variant} limit runs before and after the HTTP phase differ by more than 25% (${rates.map(fmt.rate).join(' vs ')}): the machine's load changed during the run, so the ratio is unreliable.`,
        );
      }
    }
    if (r.profile) out.push('', r.profile.summary, `  (profile: ${r.profile.file})`);
  }
  if (lean) {
    out.push('', 'Lean moves: Floorboard beside a minimal Fastify + better-sqlite3 server, SQLite, same run', table(lean.rows));
    for (const [name, phases] of [
      ['Floorboard', lean.floorboard],
      ['minimal', lean.minimal],
    ] as const) {
      for (const m of Object.values(phases)) {
        out.push(
          `  ${name.padEnd(10)} ${String(m.clients).padStart(2)} clients: ${fmt.rate(m.movesPerSecond)}, p50 ${fmt.ms(m.p50)}, p99 ${fmt.ms(m.p99)}, server CPU ${m.cpuMsPerMove === null ? 'n/a' : `${m.cpuMsPerMove.toFixed(3)} ms`} per move`,
        );
      }
    }
  }
  if (lean?.profile) out.push('', lean.profile);
  if (leanError) out.push('', `Lean moves: FAILED: ${leanError}`);
  if (insight) out.push('', 'Insight: reports on the big history, forecasts and the backtest', insightTable(insight));
  if (insightError) out.push('', `Insight: FAILED: ${insightError}`);
  if (browser) out.push('', formatBoardRender(browser));
  if (imports.length) out.push('', 'Import: a 20,000-row CSV with six stage-date columns', table(importRows(imports)));
  if (travellers)
    out.push('', 'Travellers: printing job travellers (POST /api/v1/travellers.pdf, SQLite)', table(travellers.rows));
  if (travellersError) out.push('', `Travellers: FAILED: ${travellersError}`);
  out.push('', `results: ${file}`);
  console.log(out.join('\n'));
  const failed =
    results.some((r) => r.error || r.checks?.auditChainIntact === false) ||
    insightError !== undefined ||
    leanError !== undefined ||
    travellersError !== undefined;
  process.exit(failed ? 1 : 0);
}

await main();
