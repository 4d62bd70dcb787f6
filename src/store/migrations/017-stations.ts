// Shared station tablets: a registered station (its device token stored hashed), each person's own short PIN (stored
// like a password), wrong-PIN counts per person and station, and sessions bound to a station with an idle timeout.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('users').addColumn('pin_hash', 'text').execute();

  await db.schema
    .createTable('stations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('idle_seconds', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('station_pin_failures')
    .addColumn('station_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addPrimaryKeyConstraint('station_pin_failures_pk', ['station_id', 'user_id'])
    .execute();

  // A station session ends after idle_seconds without a request; last_seen_at moves on with each request.
  await db.schema.alterTable('sessions').addColumn('station_id', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('idle_seconds', 'integer').execute();
  await db.schema.alterTable('sessions').addColumn('last_seen_at', 'text').execute();
  await db.schema.createIndex('sessions_station').on('sessions').column('station_id').execute();
}
