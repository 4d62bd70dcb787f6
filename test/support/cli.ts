// Running the floorboard command as an operator does: the built CLI in a child process, and a server to talk to.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
export const BIN = join(import.meta.dirname, '../../bin/floorboard.js');

export async function floorboard(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningServer {
  child: ChildProcess;
  base: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startServer(args: string[], env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
  });
  let output = '';
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const base = `http://127.0.0.1:${port}`;
  // Seeding the demo before listening takes a minute on PostgreSQL on a busy 2-core machine.
  for (let i = 0; i < 1800; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { child, base, output: () => output, stop };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`server did not start: ${output}`);
}

/** A PostgreSQL database of its own for a test file, dropped afterwards. */
export async function scratchPostgres(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const u = new URL(process.env.TEST_POSTGRES_URL!);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/** A workspace to work in: a workflow, a manager and the manager's API token. */
export async function seedWorkspace(env: Record<string, string>, dir: string): Promise<string> {
  const { writeFileSync } = await import('node:fs');
  const definition = join(dir, `signs-${Date.now()}.json`);
  writeFileSync(
    definition,
    JSON.stringify({
      key: 'signs',
      name: 'Printed signs',
      orderPrefix: 'SGN',
      stages: [
        { key: 'artwork', label: 'Awaiting artwork', ownerRole: 'sales', nextAction: 'Get print-ready artwork' },
        { key: 'printing', label: 'Printing', ownerRole: 'production', nextAction: 'Print and laminate' },
        { key: 'collected', label: 'Collected', ownerRole: 'fulfillment', nextAction: 'Nothing left to do' },
      ],
    }),
  );
  for (const args of [
    ['workflow', 'create', '--file', definition],
    ['user', 'create', '--email', 'mo@shop.test', '--name', 'Mo', '--role', 'manager', '--password', 'long enough'],
  ]) {
    const r = await floorboard(args, env);
    if (r.code !== 0) throw new Error(`floorboard ${args.join(' ')}: ${r.stderr}`);
  }
  const token = await floorboard(['token', 'create', '--email', 'mo@shop.test'], env);
  if (token.code !== 0) throw new Error(token.stderr);
  return token.stdout.trim();
}
