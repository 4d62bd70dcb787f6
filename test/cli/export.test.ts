// `floorboard export`: orders and events from the command line, everything or only what one user may see.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/app/context.ts';
import { createUser } from '../../src/app/manage-access.ts';
import { createWorkflow } from '../../src/app/manage-workflows.ts';
import { apparelHistory } from '../../src/demo/apparel-history.ts';
import { CUSTOM_APPAREL } from '../../src/demo/custom-apparel.ts';
import { HISTORY_ACTOR, planHistory } from '../../src/demo/history.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { insertHistory } from '../../src/store/bulk-history.ts';
import { openDb } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrations/index.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/floorboard.js');
let dir: string;
let env: Record<string, string>;

async function floorboard(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      timeout: 60_000,
      maxBuffer: 1 << 26,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'floorboard-export-'));
  env = { DATABASE_URL: `sqlite:${join(dir, 'fb.db')}` };
  const db = openDb(env.DATABASE_URL!);
  await migrate(db);
  const app = { db, clock: systemClock };
  await createWorkflow(app, SYSTEM_ACTOR, CUSTOM_APPAREL);
  await createUser(app, SYSTEM_ACTOR, {
    email: 'press@example.test',
    name: 'Press',
    role: 'production',
    password: 'long enough password',
  });
  const now = Date.now();
  await insertHistory(
    db,
    planHistory(apparelHistory({ ordersPerWorkingDay: 5, seed: 3 }), now - 30 * 86_400_000, now),
    now,
    HISTORY_ACTOR,
  );
  await db.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('floorboard export', () => {
  it('writes every order as CSV to stdout, money fields included', async () => {
    const res = await floorboard(['export', 'orders']);
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^id,number,workflow,title,/);
    expect(lines[0]).toContain('field.unit_price');
    expect(lines.length).toBeGreaterThan(50);
  });

  it('leaves out what the --as user may not see, and writes JSON to a file', async () => {
    const out = join(dir, 'orders.json');
    const res = await floorboard(['export', 'orders', '--format', 'json', '--as', 'press@example.test', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    const orders = JSON.parse(readFileSync(out, 'utf8')) as Array<{ fields: Record<string, unknown> }>;
    expect(orders.length).toBeGreaterThan(50);
    expect(orders.every((o) => !('unit_price' in o.fields) && 'garment' in o.fields)).toBe(true);
  });

  it('exports events in chain order', async () => {
    const res = await floorboard(['export', 'events', '--format', 'json']);
    expect(res.code, res.stderr).toBe(0);
    const events = JSON.parse(res.stdout) as Array<{ seq: number }>;
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });

  it('refuses what it does not know', async () => {
    expect((await floorboard(['export', 'things'])).code).not.toBe(0);
    expect((await floorboard(['export', 'orders', '--from', '2026-02-30'])).code).not.toBe(0);
    const nobody = await floorboard(['export', 'orders', '--as', 'nobody@example.test']);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain('No active user');
  });
});
