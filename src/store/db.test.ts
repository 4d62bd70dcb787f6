// The database connection: SQLite's write-ahead log is copied back and kept to a bounded size.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
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

/** A second connection in a thread of its own that keeps reading, as a report or an export running beside the server would. */
function startReader(path: string): { stop: () => Promise<number> } {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const SQLite = require(workerData.driver);
     const db = new SQLite(workerData.path, { readonly: true });
     const count = db.prepare('select id, length(body) as bytes from notes order by id desc limit 50');
     let reads = 0, stop = false;
     parentPort.on('message', () => { stop = true; });
     (function loop() {
       if (stop) { db.close(); parentPort.postMessage(reads); return; }
       db.transaction(() => { count.all(); count.all(); })();
       reads++;
       setImmediate(loop);
     })();`,
    { eval: true, workerData: { path, driver: createRequire(import.meta.url).resolve('better-sqlite3') } },
  );
  return {
    stop: () =>
      new Promise((resolve) => {
        worker.once('message', (reads: number) => void worker.terminate().then(() => resolve(reads)));
        worker.postMessage('stop');
      }),
  };
}

describe('SQLite write-ahead log size', () => {
  it('stays near its limit under sustained writes with a reader beside them, and the database file takes the data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'floorboard-wal-'));
    dirs.push(dir);
    const path = join(dir, 'busy.db');
    const limit = 1024 * 1024;
    const db = openDb(`sqlite:${path}`, { backgroundCheckpoints: true, walLimitBytes: limit });
    await sql`create table notes (id integer primary key, body text)`.execute(db.kysely);
    const reader = startReader(path);
    let largest = 0;
    const row = 'x'.repeat(4000);
    // 32 MB in small transactions, the way a busy server commits its batches, the event loop free between them.
    for (let batch = 0; batch < 800; batch++) {
      await db.kysely.transaction().execute(async (trx) => {
        for (let i = 0; i < 10; i++) await sql`insert into notes (body) values (${row})`.execute(trx);
      });
      largest = Math.max(largest, statSync(`${path}-wal`).size);
      await new Promise((r) => setTimeout(r, 1));
    }
    const reads = await reader.stop();
    await db.close();
    expect(reads).toBeGreaterThan(100);
    // 32 MB went through a log that never held more than a few times its 1 MB limit...
    expect(largest).toBeLessThan(4 * limit);
    // ...and all of it is in the database file.
    expect(statSync(path).size).toBeGreaterThan(800 * 10 * 4000);
  });
});
