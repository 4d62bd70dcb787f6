// Imports: each file brought in (who, when, its sha256, what it did), the orders it matched by reference, and where a stage visit came from.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workflow', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text')
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('created', 'integer', (c) => c.notNull())
    .addColumn('updated', 'integer', (c) => c.notNull())
    .addColumn('unchanged', 'integer', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('warnings', 'integer', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('event_seq', 'integer', (c) => c.notNull())
    .addColumn('undone_at', 'text')
    .addColumn('undone_by', 'text')
    .addColumn('undo_reason', 'text')
    .addColumn('undo_cancelled', 'integer')
    .execute();
  await db.schema.createIndex('imports_created').on('imports').columns(['created_at', 'id']).execute();

  // One row per order an import brought in, keyed by the order's reference in the old system: a second import of
  // the same file finds its orders here. `row_hash` is what the file said of the order last time; `version` the
  // order's version once that import was written (undo leaves an order alone that somebody changed since).
  await db.schema
    .createTable('import_orders')
    .addColumn('workflow', 'text', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('created_by_import', 'text', (c) => c.notNull())
    .addColumn('last_import', 'text', (c) => c.notNull())
    .addColumn('row_hash', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_orders_pk', ['workflow', 'reference'])
    .execute();
  await db.schema.createIndex('import_orders_created_by').on('import_orders').column('created_by_import').execute();
  await db.schema.createIndex('import_orders_order').on('import_orders').column('order_id').execute();

  // A stage visit read from a file: when it was recorded (the import) beside when it happened (entered_at).
  await db.schema.alterTable('stage_visits').addColumn('recorded_at', 'text').execute();
  await db.schema.alterTable('stage_visits').addColumn('import_id', 'text').execute();
  await db.schema.alterTable('stage_visits').addColumn('import_row', 'integer').execute();
}
