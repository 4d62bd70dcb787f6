// Where a stage move's time goes, piece by piece (a companion to `npm run bench` for when the API misses):
//   node bin/run-ts.js bench/diagnose.ts [--seconds 4] [--orders 10000] [--pg postgres://...]
// In this process: the raw-driver limit, the moveOrder use case on the stock Kysely set-up, the same with
// better-sqlite3 statements cached, and each SQL statement the use case runs (count, time with Kysely's
// prepare-every-time, prepare alone). Against the real server (child process): requests per second and server
// CPU per request for a public GET, an authenticated GET, reading one order, and moving one.

import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { Kysely, type LogEvent, SqliteDialect } from 'kysely';
import { actorForToken } from '../src/app/manage-access.ts';
import { moveOrder } from '../src/app/move-order.ts';
import { systemClock } from '../src/domain/clock.ts';
import { type Db, openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrations/index.ts';
import type { Database } from '../src/store/schema.ts';
import { type BenchDatabase, postgresDatabase, sqliteDatabase } from './databases.ts';
import { runHttpMoves } from './http-moves.ts';
import { pgLimit } from './limit-pg.ts';
import { type LimitResult, sqliteLimit } from './limit-sqlite.ts';
import { waitQuiet } from './quiet.ts';
import { fmt } from './report.ts';
import { moveBody, readSlots, type Seeded, seedBench } from './seed.ts';
import { cpuWindow, startServer } from './server.ts';
import { summarize } from './stats.ts';
import { timedUseCaseMoves } from './usecase.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    orders: { type: 'string', default: '10000' },
    pg: { type: 'string' },
    workers: { type: 'string', default: '16' },
  },
});
const SECONDS = Number(args.seconds);
const ORDERS = Number(args.orders);

/** A SQLite Db like openDb's, optionally with better-sqlite3 statements cached by SQL text, and a query log. */
function sqliteDb(path: string, opts: { cacheStatements: boolean; log?: (e: LogEvent) => void }): Db {
  const raw = new SQLite(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  let database: SQLite.Database = raw;
  if (opts.cacheStatements) {
    const cache = new Map<string, SQLite.Statement>();
    database = new Proxy(raw, {
      get(target, prop, receiver) {
        if (prop === 'prepare') {
          return (sql: string) => {
            let stmt = cache.get(sql);
            if (!stmt) {
              stmt = target.prepare(sql);
              cache.set(sql, stmt);
            }
            return stmt;
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database }), ...(opts.log ? { log: opts.log } : {}) });
  return { kysely, dialect: 'sqlite', description: path, sqlite: raw, close: () => kysely.destroy() };
}

/** Every statement one moveOrder runs, with Kysely's measured time (prepare + run) and prepare alone. */
async function queryBreakdown(path: string, token: string, moves: number) {
  const stats = new Map<string, { calls: number; ms: number }>();
  const db = sqliteDb(path, {
    cacheStatements: false,
    log: (e) => {
      const key = e.query.sql;
      const s = stats.get(key) ?? { calls: 0, ms: 0 };
      s.calls++;
      s.ms += e.queryDurationMillis;
      stats.set(key, s);
    },
  });
  const app = { db, clock: systemClock };
  const actor = (await actorForToken(app, token))!;
  stats.clear();
  const slots = (await readSlots(db)).slice(0, moves);
  const t0 = performance.now();
  for (const slot of slots) await moveOrder(app, actor, slot.id, moveBody(slot));
  const wall = (performance.now() - t0) / slots.length;
  const rows = [...stats.entries()].map(([sql, s]) => {
    const n = 500;
    const p0 = performance.now();
    for (let i = 0; i < n; i++) db.sqlite!.prepare(sql);
    const prepareMs = (performance.now() - p0) / n;
    return { sql, perMove: s.calls / slots.length, msPerCall: s.ms / s.calls, prepareMs };
  });
  await db.close();
  return { wallMsPerMove: wall, rows };
}

async function autocannonGet(url: string, token: string, paths: string[], seconds: number, serverPid: number) {
  let n = 0;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let cpu: ReturnType<typeof cpuWindow> | null = null;
  return new Promise<{ rps: number; p50: number; p99: number; cpuMsPerRequest: number | null; statuses: Record<string, number> }>(
    (resolve, reject) => {
      const started = performance.now();
      const warm = 1000;
      const instance = autocannon(
        {
          url,
          connections: 32,
          duration: seconds + warm / 1000,
          headers: { authorization: `Bearer ${token}` },
          setupClient: (client) => {
            client.setRequests([
              {
                method: 'GET',
                setupRequest: (req) => ({ ...req, method: 'GET', path: paths[n++ % paths.length]! }),
              },
            ]);
          },
        },
        (err) => {
          if (err) return reject(err);
          const c = cpuResult;
          const ok = latencies.length;
          resolve({
            rps: ok / seconds,
            p50: summarize(latencies).p50,
            p99: summarize(latencies).p99,
            cpuMsPerRequest: c?.server != null ? (c.server * seconds * 1000) / ok : null,
            statuses,
          });
        },
      );
      let cpuResult: ReturnType<ReturnType<typeof cpuWindow>['end']> | null = null;
      setTimeout(() => {
        cpu = cpuWindow(serverPid);
      }, warm);
      setTimeout(
        () => {
          cpuResult = cpu?.end() ?? null;
        },
        warm + seconds * 1000,
      );
      instance.on('response', (_c: unknown, status: number, _b: number, ms: number) => {
        const t = performance.now() - started;
        if (t < warm || t > warm + seconds * 1000) return;
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 200) latencies.push(ms);
      });
    },
  );
}

async function httpPieces(target: BenchDatabase, seeded: Seeded) {
  const server = await startServer({ databaseUrl: target.url, logFile: `${target.workDir}/diagnose-server.log` });
  const db = openDb(target.url);
  try {
    await waitQuiet(db);
    const ids = (await readSlots(db)).map((s) => s.id);
    const out: Array<{
      what: string;
      rps: number;
      p50: number;
      p99: number;
      cpuMsPerRequest: number | null;
      statuses: Record<string, number>;
    }> = [];
    const runs: Array<[string, string[]]> = [
      ['GET /healthz (public, one tiny query)', ['/healthz']],
      ['GET /api/v1/workflows/bench-line (token auth + one query)', ['/api/v1/workflows/bench-line']],
      ['GET /api/v1/orders/:id (auth + order, visits, view)', ids.slice(0, 5000).map((id) => `/api/v1/orders/${id}`)],
    ];
    for (const [what, paths] of runs) {
      const r = await autocannonGet(server.url, seeded.token, paths, SECONDS, server.pid);
      out.push({ what, ...r });
      console.log(
        `  ${what.padEnd(60)} ${fmt.rate(r.rps).padStart(8)}  p50 ${fmt.ms(r.p50).padStart(8)}  p99 ${fmt.ms(r.p99).padStart(8)}  server CPU ${r.cpuMsPerRequest?.toFixed(3) ?? 'n/a'} ms/request  ${JSON.stringify(r.statuses)}`,
      );
      await server.settle();
    }
    const slots = await readSlots(db);
    const moves = await runHttpMoves({
      url: server.url,
      token: seeded.token,
      slots,
      connections: 32,
      warmupSeconds: 1,
      seconds: SECONDS,
      serverPid: server.pid,
    });
    const cpuMs = moves.cpu?.server != null ? (moves.cpu.server * SECONDS * 1000) / moves.moves : null;
    console.log(
      `  ${'POST /api/v1/orders/:id/transitions (a move)'.padEnd(60)} ${fmt.rate(moves.movesPerSecond).padStart(8)}  p50 ${fmt.ms(moves.latency.p50).padStart(8)}  p99 ${fmt.ms(moves.latency.p99).padStart(8)}  server CPU ${cpuMs?.toFixed(3) ?? 'n/a'} ms/request`,
    );
    await server.settle();
    return out;
  } finally {
    await server.stop();
    await db.close();
  }
}

function line(label: string, r: LimitResult) {
  console.log(
    `  ${label.padEnd(60)} ${fmt.rate(r.movesPerSecond).padStart(8)}  ${(1000 / r.movesPerSecond).toFixed(3)} ms/move  p50 ${fmt.ms(r.latency.p50)}  p99 ${fmt.ms(r.latency.p99)}`,
  );
}

async function sqliteDiagnosis() {
  const target = sqliteDatabase(false);
  try {
    const setup = openDb(target.url);
    await migrate(setup);
    const seeded = await seedBench(setup, ORDERS);
    const ids = (await readSlots(setup)).map((s) => s.id);
    await setup.close();
    const path = target.sqlitePath!;
    console.log(`SQLite, ${fmt.int(ORDERS)} open orders, ${SECONDS} s per figure, one process, one connection`);
    line('limit: raw better-sqlite3, cached statements', sqliteLimit(path, ids, seeded.actor, SECONDS));
    const stock = sqliteDb(path, { cacheStatements: false });
    line('moveOrder via Kysely, better-sqlite3 prepare on every query', await timedUseCaseMoves(stock, seeded.token, SECONDS, 1));
    line('  the same + token lookup per move', await timedUseCaseMoves(stock, seeded.token, SECONDS, 1, true));
    await stock.close();
    const cached = sqliteDb(path, { cacheStatements: true });
    line(
      'moveOrder via Kysely, better-sqlite3 statements cached by SQL',
      await timedUseCaseMoves(cached, seeded.token, SECONDS, 1),
    );
    const served = openDb(target.url);
    line('moveOrder via openDb() as the server opens it', await timedUseCaseMoves(served, seeded.token, SECONDS, 1));
    await served.close();
    await cached.close();

    const b = await queryBreakdown(path, seeded.token, 2000);
    console.log(
      `\n  statements of one moveOrder (Kysely, prepare on every query), wall ${b.wallMsPerMove.toFixed(3)} ms per move:`,
    );
    let sum = 0;
    let prep = 0;
    for (const r of b.rows) {
      sum += r.perMove * r.msPerCall;
      prep += r.perMove * r.prepareMs;
      console.log(
        `    ${r.perMove.toFixed(2)}x  ${r.msPerCall.toFixed(4)} ms (prepare alone ${r.prepareMs.toFixed(4)} ms)  ${r.sql.replace(/\s+/g, ' ').slice(0, 110)}`,
      );
    }
    console.log(
      `    sum in the driver ${sum.toFixed(3)} ms/move, of which prepare ${prep.toFixed(3)} ms; outside the driver (Kysely building and compiling, app, awaits) ${(b.wallMsPerMove - sum).toFixed(3)} ms`,
    );

    console.log('\n  the real server (child process, production settings, logging at info), 32 keep-alive clients:');
    await httpPieces(target, seeded);
  } finally {
    await target.drop();
  }
}

async function pgDiagnosis(url: string) {
  const workers = Number(args.workers);
  const target = await postgresDatabase(url, false);
  try {
    const setup = openDb(target.url);
    await migrate(setup);
    const seeded = await seedBench(setup, ORDERS);
    const ids = (await readSlots(setup)).map((s) => s.id);
    await setup.close();
    console.log(`\nPostgreSQL, ${fmt.int(ORDERS)} open orders, ${SECONDS} s per figure`);
    for (const w of [1, workers]) {
      line(
        `limit: pg fused (2 round trips), ${w} connections`,
        await pgLimit(target.url, ids, seeded.actor, SECONDS, w, 'fused'),
      );
      line(
        `limit: pg statements (10 round trips), ${w} connections`,
        await pgLimit(target.url, ids, seeded.actor, SECONDS, w, 'statements'),
      );
      const db = openDb(target.url, { poolSize: w });
      line(`moveOrder via Kysely, pool of ${w}`, await timedUseCaseMoves(db, seeded.token, SECONDS, w));
      await db.close();
    }
    console.log('\n  the real server (child process, production settings, logging at info), 32 keep-alive clients:');
    await httpPieces(target, seeded);
  } finally {
    await target.drop();
  }
}

await sqliteDiagnosis();
if (args.pg) await pgDiagnosis(args.pg);
process.exit(0);
