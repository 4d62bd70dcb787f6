// The real server as a child process (`node bin/floorboard.js serve`), production settings, logging at info to a
// file; and the CPU time it and the machine spend, read from /proc, so a run shows who was busy.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface RunningServer {
  url: string;
  pid: number;
  logFile: string;
  /** Waits until requests still in flight are answered: a quiet moment, then /healthz answers. */
  settle(): Promise<void>;
  /** SIGTERM (the server closes and exits), SIGKILL after 15 s. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  databaseUrl: string;
  logFile: string;
  /** Write a V8 CPU profile of the server into this directory (node --cpu-prof). */
  cpuProfileDir?: string | undefined;
  /** Another server to run instead of Floorboard: its script and arguments, given the port. */
  script?: ((port: number) => string[]) | undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: opts.databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    // The benchmark is one client writing as fast as it can: the per-user write limit would measure itself.
    WRITE_RATE_LIMIT: '0',
  };
  delete env.FLOORBOARD_ADMIN_EMAIL;
  delete env.FLOORBOARD_ADMIN_PASSWORD;
  const nodeArgs = opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : [];
  const log = openSync(opts.logFile, 'a');
  const script = opts.script ? opts.script(port) : [join(REPO_ROOT, 'bin/floorboard.js'), 'serve'];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...script], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let exited: number | string | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = code ?? signal ?? 'unknown';
      resolve();
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) {
      throw new Error(`the server exited (${exited}) before it was ready; its log: ${opts.logFile}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer /healthz within 60 s; its log: ${opts.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    logFile: opts.logFile,
    settle: async () => {
      await new Promise((r) => setTimeout(r, 500));
      const res = await fetch(`${url}/healthz`);
      if (!res.ok) throw new Error(`/healthz answered ${res.status} after the load`);
      await new Promise((r) => setTimeout(r, 200));
    },
    stop: async () => {
      if (exited !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc; null where there is no /proc. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100;
  } catch {
    return null;
  }
}

/** Busy and total CPU time of the whole machine so far (all cores), from /proc/stat; null where there is none. */
export function machineCpu(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: (total - idle) / 100, total: total / 100 };
  } catch {
    return null;
  }
}

export interface CpuWindow {
  /** Server process CPU, as a share of one core (1 = one core fully busy). */
  server: number | null;
  /** The benchmark process itself (load generator), as a share of one core. */
  bench: number;
  /** The whole machine, busy share of all cores (0..1). */
  machine: number | null;
}

/** Starts measuring CPU use; `end()` returns the shares over the window. */
export function cpuWindow(serverPid: number | null): { end(): CpuWindow } {
  const t0 = performance.now();
  const s0 = serverPid === null ? null : processCpuSeconds(serverPid);
  const b0 = process.cpuUsage();
  const m0 = machineCpu();
  return {
    end: () => {
      const seconds = (performance.now() - t0) / 1000;
      const s1 = serverPid === null ? null : processCpuSeconds(serverPid);
      const b = process.cpuUsage(b0);
      const m1 = machineCpu();
      return {
        server: s0 !== null && s1 !== null ? (s1 - s0) / seconds : null,
        bench: (b.user + b.system) / 1e6 / seconds,
        machine: m0 && m1 && m1.total > m0.total ? (m1.busy - m0.busy) / (m1.total - m0.total) : null,
      };
    },
  };
}
