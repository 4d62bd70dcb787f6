// Backups as an operator takes them: while the server writes, verified, restored only into an empty database, on a
// schedule with a retention count; and on PostgreSQL through pg_dump and pg_restore.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floorboard, type RunningServer, scratchPostgres, seedWorkspace, startServer } from '../support/cli.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'floorboard-backup-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const eventCount = (file: string) => {
  const db = new SQLite(file, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from events').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** Creates orders through the API, one after another, until told to stop; returns how many were acknowledged. */
function keepWriting(server: RunningServer, token: string): { stop: () => Promise<number> } {
  let stopping = false;
  let created = 0;
  const loop = (async () => {
    while (!stopping) {
      const res = await fetch(`${server.base}/api/v1/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ workflow: 'signs', title: `Sign ${created}`, customer: { name: 'Copper Kettle Café' } }),
      });
      if (res.status !== 201) throw new Error(`order refused: ${res.status} ${await res.text()}`);
      created++;
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
      return created;
    },
  };
}

describe('on SQLite', () => {
  it('backs up while the server writes, and the copy restores into an empty database whose audit chain verifies', async () => {
    const live = join(dir, 'live.db');
    const env = { DATABASE_URL: `sqlite:${live}`, FLOORBOARD_BACKUP_KEEP: '0' };
    const token = await seedWorkspace(env, dir);
    const server = await startServer([], env);
    let acknowledged: number;
    const backup = join(dir, 'copy.db');
    try {
      const writer = keepWriting(server, token);
      await new Promise((r) => setTimeout(r, 500));
      const taken = await floorboard(['backup', backup], env);
      await new Promise((r) => setTimeout(r, 300));
      acknowledged = await writer.stop();
      expect(taken.code, taken.stderr).toBe(0);
      expect(taken.stdout).toMatch(/verified: integrity ok, audit chain intact \(\d+ events/);
    } finally {
      await server.stop();
    }
    // Orders kept coming after the copy was taken: it holds a consistent moment between the first and the last.
    const copied = eventCount(backup);
    expect(copied).toBeGreaterThan(3);
    expect(copied).toBeLessThan(eventCount(live));
    expect(acknowledged).toBeGreaterThan(0);

    const restoredEnv = { DATABASE_URL: `sqlite:${join(dir, 'restored.db')}` };
    const restored = await floorboard(['restore', backup], restoredEnv);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`audit chain intact (${copied} events`);
    const verify = await floorboard(['audit', 'verify'], restoredEnv);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`${copied} events`);
    // The same token signs in to the restored workspace.
    const again = await startServer([], { ...restoredEnv, FLOORBOARD_BACKUP_KEEP: '0' });
    try {
      const me = await fetch(`${again.base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
    } finally {
      await again.stop();
    }
  }, 180_000);

  it('refuses to restore over a workspace, and changes nothing there', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'busy.db')}` };
    await seedWorkspace(env, dir);
    const other = join(dir, 'other-backup.db');
    expect((await floorboard(['backup', other], env)).code).toBe(0);
    const before = eventCount(join(dir, 'busy.db'));
    const refused = await floorboard(['restore', other], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already holds a workspace');
    expect(eventCount(join(dir, 'busy.db'))).toBe(before);
    // Nor is a file that is no backup at all taken for one.
    const bogus = await floorboard(['restore', join(import.meta.dirname, 'backup.test.ts')], {
      DATABASE_URL: `sqlite:${join(dir, 'x.db')}`,
    });
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain('is not a SQLite backup');
    // An existing backup is never overwritten.
    const twice = await floorboard(['backup', other], env);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('already exists');
  }, 120_000);

  it('takes scheduled backups, verifies each and keeps the newest few', async () => {
    const backups = join(dir, 'scheduled');
    const env = {
      DATABASE_URL: `sqlite:${join(dir, 'scheduled.db')}`,
      FLOORBOARD_BACKUP_DIR: backups,
      FLOORBOARD_BACKUP_KEEP: '2',
      // Every 1.8 s instead of every day.
      FLOORBOARD_BACKUP_EVERY_HOURS: '0.0005',
      LOG_LEVEL: 'info',
    };
    await seedWorkspace(env, dir);
    const server = await startServer([], env);
    try {
      for (let i = 0; i < 300 && (server.output().match(/backup written and verified/g) ?? []).length < 4; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await server.stop();
    }
    expect((server.output().match(/backup written and verified/g) ?? []).length).toBeGreaterThanOrEqual(4);
    const kept = readdirSync(backups).sort();
    expect(kept).toHaveLength(2);
    for (const file of kept) expect(file).toMatch(/^floorboard-.*Z\.db$/);
    const restored = await floorboard(['restore', join(backups, kept[1]!)], {
      DATABASE_URL: `sqlite:${join(dir, 'from-scheduled.db')}`,
    });
    expect(restored.code, restored.stderr).toBe(0);
  }, 120_000);
});

describe('on PostgreSQL', () => {
  let source: Awaited<ReturnType<typeof scratchPostgres>>;
  let target: Awaited<ReturnType<typeof scratchPostgres>>;
  beforeAll(async () => {
    source = await scratchPostgres(`floorboard_backup_src_${process.pid}`);
    target = await scratchPostgres(`floorboard_backup_dst_${process.pid}`);
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it('backs up with pg_dump and restores with pg_restore into an empty database only', async () => {
    const env = { DATABASE_URL: source.url };
    const token = await seedWorkspace(env, dir);
    const file = join(dir, 'pg.dump');
    const taken = await floorboard(['backup', file], env);
    expect(taken.code, taken.stderr).toBe(0);
    expect(taken.stdout).toContain('pg_dump');
    const refused = await floorboard(['restore', file], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not empty');
    const restored = await floorboard(['restore', file], { DATABASE_URL: target.url });
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('audit chain intact');
    const server = await startServer([], { DATABASE_URL: target.url });
    try {
      const me = await fetch(`${server.base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
    } finally {
      await server.stop();
    }
  }, 180_000);
});
