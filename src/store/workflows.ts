// Queries for workflows and their version history.
import { type Kysely, sql } from 'kysely';
import type { Workflow, WorkflowDefinition } from '../domain/workflow.ts';
import type { Dialect } from './db.ts';
import type { Database, WorkflowTable } from './schema.ts';
import { onSqlite, selectWithList } from './sqlite-writes.ts';

type StoredDefinition = Pick<WorkflowDefinition, 'stages' | 'fields'>;

function fromRow(r: WorkflowTable): Workflow {
  const def = JSON.parse(r.definition) as StoredDefinition;
  return { key: r.key, name: r.name, orderPrefix: r.order_prefix, version: r.version, stages: def.stages, fields: def.fields };
}

export async function listWorkflows(db: Kysely<Database>): Promise<Workflow[]> {
  const rows = await db.selectFrom('workflows').selectAll().orderBy('key').execute();
  return rows.map(fromRow);
}

export async function findWorkflow(db: Kysely<Database>, key: string): Promise<Workflow | undefined> {
  const row = await db.selectFrom('workflows').selectAll().where('key', '=', key).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function findWorkflows(db: Kysely<Database>, keys: readonly string[]): Promise<Workflow[]> {
  if (keys.length === 0) return [];
  const rows = onSqlite(db)
    ? await selectWithList<WorkflowTable>(db, (list) => `select * from "workflows" where "key" in ${list}`, keys)
    : await db.selectFrom('workflows').selectAll().where('key', 'in', keys).execute();
  return rows.map(fromRow);
}

/**
 * Before a revision is checked against the orders in flight: on PostgreSQL, takes the workflow's row (a second
 * revision waits) and holds off every write to orders until this transaction ends, so the orders counted are
 * all there will be at the old version: a change decided by it that has not committed yet either commits
 * first and is counted, or finds the workflow revised and is decided again. SQLite has one writer already.
 */
export async function lockForRevision(tx: Kysely<Database>, dialect: Dialect, key: string): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select 1 from workflows where key = ${key} for update`.execute(tx);
  await sql`lock table orders in share mode`.execute(tx);
}

/** Stores a workflow as its new current version and keeps the version in the history. */
export async function saveWorkflow(db: Kysely<Database>, wf: Workflow, at: string, by: string | null): Promise<void> {
  const definition = JSON.stringify({ stages: wf.stages, fields: wf.fields } satisfies StoredDefinition);
  if (wf.version === 1) {
    await db
      .insertInto('workflows')
      .values({
        key: wf.key,
        name: wf.name,
        order_prefix: wf.orderPrefix,
        version: 1,
        definition,
        created_at: at,
        updated_at: at,
      })
      .execute();
  } else {
    await db
      .updateTable('workflows')
      .set({ name: wf.name, order_prefix: wf.orderPrefix, version: wf.version, definition, updated_at: at })
      .where('key', '=', wf.key)
      .execute();
  }
  await db
    .insertInto('workflow_versions')
    .values({ key: wf.key, version: wf.version, definition, created_at: at, created_by: by })
    .execute();
}
