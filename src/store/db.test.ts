import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from './db.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function writeALot(path: string, background: boolean): Promise<number> {
  const db = openDb(`sqlite:${path}`, { backgroundCheckpoints: background });
  if (!background) db.sqlite!.pragma('wal_autocheckpoint = 0');
  await sql`create table notes (id integer primary key, body text)`.execute(db.kysely);
  const before = statSync(path).size;
  for (let i = 0; i < 200; i++) {
    await sql`insert into notes (body) values (${'x'.repeat(4000)})`.execute(db.kysely);
  }
  // Give the background thread two of its rounds.
  await new Promise((r) => setTimeout(r, 2500));
  const grown = statSync(path).size - before;
  await db.close();
  return grown;
}

describe('SQLite write-ahead log checkpoints', () => {
  it('are made by the background thread, so the database file takes the writes without any commit doing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'floorboard-wal-'));
    dirs.push(dir);
    // Without the thread (and with commits told not to checkpoint) the writes stay in the log...
    expect(await writeALot(join(dir, 'idle.db'), false)).toBe(0);
    // ...with it, they reach the database file within a second or two.
    expect(await writeALot(join(dir, 'served.db'), true)).toBeGreaterThan(200 * 4000);
  });
});
