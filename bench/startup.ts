// `npm run bench:startup`: how long an operator waits: `floorboard --help`, `token create`, and a server started on
// an existing database (10,000 orders) until /healthz answers. Wall and CPU time, the median of several runs each.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build, isCurrent } from '../scripts/build.mjs';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrations/index.ts';
import { waitQuiet } from './quiet.ts';
import { fmt, type Row, table } from './report.ts';
import { seedBench } from './seed.ts';
import { processCpuSeconds, REPO_ROOT, startServer } from './server.ts';

const TARGETS = { commandMs: 500, healthzMs: 2000 };
const BIN = join(REPO_ROOT, 'bin/floorboard.js');
const CPU_PRELOAD = join(REPO_ROOT, 'bench/cpu-on-exit.mjs');

export interface StartupResult {
  build: { ms: number } | null;
  help: Timing;
  tokenCreate: Timing;
  healthz: Timing;
  loadAverage: { start: number[]; end: number[] };
  targets: Row[];
}

interface Timing {
  wallMs: number;
  cpuMs: number | null;
  runs: number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function summarize(runs: Array<{ wall: number; cpu: number | null }>): Timing {
  const cpus = runs.map((r) => r.cpu).filter((c): c is number => c !== null);
  return {
    wallMs: median(runs.map((r) => r.wall)),
    cpuMs: cpus.length ? median(cpus) : null,
    runs: runs.map((r) => Math.round(r.wall)),
  };
}

/** Runs the command as a user would, timing it from spawn to exit; its own CPU time comes back on fd 3. */
function timeCommand(args: string[], env: NodeJS.ProcessEnv): Promise<{ wall: number; cpu: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [`--import=${CPU_PRELOAD}`, BIN, ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let cpu = '';
    let stderr = '';
    child.stdio[3]!.on('data', (d) => {
      cpu += d;
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    child.stdout!.resume();
    child.once('close', (code) => {
      const wall = performance.now() - started;
      if (code !== 0) reject(new Error(`floorboard ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ wall, cpu: cpu ? Number(cpu) : null });
    });
  });
}

export async function runStartupBench(opts: { runs: number; orders: number; log: (m: string) => void }): Promise<StartupResult> {
  const start = loadavg();
  let buildTiming: StartupResult['build'] = null;
  if (!isCurrent()) {
    const t = performance.now();
    await build();
    buildTiming = { ms: performance.now() - t };
    opts.log(`compiled dist/cli in ${fmt.ms(buildTiming.ms)} (once; every run below uses it)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'floorboard-startup-'));
  try {
    const url = `sqlite:${join(dir, 'floorboard.db')}`;
    opts.log(`seeding ${fmt.int(opts.orders)} open orders`);
    const db = openDb(url);
    let email: string;
    try {
      await migrate(db);
      await seedBench(db, opts.orders);
      email = 'bench-manager@bench.floorboard.test';
    } finally {
      await db.close();
    }
    // An existing database is one a server has run on: a first start works off the seeded outbox, which is not start-up.
    opts.log('a first start works off what seeding left for the jobs');
    const first = await startServer({ databaseUrl: url, logFile: join(dir, 'server.log') });
    const watch = openDb(url);
    try {
      await waitQuiet(watch);
    } finally {
      await watch.close();
      await first.stop();
    }
    const env = { ...process.env, DATABASE_URL: url };
    const help: Array<{ wall: number; cpu: number | null }> = [];
    const token: Array<{ wall: number; cpu: number | null }> = [];
    const healthz: Array<{ wall: number; cpu: number | null }> = [];
    for (let i = 0; i < opts.runs; i++) {
      help.push(await timeCommand(['--help'], env));
      token.push(await timeCommand(['token', 'create', '--email', email, '--label', `startup ${i}`], env));
      const started = performance.now();
      const server = await startServer({ databaseUrl: url, logFile: join(dir, 'server.log') });
      const wall = performance.now() - started;
      const cpu = processCpuSeconds(server.pid);
      await server.stop();
      healthz.push({ wall, cpu: cpu === null ? null : cpu * 1000 });
      opts.log(
        `run ${i + 1}/${opts.runs}: --help ${fmt.ms(help.at(-1)!.wall)}, token create ${fmt.ms(token.at(-1)!.wall)}, /healthz ${fmt.ms(wall)}`,
      );
    }
    const result: StartupResult = {
      build: buildTiming,
      help: summarize(help),
      tokenCreate: summarize(token),
      healthz: summarize(healthz),
      loadAverage: { start, end: loadavg() },
      targets: [],
    };
    const row = (figure: string, t: Timing, target: number): Row => ({
      figure,
      value: fmt.ms(t.wallMs),
      target: `< ${target} ms`,
      pass: t.wallMs < target,
      note: `CPU ${t.cpuMs === null ? 'n/a' : fmt.ms(t.cpuMs)}; runs ${t.runs.join(', ')} ms`,
    });
    result.targets = [
      row('floorboard --help', result.help, TARGETS.commandMs),
      row('floorboard token create', result.tokenCreate, TARGETS.commandMs),
      row(`serve -> /healthz (${fmt.int(opts.orders)} orders)`, result.healthz, TARGETS.healthzMs),
    ];
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '5' }, orders: { type: 'string', default: '10000' } },
  });
  const log = (m: string) => process.stderr.write(`[bench startup] ${m}\n`);
  const r = await runStartupBench({ runs: Number(values.runs), orders: Number(values.orders), log });
  console.log(
    `\nStart-up (median of ${values.runs}; load average ${r.loadAverage.start.map((x) => x.toFixed(2)).join(' ')} at start, ${r.loadAverage.end.map((x) => x.toFixed(2)).join(' ')} at end)`,
  );
  console.log(table(r.targets));
}
