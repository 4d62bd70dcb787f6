// Tracking and access: which orders' tracking links are switched off, the sign-in log, and the role a webhook's payloads are shaped for.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, { serial }: MigrationContext): Promise<void> {
  // Orders whose tracking link is switched off; no row means the link works.
  await db.schema
    .createTable('order_tracking')
    .addColumn('order_id', 'text', (c) => c.primaryKey())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();

  // Every sign-in attempt: who, when, from where, and whether it worked. Never the password.
  await db.schema
    .createTable('sign_ins')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sign_ins_user').on('sign_ins').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('sign_ins_outcome').on('sign_ins').columns(['outcome', 'id']).execute();

  // The role whose view a webhook's payloads carry (fields hidden from it are left out); null: everything, as an admin sees it.
  await db.schema.alterTable('webhooks').addColumn('role', 'text').execute();
}
