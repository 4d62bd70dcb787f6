// First-run setup and invitations: the one row that closes setup for good, and invites stored by their token's hash.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  // At most one row, ever (its key is fixed): of two setups racing, the second insert fails and its transaction
  // rolls back, so only one first admin can be made.
  await db.schema
    .createTable('workspace_setup')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('completed_at', 'text', (c) => c.notNull())
    .addColumn('admin_id', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('invites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .addColumn('user_id', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('invites_email').on('invites').columns(['email', 'created_at']).execute();
}
