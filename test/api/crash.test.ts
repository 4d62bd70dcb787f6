// A server killed (SIGKILL) in the middle of a burst of moves loses nothing it acknowledged: after a restart every
// acknowledged move is in the database and its webhook is delivered; nothing is delivered that did not happen.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_APPAREL } from '../../src/demo/custom-apparel.ts';
import { eventually, Receiver } from '../support/automation.ts';
import { newOrder, testDbKind } from '../support/harness.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/floorboard.js');
const kind = testDbKind();

let databaseUrl = '';
let cleanup: () => Promise<void> = async () => {};
const receiver = new Receiver();

beforeAll(async () => {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'floorboard-crash-'));
    databaseUrl = `sqlite:${join(dir, 'floorboard.db')}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const admin = new URL(process.env.TEST_POSTGRES_URL!);
    const name = `fb_crash_${randomBytes(5).toString('hex')}`;
    const target = new URL(admin.toString());
    target.pathname = `/${name}`;
    databaseUrl = target.toString();
    const query = async (sqlText: string) => {
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(sqlText).finally(() => c.end());
    };
    await query(`create database ${name}`);
    cleanup = () => query(`drop database if exists ${name} with (force)`);
  }
  await receiver.up();
});
afterAll(async () => {
  await receiver.down();
  await cleanup();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const env = () => ({
  ...process.env,
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: 'warn',
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_TIMEOUT_MS: '2000',
});

async function cli(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, ...args], { env: env(), timeout: 60_000 });
  return stdout.trim();
}

async function startServer(): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...env(), PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { child, base };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${output}`);
}

describe('a server killed mid-burst', () => {
  it('keeps every acknowledged move and delivers its webhook after a restart', async () => {
    await cli(['migrate']);
    await cli([
      'user',
      'create',
      '--email',
      'boss@crash.test',
      '--name',
      'Boss',
      '--role',
      'admin',
      '--password',
      'correct horse battery',
    ]);
    const token = await cli(['token', 'create', '--email', 'boss@crash.test']);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    let server = await startServer();
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.base}/api/v1${path}`, {
        method,
        headers,
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect((await call('POST', '/workflows', CUSTOM_APPAREL)).status).toBe(201);
    const hook = await call('POST', '/webhooks', { url: receiver.url, eventTypes: ['order.stage_changed'] });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const numbers: string[] = [];
    for (let i = 0; i < 6; i++)
      numbers.push(String((await call('POST', '/orders', newOrder({ title: `Burst ${i}` }))).body.number));

    // Three movers push their orders forward and back as fast as the server answers; the server dies under them.
    const acknowledged: Array<{ number: string; version: number; to: string }> = [];
    let killed = false;
    const mover = async (mine: string[]) => {
      for (let step = 0; !killed; step++) {
        for (const number of mine) {
          const to = step % 2 === 0 ? 'proof_approval' : 'received';
          try {
            const res = await call('POST', `/orders/${number}/transitions`, {
              to,
              ...(to === 'received' ? { reason: 'Rework' } : {}),
            });
            if (res.status === 200) acknowledged.push({ number, version: Number(res.body.version), to });
          } catch {
            return; // the server is gone
          }
          if (acknowledged.length >= 45 && !killed) {
            killed = true;
            server.child.kill('SIGKILL');
          }
        }
      }
    };
    await Promise.all([mover(numbers.slice(0, 2)), mover(numbers.slice(2, 4)), mover(numbers.slice(4, 6))]);
    await new Promise<void>((resolve) =>
      server.child.exitCode !== null || server.child.signalCode ? resolve() : server.child.once('exit', () => resolve()),
    );
    expect(server.child.signalCode).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(45);

    server = await startServer();
    try {
      // Every acknowledged move is in the history.
      const recorded = new Map<string, Set<number>>();
      for (const number of numbers) {
        const events = (await call('GET', `/orders/${number}/events`)).body.items as Array<{
          type: string;
          orderVersion: number;
          data: { to: string };
        }>;
        recorded.set(number, new Set(events.filter((e) => e.type === 'order.stage_changed').map((e) => e.orderVersion)));
      }
      for (const ack of acknowledged)
        expect(recorded.get(ack.number)?.has(ack.version), `${ack.number} v${ack.version}`).toBe(true);

      // Every acknowledged move's webhook arrives; and every delivery is of a move that happened.
      const delivered = () =>
        new Set(
          receiver.accepted().map((r) => {
            const order = r.json.data.order as { number: string; version: number };
            return `${order.number} v${order.version}`;
          }),
        );
      await eventually(
        () => acknowledged.every((a) => delivered().has(`${a.number} v${a.version}`)),
        'every acknowledged move to be delivered',
        30_000,
      );
      for (const d of delivered()) {
        const [number, v] = d.split(' v');
        expect(recorded.get(number!)?.has(Number(v)), d).toBe(true);
      }
    } finally {
      server.child.kill('SIGTERM');
      await new Promise<void>((resolve) =>
        server.child.exitCode !== null ? resolve() : server.child.once('exit', () => resolve()),
      );
    }
  }, 120_000);
});
