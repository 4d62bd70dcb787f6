// `npm run bench:wal`: disk under sustained moves on SQLite. The real server takes stage moves at the bench's full
// rate (32 keep-alive clients) for --seconds (30 by default; 600 for the ten-minute form) while the size of the
// write-ahead log and of the database file are sampled every second. Passes when the log stays under 64 MB and
// the file grows by the tables the moves write, with little left as free pages.
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { bringFactsUpToDate } from '../src/app/reports/insight.ts';
import { systemClock } from '../src/domain/clock.ts';
import { openDb } from '../src/store/db.ts';
import { chainHead } from '../src/store/events.ts';
import { migrate } from '../src/store/migrations/index.ts';
import { sqliteDatabase } from './databases.ts';
import { runHttpMoves } from './http-moves.ts';
import { waitQuiet } from './quiet.ts';
import { fmt, type Row, table } from './report.ts';
import { readSlots, seedBench } from './seed.ts';
import { startServer } from './server.ts';

const WAL_LIMIT_BYTES = 64e6;
/** Free pages may be at most this share of the file's growth: more is space the moves did not need. */
const FREE_SHARE = 0.1;

interface Sample {
  second: number;
  walBytes: number;
  dbBytes: number;
}

export interface WalResult {
  seconds: number;
  moves: number;
  movesPerSecond: number;
  events: number;
  samples: Sample[];
  walMaxBytes: number;
  dbGrowthBytes: number;
  freeBytesAtEnd: number;
  growthByTable: Array<{ name: string; bytes: number }>;
  loadAverage: { start: number[]; end: number[] };
  targets: Row[];
}

const size = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

/** Bytes of each table and index (SQLite's dbstat), and the file's free pages. */
function pageUse(path: string): { tables: Map<string, number>; freeBytes: number } {
  const db = new SQLite(path, { readonly: true });
  try {
    const rows = db.prepare('select name, sum(pgsize) as bytes from dbstat group by name').all() as Array<{
      name: string;
      bytes: number;
    }>;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    return { tables: new Map(rows.map((r) => [r.name, r.bytes])), freeBytes: free * pageSize };
  } finally {
    db.close();
  }
}

export async function runWalBench(opts: {
  seconds: number;
  orders: number;
  clients: number;
  log: (m: string) => void;
}): Promise<WalResult> {
  const start = loadavg();
  const target = sqliteDatabase(false);
  const path = target.sqlitePath!;
  try {
    opts.log(`seeding ${fmt.int(opts.orders)} open orders`);
    const seedDb = openDb(target.url);
    let token: string;
    try {
      await migrate(seedDb);
      token = (await seedBench(seedDb, opts.orders)).token;
    } finally {
      await seedDb.close();
    }
    const db = openDb(target.url);
    const server = await startServer({ databaseUrl: target.url, logFile: join(target.workDir, 'server.log') });
    try {
      opts.log('waiting for the jobs to work off what seeding left');
      await waitQuiet(db);
      // Reports fold events into their facts as they go; fold the seeded history in now, so the growth below is the moves'.
      await bringFactsUpToDate({ db, clock: systemClock });
      const slots = await readSlots(db);
      const before = { seq: (await chainHead(db.kysely)).seq, use: pageUse(path), dbBytes: size(path) };
      const samples: Sample[] = [];
      const started = performance.now();
      const sampler = setInterval(() => {
        const s: Sample = {
          second: Math.round((performance.now() - started) / 1000),
          walBytes: size(`${path}-wal`),
          dbBytes: size(path),
        };
        samples.push(s);
        if (s.second % Math.max(1, Math.round(opts.seconds / 10)) === 0)
          opts.log(`${s.second} s: log ${fmt.bytes(s.walBytes)}, database ${fmt.bytes(s.dbBytes)}`);
      }, 1000);
      opts.log(`moves at full rate for ${opts.seconds} s, ${opts.clients} clients`);
      const moves = await runHttpMoves({
        url: server.url,
        token,
        slots,
        connections: opts.clients,
        warmupSeconds: 0,
        seconds: opts.seconds,
        serverPid: server.pid,
      });
      clearInterval(sampler);
      await server.settle();
      await waitQuiet(db);
      await server.stop();
      await bringFactsUpToDate({ db, clock: systemClock });
      const events = (await chainHead(db.kysely)).seq - before.seq;
      await db.close();
      const after = { use: pageUse(path), dbBytes: size(path) };
      const growthByTable = [...after.use.tables]
        .map(([name, bytes]) => ({ name, bytes: bytes - (before.use.tables.get(name) ?? 0) }))
        .filter((t) => t.bytes > 0)
        .sort((a, b) => b.bytes - a.bytes);
      const walMaxBytes = Math.max(0, ...samples.map((s) => s.walBytes));
      const dbGrowthBytes = after.dbBytes - before.dbBytes;
      const result: WalResult = {
        seconds: opts.seconds,
        moves: moves.moves,
        movesPerSecond: moves.movesPerSecond,
        events,
        samples,
        walMaxBytes,
        dbGrowthBytes,
        freeBytesAtEnd: after.use.freeBytes,
        growthByTable,
        loadAverage: { start, end: loadavg() },
        targets: [],
      };
      result.targets = [
        {
          figure: `largest write-ahead log, ${opts.seconds} s of moves`,
          value: fmt.bytes(walMaxBytes),
          target: `< ${fmt.bytes(WAL_LIMIT_BYTES)}`,
          pass: walMaxBytes < WAL_LIMIT_BYTES,
          note: `${fmt.int(moves.moves)} moves, ${fmt.rate(moves.movesPerSecond)}`,
        },
        {
          figure: 'database growth',
          value: fmt.bytes(dbGrowthBytes),
          note: `${fmt.int(events)} events: ${fmt.int(dbGrowthBytes / Math.max(1, events))} bytes each; ${growthByTable
            .slice(0, 5)
            .map((t) => `${t.name} ${fmt.bytes(t.bytes)}`)
            .join(', ')}`,
        },
        {
          figure: 'free pages at the end',
          value: fmt.bytes(after.use.freeBytes),
          target: `< ${fmt.pct(FREE_SHARE)} of the growth`,
          pass: after.use.freeBytes <= FREE_SHARE * Math.max(dbGrowthBytes, 0) + 1024 * 1024,
        },
      ];
      return result;
    } finally {
      await server.stop();
    }
  } finally {
    await target.drop();
  }
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '30' },
      orders: { type: 'string', default: '10000' },
      clients: { type: 'string', default: '32' },
    },
  });
  const log = (m: string) => process.stderr.write(`[bench wal] ${m}\n`);
  const r = await runWalBench({
    seconds: Number(values.seconds),
    orders: Number(values.orders),
    clients: Number(values.clients),
    log,
  });
  console.log(
    `\nDisk under sustained moves (SQLite; load average ${r.loadAverage.start.map((x) => x.toFixed(2)).join(' ')} at start, ${r.loadAverage.end.map((x) => x.toFixed(2)).join(' ')} at end)`,
  );
  console.log(table(r.targets));
}
