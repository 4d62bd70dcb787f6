// Moving up: `floorboard copy --to postgres://...` carries every table of a SQLite workspace into an empty PostgreSQL
// database, where the audit chain verifies, the same tokens work and the API gives the same answers.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, floorboard, scratchPostgres, startServer } from '../support/cli.ts';

let dir: string;
let sqliteEnv: Record<string, string>;
let target: Awaited<ReturnType<typeof scratchPostgres>>;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'floorboard-copy-'));
  sqliteEnv = { DATABASE_URL: `sqlite:${join(dir, 'shop.db')}`, FLOORBOARD_BACKUP_KEEP: '0' };
  target = await scratchPostgres(`floorboard_copy_${process.pid}`);
  // The demo workspace: users, workflows, orders with weeks of history, alerts, notifications, report facts.
  const demo = await startServer(['--demo'], sqliteEnv);
  await demo.stop();
  const t = await floorboard(['token', 'create', '--email', 'manager@demo.floorboard.test', '--label', 'moving'], sqliteEnv);
  token = t.stdout.trim();
}, 180_000);
afterAll(async () => {
  await target?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** Every table the migrations made in the SQLite file (not the migrator's own, not full-text shadow tables), with its rows. */
function sqliteTables(): Map<string, number> {
  const db = new SQLite(join(dir, 'shop.db'), { readonly: true });
  try {
    const all = db
      .prepare(`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'`)
      .all() as Array<{
      name: string;
      sql: string;
    }>;
    const virtual = all.filter((t) => /create virtual table/i.test(t.sql)).map((t) => t.name);
    const counts = new Map<string, number>();
    for (const { name } of all) {
      if (name.startsWith('kysely_migration') || virtual.some((v) => name === v || name.startsWith(`${v}_`))) continue;
      counts.set(name, (db.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n);
    }
    return counts;
  } finally {
    db.close();
  }
}

async function postgresCounts(tables: string[]): Promise<Map<string, number | null>> {
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const counts = new Map<string, number | null>();
    for (const t of tables) {
      const exists = await client.query(
        'select 1 from information_schema.tables where table_schema = current_schema() and table_name = $1',
        [t],
      );
      counts.set(t, exists.rowCount ? Number((await client.query(`select count(*) as n from "${t}"`)).rows[0].n) : null);
    }
    return counts;
  } finally {
    await client.end();
  }
}

it('leaves the target empty when stopped halfway, so the copy can simply be run again', async () => {
  const child = spawn(process.execPath, [BIN, 'copy', '--to', target.url], { env: { ...process.env, ...sqliteEnv } });
  let err = '';
  await new Promise<void>((resolve) => {
    child.stderr.on('data', (d) => {
      err += d;
      // The first tables are in; the rest, the sequences and the commit are not.
      if (/rows/.test(err) && child.exitCode === null) child.kill('SIGKILL');
    });
    child.once('exit', () => resolve());
  });
  expect(err).toMatch(/: \d+ rows/);
  const counts = await postgresCounts(['users', 'orders', 'events', 'workflows']);
  expect([...counts.values()].every((n) => n === 0 || n === null)).toBe(true);
}, 120_000);

it('copies every table row for row; the chain verifies, tokens work and the API answers the same', async () => {
  const copied = await floorboard(['copy', '--to', target.url], sqliteEnv);
  expect(copied.code, copied.stderr).toBe(0);
  expect(copied.stdout).toMatch(/audit chain intact there \(\d+ events/);

  const source = sqliteTables();
  const there = await postgresCounts([...source.keys()]);
  const differing = [...source]
    .filter(([name, rows]) => there.get(name) !== rows)
    .map(([name, rows]) => `${name}: ${rows} -> ${there.get(name)}`);
  expect(differing).toEqual([]);
  expect([...source.values()].filter((n) => n > 0).length).toBeGreaterThan(10);
  expect(copied.stdout).toContain(`Copied ${source.size} tables`);

  const verify = await floorboard(['audit', 'verify'], { DATABASE_URL: target.url });
  expect(verify.code).toBe(0);

  // Both servers answer for one instant: forecasts and ages depend on "now", and the two start a while apart.
  const frozen = {
    NODE_OPTIONS: `--import ${fileURLToPath(new URL('../support/frozen-time.mjs', import.meta.url))}`,
    FLOORBOARD_TEST_FROZEN_MS: String(Date.now()),
  };
  const onSqlite = await startServer([], { ...sqliteEnv, ...frozen });
  const onPostgres = await startServer([], { DATABASE_URL: target.url, ...frozen });
  try {
    const get = async (base: string, path: string) => {
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: await res.json() };
    };
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 84 * 86_400_000).toISOString().slice(0, 10);
    const paths = [
      '/api/v1/auth/me',
      '/api/v1/board?workflow=custom-apparel',
      ...['throughput', 'lead-time', 'stage-times', 'flow', 'wip', 'on-time', 'rework'].map(
        (r) => `/api/v1/reports/${r}?workflow=custom-apparel&from=${from}&to=${to}`,
      ),
      '/api/v1/reports/customers?workflow=custom-apparel',
      '/api/v1/forecast/quote?workflow=custom-apparel',
      '/api/v1/forecast/capacity?workflow=custom-apparel',
      '/api/v1/orders?limit=50',
    ];
    for (const path of paths) {
      const [a, b] = await Promise.all([get(onSqlite.base, path), get(onPostgres.base, path)]);
      expect(a.status, path).toBe(200);
      expect(stable(b.body), path).toEqual(stable(a.body));
    }
    // Ids and counters go on after the copied ones: a new order gets the next number, its events the next sequence.
    const create = async (base: string) =>
      fetch(`${base}/api/v1/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          workflow: 'custom-apparel',
          title: 'After the move',
          customer: { name: 'Harbour FC' },
          fields: { garment: 'Cap', quantity: 12 },
        }),
      });
    const created = await create(onPostgres.base);
    expect(created.status, await created.clone().text()).toBe(201);
    const createdOnSqlite = await create(onSqlite.base);
    expect(((await created.json()) as { number: string }).number).toBe(
      ((await createdOnSqlite.json()) as { number: string }).number,
    );
  } finally {
    await onSqlite.stop();
    await onPostgres.stop();
  }
  expect((await floorboard(['audit', 'verify'], { DATABASE_URL: target.url })).code).toBe(0);

  const again = await floorboard(['copy', '--to', target.url], sqliteEnv);
  expect(again.code).toBe(2);
  expect(again.stderr).toContain('already holds a workspace');
}, 240_000);

/** The answer without what depends on the moment it was computed: as-of times and ages, a few milliseconds apart. */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !['asOf', 'generatedAt', 'now'].includes(k) && !/^age/.test(k))
        .map(([k, v]) => [k, stable(v)]),
    );
  }
  return value;
}
