// Notices by daily digest: which kinds each user wants gathered into one e-mail a day and at what hour, and the
// digests already made (one per user and local day: the key that keeps a digest from going out twice, also when
// several servers share a PostgreSQL database).
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .alterTable('notification_preferences')
    .addColumn('digest_kinds', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .alterTable('notification_preferences')
    .addColumn('digest_hour', 'integer', (c) => c.notNull().defaultTo(7))
    .execute();

  await db.schema
    .createTable('notification_digests')
    .addColumn('user_id', 'text', (c) => c.notNull())
    // The day in the workspace's time zone this digest belongs to (YYYY-MM-DD).
    .addColumn('local_date', 'text', (c) => c.notNull())
    // The newest of the user's notifications when the digest was made: the next digest lists later ones.
    .addColumn('through_id', 'integer', (c) => c.notNull())
    .addColumn('notices', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_digests_pk', ['user_id', 'local_date'])
    .execute();
}
