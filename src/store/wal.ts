// Keeps SQLite's write-ahead log small: a background thread copies it back into the database file, and the
// server's own connection starts it over from the beginning, between two transactions, once it outgrows its limit.
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** The log is started over once it is larger than this; the default keeps it far below 64 MB. */
export const DEFAULT_WAL_LIMIT_BYTES = 16 * 1024 * 1024;
/** How often the background thread copies the log back (ms). */
const CHECKPOINT_INTERVAL_MS = 1000;
/** How often the server's connection looks at the log's size besides after commits (ms): a stat, microseconds. */
const SIZE_CHECK_MS = 100;
/** How long a restart may wait for a reader to finish its snapshot; it blocks the event loop meanwhile. */
const RESTART_WAIT_MS = 20;

export interface WalKeeper {
  /** A transaction is committing: look at the log's size right after it, before the next one begins. */
  committing(): void;
  stop(): Promise<void>;
}

/**
 * A copy-back (PASSIVE checkpoint) alone never shrinks the log while writes continue: it copies what is there,
 * but the log only starts over when a transaction begins with all of it copied and no reader still in it, a
 * moment that never comes under a steady stream of commits. So the connection that does all the writing, at a
 * moment it is in no transaction, runs a RESTART checkpoint: it copies the rest (little, the thread did most),
 * waits briefly for readers, and makes the next commit write from the start of the file, which
 * `journal_size_limit` then truncates to the limit. Busy (a reader held on), it tries again at the next check.
 */
export function keepWalBounded(sqlite: SQLite.Database, path: string, limitBytes = DEFAULT_WAL_LIMIT_BYTES): WalKeeper {
  // The server's own connection never checkpoints inside a commit; the worker does, with a connection of its own.
  sqlite.pragma('wal_autocheckpoint = 0');
  sqlite.pragma(`journal_size_limit = ${limitBytes}`);
  const worker = new Worker(new URL('./wal-checkpointer.js', import.meta.url), {
    workerData: { path, intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  worker.unref();
  worker.on('message', (m: unknown) => {
    if (m && typeof m === 'object' && 'error' in m) process.emitWarning(`SQLite checkpoint failed: ${String(m.error)}`);
  });

  const walPath = `${path}-wal`;
  const restartIfLarge = () => {
    if (!sqlite.open || sqlite.inTransaction) return;
    let size: number;
    try {
      size = statSync(walPath).size;
    } catch {
      return;
    }
    if (size <= limitBytes) return;
    const busyTimeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
    sqlite.pragma(`busy_timeout = ${RESTART_WAIT_MS}`);
    try {
      sqlite.pragma('wal_checkpoint(RESTART)');
    } catch (err) {
      process.emitWarning(`SQLite log restart failed: ${String(err)}`);
    } finally {
      sqlite.pragma(`busy_timeout = ${busyTimeout}`);
    }
  };
  // After commits (the writes that grow the log), and on a timer for statements that commit on their own.
  const timer = setInterval(restartIfLarge, SIZE_CHECK_MS);
  timer.unref();
  let checkQueued = false;

  return {
    committing: () => {
      if (checkQueued) return;
      checkQueued = true;
      setImmediate(() => {
        checkQueued = false;
        restartIfLarge();
      });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        worker.once('message', () => void worker.terminate().then(() => resolve()));
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      }),
  };
}
