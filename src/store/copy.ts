// Copying every table of a SQLite workspace into another database, whatever tables the migrations have made:
// table and column names come from SQLite's catalogue, the order from its foreign keys.

import type SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { Db } from './db.ts';

/** The migrator's own bookkeeping: each database keeps its own. */
const NOT_COPIED = new Set(['kysely_migration', 'kysely_migration_lock']);
const PAGE_ROWS = 2000;
const PAGE_BYTES = 16 * 1024 * 1024;
/** PostgreSQL takes at most 65,535 parameters per statement. */
const MAX_PARAMETERS = 30_000;

export interface SourceTable {
  name: string;
  columns: string[];
  /** Tables this one's foreign keys point at. */
  parents: string[];
}

/**
 * The tables of a SQLite file to copy, parents before children. Virtual tables (full-text indexes) and their shadow
 * tables are left out: they are SQLite's own way of indexing, rebuilt from the tables they index.
 */
export function sourceTables(sqlite: SQLite.Database): SourceTable[] {
  const all = sqlite
    .prepare(`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`)
    .all() as Array<{ name: string; sql: string | null }>;
  const virtual = all.filter((t) => /^create\s+virtual\s+table/i.test(t.sql ?? '')).map((t) => t.name);
  const tables = all
    .map((t) => t.name)
    .filter((name) => !NOT_COPIED.has(name) && !virtual.some((v) => name === v || name.startsWith(`${v}_`)))
    .map((name) => ({
      name,
      columns: (sqlite.pragma(`table_info("${name}")`) as Array<{ name: string }>).map((c) => c.name),
      parents: [
        ...new Set((sqlite.pragma(`foreign_key_list("${name}")`) as Array<{ table: string }>).map((f) => f.table)),
      ].filter((p) => p !== name),
    }));
  return parentsFirst(tables);
}

function parentsFirst(tables: SourceTable[]): SourceTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const ordered: SourceTable[] = [];
  const visit = (t: SourceTable, path: Set<string>) => {
    if (done.has(t.name) || path.has(t.name)) return;
    path.add(t.name);
    for (const p of t.parents) {
      const parent = byName.get(p);
      if (parent) visit(parent, path);
    }
    done.add(t.name);
    ordered.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return ordered;
}

/** A table's rows in pages, in the order they were written (rowid), the quotes doubled in names. */
export function* tableRows(sqlite: SQLite.Database, table: SourceTable): Generator<Record<string, unknown>[]> {
  const cols = table.columns.map((c) => `"${c}"`).join(', ');
  let byRowid: SQLite.Statement;
  try {
    byRowid = sqlite.prepare(`select rowid as "__rowid", ${cols} from "${table.name}" where rowid > ? order by rowid limit ?`);
  } catch {
    // A WITHOUT ROWID table: small lookup tables; all at once.
    yield sqlite.prepare(`select ${cols} from "${table.name}"`).all() as Record<string, unknown>[];
    return;
  }
  let after = -Infinity;
  for (;;) {
    // A page ends at PAGE_ROWS rows or PAGE_BYTES of values, whichever comes first: a table of attached files holds
    // megabytes a row, and 2,000 of them would not fit in memory.
    const rows: Record<string, unknown>[] = [];
    let bytes = 0;
    for (const { __rowid, ...row } of byRowid.iterate(after, PAGE_ROWS) as Iterable<
      Record<string, unknown> & { __rowid: number }
    >) {
      rows.push(row);
      after = __rowid;
      bytes += rowBytes(row);
      if (bytes >= PAGE_BYTES) break;
    }
    if (!rows.length) return;
    yield rows;
  }
}

function rowBytes(row: Record<string, unknown>): number {
  let n = 0;
  for (const v of Object.values(row)) {
    if (typeof v === 'string') n += v.length;
    else if (v instanceof Uint8Array) n += v.byteLength;
    else n += 8;
  }
  return n;
}

/** The tables and columns the target has (its migrations ran first). */
export async function targetColumns(db: Kysely<unknown>, dialect: Db['dialect']): Promise<Map<string, Set<string>>> {
  const rows =
    dialect === 'postgres'
      ? (
          await sql<{ table: string; column: string }>`select table_name as "table", column_name as "column"
            from information_schema.columns where table_schema = current_schema()`.execute(db)
        ).rows
      : (
          await sql<{ table: string; column: string }>`select m.name as "table", p.name as "column"
            from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table'`.execute(db)
        ).rows;
  const tables = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!tables.has(r.table)) tables.set(r.table, new Set());
    tables.get(r.table)!.add(r.column);
  }
  return tables;
}

export async function clearTable(db: Kysely<unknown>, table: string): Promise<void> {
  await sql`delete from ${sql.table(table)}`.execute(db);
}

export async function insertRows(db: Kysely<unknown>, table: SourceTable, rows: Record<string, unknown>[]): Promise<void> {
  const per = Math.max(1, Math.floor(MAX_PARAMETERS / table.columns.length));
  for (let i = 0; i < rows.length; i += per) {
    // biome-ignore lint/suspicious/noExplicitAny: the table is known only at run time
    await (db as Kysely<any>)
      .insertInto(table.name)
      .values(rows.slice(i, i + per))
      .execute();
  }
}

export async function rowCount(db: Kysely<unknown>, table: string): Promise<number> {
  const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(r.rows[0]!.n);
}

/** PostgreSQL: every serial column's sequence continues after the largest id copied. */
export async function continueSequences(db: Kysely<unknown>): Promise<void> {
  const serials = (
    await sql<{ table: string; column: string }>`select table_name as "table", column_name as "column"
      from information_schema.columns where table_schema = current_schema() and column_default like 'nextval(%'`.execute(db)
  ).rows;
  for (const s of serials) {
    await sql`select setval(pg_get_serial_sequence(${s.table}, ${s.column}),
      coalesce((select max(${sql.ref(s.column)}) from ${sql.table(s.table)}), 0) + 1, false)`.execute(db);
  }
}

/** Holds off a second copy into the same database until this one has committed or rolled back. */
export async function lockForCopy(db: Kysely<unknown>, dialect: Db['dialect']): Promise<void> {
  if (dialect === 'postgres') await sql`lock table chain_head in exclusive mode`.execute(db);
}
