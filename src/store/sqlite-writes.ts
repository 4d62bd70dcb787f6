// The statements every move runs, on SQLite, as fixed SQL text: Kysely builds and compiles a query anew on each call,
// which cost more CPU than running these small statements; the same text also hits the prepared-statement cache.
import { CompiledQuery, type Kysely, SqliteAdapter } from 'kysely';
import type { Database } from './schema.ts';

/** Whether `db` (or a transaction of it) speaks SQLite. */
export function onSqlite(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

const texts = new Map<string, string>();

/** The SQL text for a shape, made once: only identifiers written in this code and `?` placeholders go into it. */
function textFor(key: string, make: () => string): string {
  let text = texts.get(key);
  if (text === undefined) {
    text = make();
    texts.set(key, text);
  }
  return text;
}

const quoted = (columns: readonly string[]) => columns.map((c) => `"${c}"`).join(', ');

/** Inserts rows that all have the same columns, in one statement. */
export async function insertRows<Row extends object>(db: Kysely<Database>, table: string, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!) as Array<keyof Row & string>;
  const text = textFor(`insert ${table} ${columns.join(',')} ${rows.length}`, () => {
    const one = `(${columns.map(() => '?').join(', ')})`;
    return `insert into "${table}" (${quoted(columns)}) values ${Array.from({ length: rows.length }, () => one).join(', ')}`;
  });
  const parameters: unknown[] = [];
  for (const row of rows) for (const c of columns) parameters.push(row[c]);
  await db.executeQuery(CompiledQuery.raw(text, parameters));
}

/** `update table set <values> where <key> = ? [and <check> = ?]`: how many rows it changed. */
export async function updateRow(
  db: Kysely<Database>,
  table: string,
  values: Record<string, unknown>,
  where: Record<string, unknown>,
): Promise<number> {
  const columns = Object.keys(values);
  const keys = Object.keys(where);
  const text = textFor(`update ${table} ${columns.join(',')} ${keys.join(',')}`, () => {
    const set = columns.map((c) => `"${c}" = ?`).join(', ');
    return `update "${table}" set ${set} where ${keys.map((k) => `"${k}" = ?`).join(' and ')}`;
  });
  const result = await db.executeQuery(CompiledQuery.raw(text, [...Object.values(values), ...Object.values(where)]));
  return Number(result.numAffectedRows ?? 0n);
}

/** Rows of a fixed query (its text written in this code) with one `?` per value in `list`, spelt out as `(?, ?, ...)`. */
export async function selectWithList<Row>(
  db: Kysely<Database>,
  text: (list: string) => string,
  list: readonly unknown[],
): Promise<Row[]> {
  const sqlText = textFor(`${text('@')} ${list.length}`, () => text(`(${list.map(() => '?').join(', ')})`));
  return (await db.executeQuery<Row>(CompiledQuery.raw(sqlText, [...list]))).rows;
}

/** Rows of a fixed query (its text written in this code), with parameters. */
export async function selectRows<Row>(db: Kysely<Database>, text: string, parameters: readonly unknown[]): Promise<Row[]> {
  return (await db.executeQuery<Row>(CompiledQuery.raw(text, [...parameters]))).rows;
}

/** Runs a fixed statement (its text written in this code) with one `?` per value in `list`, spelt out as `(?, ?, ...)`. */
export async function runWithList(
  db: Kysely<Database>,
  text: (list: string) => string,
  first: unknown[],
  list: readonly unknown[],
) {
  const sqlText = textFor(`${text('@')} ${list.length}`, () => text(`(${list.map(() => '?').join(', ')})`));
  await db.executeQuery(CompiledQuery.raw(sqlText, [...first, ...list]));
}
