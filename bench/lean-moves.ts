// `npm run bench -- --only moves`: what a move costs Floorboard against the least a server can spend on it. The
// real server and a minimal Fastify + better-sqlite3 server (minimal-server.ts, the same transaction shape) run
// side by side on copies of one seeded set of orders, and the same clients measure both in the same run:
// server CPU per move at 8 clients, p50 with 1 client, moves/s at 32 clients, and the size of a move's answer.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '../src/app/context.ts';
import { bringFactsUpToDate } from '../src/app/reports/insight.ts';
import { systemClock } from '../src/domain/clock.ts';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrations/index.ts';
import { sqliteDatabase } from './databases.ts';
import { type HttpMovesResult, runHttpMoves } from './http-moves.ts';
import { sqliteLimit } from './limit-sqlite.ts';
import { minimalTransactionCpu, prepareMinimalDb } from './minimal-server.ts';
import { formatProfile, summarizeProfile } from './profile.ts';
import { waitQuiet } from './quiet.ts';
import { fmt, type Row } from './report.ts';
import { moveBody, readSlots, type Slot, STAGE_KEYS, seedBench } from './seed.ts';
import { REPO_ROOT, type RunningServer, startServer } from './server.ts';

export const LEAN_TARGETS = {
  /** Floorboard's server CPU per move at most this many times the minimal server's, at 8 clients. */
  cpuPerMoveRatio: 3,
  /** p50 of a move with one client, ms. */
  p50OneClientMs: 1,
  /** Moves/s at 32 clients, as a share of the minimal server's. */
  throughputShare: 0.5,
};

export interface LeanSettings {
  orders: number;
  warmupSeconds: number;
  seconds: number;
  keep: boolean;
  /** Run Floorboard under node --cpu-prof and summarise its 8-client window. */
  profile: boolean;
  log: (line: string) => void;
}

type Phase = 'cpu' | 'latency' | 'throughput';
const PHASES: Array<{ phase: Phase; clients: number }> = [
  { phase: 'cpu', clients: 8 },
  { phase: 'latency', clients: 1 },
  { phase: 'throughput', clients: 32 },
];

interface Measured {
  clients: number;
  movesPerSecond: number;
  p50: number;
  p99: number;
  /** Server CPU per move (ms): process CPU time of the server child over the window, divided by the moves. */
  cpuMsPerMove: number | null;
  errors: number;
  errorsByStatus: Record<string, number>;
}

export interface LeanResult {
  floorboard: Record<Phase, Measured>;
  minimal: Record<Phase, Measured>;
  /** Bytes of a move's answer body, and of the order (GET /orders/{id}) without its stageHistory. */
  answerBytes: number;
  orderWithoutHistoryBytes: number;
  orderWithHistoryBytes: number;
  ratios: { cpuPerMove: number; throughputShare: number };
  /** CPU per move of each transaction alone on the driver (ms), and the floor it sets for the ratio. */
  transactions: { floorboard: number; minimal: number; floorRatio: number };
  profile?: string;
  rows: Row[];
}

function measured(r: HttpMovesResult): Measured {
  const errors = Object.values(r.errorsByStatus).reduce((a, b) => a + b, 0) + r.connectionErrors + r.lost;
  return {
    clients: r.connections,
    movesPerSecond: r.movesPerSecond,
    p50: r.latency.p50,
    p99: r.latency.p99,
    cpuMsPerMove: r.cpu?.server != null && r.moves > 0 ? (r.cpu.server * r.seconds * 1000) / r.moves : null,
    errors,
    errorsByStatus: { ...r.errorsByStatus, lost: r.lost, connection: r.connectionErrors },
  };
}

/** One move's answer and the order it moved, as a client sees them: their sizes in bytes. */
async function answerSizes(
  server: RunningServer,
  token: string,
  slot: Slot,
): Promise<{ answer: number; order: number; full: number; allowance: number }> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const res = await fetch(`${server.url}/api/v1/orders/${slot.id}/transitions`, {
    method: 'POST',
    headers,
    body: JSON.stringify(moveBody(slot)),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`the sample move answered ${res.status}: ${text}`);
  const moved = JSON.parse(text) as { stageHistory: unknown[]; historyUrl?: string };
  const full = await (await fetch(`${server.url}/api/v1/orders/${slot.id}`, { headers })).text();
  const { stageHistory: _history, ...rest } = JSON.parse(full) as Record<string, unknown>;
  // What the bounded answer may carry beyond the order without its history: the current stage's entry and the link.
  const allowance = Buffer.byteLength(
    JSON.stringify({ stageHistory: moved.stageHistory.slice(0, 1), historyUrl: moved.historyUrl }),
  );
  return {
    answer: Buffer.byteLength(text),
    order: Buffer.byteLength(JSON.stringify(rest)),
    full: Buffer.byteLength(full),
    allowance,
  };
}

export async function runLeanMoves(settings: LeanSettings): Promise<LeanResult> {
  const { log } = settings;
  const target = sqliteDatabase(settings.keep);
  const servers: RunningServer[] = [];
  try {
    log(`moves: seeding ${fmt.int(settings.orders)} open orders into ${target.description}`);
    const seedDb = openDb(target.url);
    let token: string;
    let actor: Actor;
    try {
      await migrate(seedDb);
      ({ token, actor } = await seedBench(seedDb, settings.orders));
    } finally {
      await seedDb.close();
    }
    const db = openDb(target.url);
    try {
      // A running server folds new events into the insight facts as it goes: fold the seeded history in first.
      await bringFactsUpToDate({ db, clock: systemClock });
      // Seeding left a long write-ahead log: copy it back now, or the server's checkpoints would bill the first phase.
      db.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
      const fbSlots = await readSlots(db);
      const minimalPath = join(target.workDir, 'minimal.db');
      prepareMinimalDb(
        minimalPath,
        fbSlots.map((s) => ({ id: s.id, stage: STAGE_KEYS[s.stage]!, version: s.version })),
      );
      const minimalSlots = fbSlots.map((s) => ({ ...s }));
      const profileDir = settings.profile ? join(target.workDir, 'profile') : undefined;
      const spawnedAt = performance.now();
      const floorboard = await startServer({
        databaseUrl: target.url,
        logFile: join(target.workDir, 'server.log'),
        cpuProfileDir: profileDir,
      });
      servers.push(floorboard);
      const minimal = await startServer({
        databaseUrl: '',
        logFile: join(target.workDir, 'minimal.log'),
        script: (port) => [
          join(REPO_ROOT, 'bin/run-ts.js'),
          join(REPO_ROOT, 'bench/minimal-server.ts'),
          minimalPath,
          String(port),
        ],
      });
      servers.push(minimal);
      const quiet = await waitQuiet(db);
      log(
        `moves: Floorboard (pid ${floorboard.pid}) and the minimal server (pid ${minimal.pid}) up; jobs settled in ${quiet.seconds.toFixed(1)} s`,
      );

      const results = { floorboard: {}, minimal: {} } as {
        floorboard: Record<Phase, Measured>;
        minimal: Record<Phase, Measured>;
      };
      let window = { from: 0, to: 0 };
      for (const { phase, clients } of PHASES) {
        for (const [name, server, slots] of [
          ['floorboard', floorboard, fbSlots],
          ['minimal', minimal, minimalSlots],
        ] as const) {
          const started = performance.now() - spawnedAt + settings.warmupSeconds * 1000;
          const r = await runHttpMoves({
            url: server.url,
            token,
            slots: slots.filter((s) => !s.dead),
            connections: clients,
            warmupSeconds: settings.warmupSeconds,
            seconds: settings.seconds,
            serverPid: server.pid,
          });
          const m = measured(r);
          if (name === 'floorboard' && phase === 'cpu') window = { from: started, to: started + settings.seconds * 1000 };
          results[name][phase] = m;
          log(
            `moves: ${name.padEnd(10)} ${String(clients).padStart(2)} clients: ${fmt.rate(m.movesPerSecond)}, p50 ${fmt.ms(m.p50)}, p99 ${fmt.ms(m.p99)}, ` +
              `server CPU ${m.cpuMsPerMove === null ? 'n/a' : `${m.cpuMsPerMove.toFixed(3)} ms`}/move, errors ${m.errors}`,
          );
          await server.settle();
        }
      }
      const sample = fbSlots.find((s) => !s.dead)!;
      const sizes = await answerSizes(floorboard, token, sample);

      // Where the floor is: each transaction alone on the driver, in this process, with the servers stopped.
      for (const server of servers) await server.stop();
      const ids = fbSlots.filter((s) => !s.dead).map((s) => s.id);
      log(`moves: each transaction alone on better-sqlite3, ${settings.seconds} s each`);
      const cpu0 = process.cpuUsage();
      const limit = sqliteLimit(target.sqlitePath!, ids, actor, settings.seconds);
      const cpu = process.cpuUsage(cpu0);
      const transactions = {
        floorboard: (cpu.user + cpu.system) / 1000 / limit.moves,
        minimal: minimalTransactionCpu(
          minimalPath,
          ids.map((id) => ({ id, stages: STAGE_KEYS })),
          settings.seconds,
        ).cpuMsPerMove,
      };
      log(
        `moves: transaction alone: Floorboard's ${transactions.floorboard.toFixed(3)} ms, the minimal one ${transactions.minimal.toFixed(3)} ms of CPU per move`,
      );
      const fb = results.floorboard;
      const mn = results.minimal;
      const cpuRatio =
        fb.cpu.cpuMsPerMove !== null && mn.cpu.cpuMsPerMove ? fb.cpu.cpuMsPerMove / mn.cpu.cpuMsPerMove : Number.NaN;
      const share = fb.throughput.movesPerSecond / mn.throughput.movesPerSecond;
      const errors = [...Object.values(fb), ...Object.values(mn)].reduce((a, m) => a + m.errors, 0);
      // The least Floorboard could spend: its own transaction, plus what HTTP and Fastify cost the minimal server.
      const httpShare = mn.cpu.cpuMsPerMove === null ? Number.NaN : mn.cpu.cpuMsPerMove - transactions.minimal;
      const floor = transactions.floorboard + httpShare;
      const cpuMs = (m: Measured) => (m.cpuMsPerMove === null ? 'n/a' : `${m.cpuMsPerMove.toFixed(3)} ms`);
      const rows: Row[] = [
        {
          figure: 'server CPU per move, 8 clients: Floorboard ÷ minimal',
          value: `${cpuRatio.toFixed(2)}×`,
          target: `<= ${LEAN_TARGETS.cpuPerMoveRatio}×`,
          pass: cpuRatio <= LEAN_TARGETS.cpuPerMoveRatio,
          note: `${cpuMs(fb.cpu)} vs ${cpuMs(mn.cpu)}`,
        },
        {
          figure: 'p50 of a move, 1 client',
          value: fmt.ms(fb.latency.p50),
          target: `< ${LEAN_TARGETS.p50OneClientMs} ms`,
          pass: fb.latency.p50 < LEAN_TARGETS.p50OneClientMs,
          note: `minimal ${fmt.ms(mn.latency.p50)}`,
        },
        {
          figure: 'moves/s, 32 clients: Floorboard ÷ minimal',
          value: fmt.pct(share),
          target: `>= ${fmt.pct(LEAN_TARGETS.throughputShare)}`,
          pass: share >= LEAN_TARGETS.throughputShare,
          note: `${fmt.rate(fb.throughput.movesPerSecond)} vs ${fmt.rate(mn.throughput.movesPerSecond)}`,
        },
        {
          figure: "a move's answer, bytes",
          value: fmt.int(sizes.answer),
          target: `<= ${fmt.int(sizes.order + sizes.allowance)}`,
          pass: sizes.answer <= sizes.order + sizes.allowance,
          note: `order without history ${fmt.int(sizes.order)} + current entry and link ${fmt.int(sizes.allowance)}; GET with full history ${fmt.int(sizes.full)}`,
        },
        { figure: 'errors (non-200, lost, connection)', value: fmt.int(errors), target: '0', pass: errors === 0 },
        {
          figure: "Floorboard's transaction alone (driver, no HTTP), CPU",
          value: `${transactions.floorboard.toFixed(3)} ms`,
          note: `the minimal transaction ${transactions.minimal.toFixed(3)} ms: ${(transactions.floorboard / transactions.minimal).toFixed(1)}×`,
        },
        {
          figure: "floor: that + the minimal server's HTTP share, ÷ minimal",
          value: `${(floor / (mn.cpu.cpuMsPerMove ?? Number.NaN)).toFixed(2)}×`,
          note: `${floor.toFixed(3)} ms; HTTP and Fastify ${httpShare.toFixed(3)} ms per move`,
        },
      ];
      let profile: string | undefined;
      if (profileDir) {
        const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
        if (file) {
          profile = formatProfile(
            `Floorboard, 8 clients (${join(profileDir, file)})`,
            summarizeProfile(join(profileDir, file), window.from, window.to),
          );
        }
      }
      return {
        ...(profile ? { profile } : {}),
        ...results,
        answerBytes: sizes.answer,
        orderWithoutHistoryBytes: sizes.order,
        orderWithHistoryBytes: sizes.full,
        ratios: { cpuPerMove: cpuRatio, throughputShare: share },
        transactions: { ...transactions, floorRatio: floor / (mn.cpu.cpuMsPerMove ?? Number.NaN) },
        rows,
      };
    } finally {
      for (const server of servers) await server.stop();
      await db.close();
    }
  } finally {
    await target.drop();
  }
}
