// One Kysely instance over SQLite (better-sqlite3, the embedded default) or PostgreSQL (pg), from DATABASE_URL.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect } from 'kysely';
import type pg from 'pg';
import type { Database } from './schema.ts';
import { keepWalBounded } from './wal.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** Where it points, without credentials: safe to log. */
  description: string;
  /** The raw SQLite handle, when the dialect is SQLite (for the benchmark's limit measurement). */
  sqlite?: SQLite.Database;
  /** The raw pool, when the dialect is PostgreSQL (LISTEN/NOTIFY, advisory locks). */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/floorboard.db';

export interface OpenOptions {
  /** PostgreSQL schema to work in (tests give each run its own). */
  schema?: string;
  poolSize?: number;
  /**
   * SQLite file: checkpoint the write-ahead log from a background thread instead of inside
   * whichever commit crosses the threshold (a long-running server wants this; a CLI command does not).
   */
  backgroundCheckpoints?: boolean;
  /** SQLite file with background checkpoints: restart the log once it is larger than this (bytes). */
  walLimitBytes?: number;
  /** SQLite file: open an existing file read-only, leaving its journal mode as it is (checking a backup). */
  readonly?: boolean;
}

export class DatabaseUrlError extends Error {}

/** Opens the database a URL names: `sqlite:<path>`, `sqlite::memory:` or `postgres://...`. */
export function openDb(url: string = DEFAULT_DATABASE_URL, opts: OpenOptions = {}): Db {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length), opts);
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, opts);
  throw new DatabaseUrlError(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:...")`);
}

function openSqlite(path: string, opts: OpenOptions): Db {
  const memory = path === ':memory:' || path === '';
  if (opts.readonly) {
    const sqlite = new SQLite(path, { readonly: true, fileMustExist: true });
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { kysely, dialect: 'sqlite', description: `sqlite:${path} (read-only)`, sqlite, close: () => kysely.destroy() };
  }
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(memory ? ':memory:' : path);
  sqlite.pragma('journal_mode = WAL');
  // WAL with synchronous=NORMAL survives a process crash with every committed transaction intact.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Once the log has been copied back and starts over, keep at most this much of its file.
  sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const checkpointer = !memory && opts.backgroundCheckpoints ? keepWalBounded(sqlite, path, opts.walLimitBytes) : null;
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite, checkpointer?.committing) }),
  });
  return {
    kysely,
    dialect: 'sqlite',
    description: memory ? 'sqlite (in memory)' : `sqlite:${path}`,
    sqlite,
    close: async () => {
      await checkpointer?.stop();
      await kysely.destroy();
    },
  };
}

/** How many distinct SQL texts keep a prepared statement; queries repeat, so a few hundred cover them. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query afresh; preparing costs as much as running a small statement.
 * The same SQL text gets the same prepared statement back (statements run synchronously and
 * are never iterated concurrently here, so sharing one is safe).
 */
function withStatementCache(sqlite: SQLite.Database, committing?: () => void): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      // Kysely commits its transactions with this statement: the log keeper looks at the log right after it.
      if (sql === 'commit') committing?.();
      let stmt = cache.get(sql);
      if (stmt) {
        // Refresh its place: the least recently used statement is dropped first.
        cache.delete(sql);
      } else {
        stmt = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
    close: () => sqlite.close(),
  };
}

let pgModule: typeof pg | undefined;

/** The PostgreSQL driver, loaded the first time a postgres:// URL is opened (a SQLite shop never pays for it). */
function loadPg(): typeof pg {
  if (!pgModule) {
    pgModule = createRequire(import.meta.url)('pg') as typeof pg;
    // PostgreSQL returns int8 (count(*), sums) as strings; Floorboard's counts fit in a double.
    pgModule.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  }
  return pgModule;
}

function openPostgres(url: string, opts: OpenOptions): Db {
  const pg = loadPg();
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 16,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const u = new URL(url);
  return {
    kysely,
    dialect: 'postgres',
    description: `postgres://${u.host}${u.pathname}${opts.schema ? ` (schema ${opts.schema})` : ''}`,
    pool,
    close: () => kysely.destroy(),
  };
}

/** True when a write failed on a unique or primary-key constraint, in either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
