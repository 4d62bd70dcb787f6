// The workspace as a whole: whether a database holds one yet, and the tables the migrations made.
import { type Kysely, sql } from 'kysely';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

/** True when no migration has run, or nothing has happened since: no event, no user, no workflow. */
export async function isEmptyWorkspace(db: Db): Promise<boolean> {
  if (!(await workspaceTables(db)).includes('chain_head')) return true;
  const k = db.kysely as Kysely<Database>;
  const head = await k.selectFrom('chain_head').select('seq').where('id', '=', 1).executeTakeFirst();
  const user = await k.selectFrom('users').select('id').limit(1).executeTakeFirst();
  const workflow = await k.selectFrom('workflows').select('key').limit(1).executeTakeFirst();
  return (head?.seq ?? 0) === 0 && !user && !workflow;
}

/** Every table of the connection's schema (PostgreSQL) or file (SQLite), migrations' bookkeeping included. */
export async function workspaceTables(db: Db): Promise<string[]> {
  const rows =
    db.dialect === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db.kysely)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db.kysely);
  return rows.rows.map((r) => r.name);
}
