// Numbered migrations shared by both dialects; the one place their column types differ is `serial`, and PostgreSQL
// alone has per-table storage settings.
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Db, Dialect } from '../db.ts';
import * as orderEngine from './001-order-engine.ts';
import * as automation from './002-automation.ts';
import * as insight from './003-insight.ts';
import * as tracking from './004-tracking.ts';
import * as outboxQueue from './005-outbox-queue.ts';
import * as sealedHistory from './006-sealed-history.ts';
import * as imports from './008-imports.ts';
import * as setupInvites from './009-setup-invites.ts';
import * as queuesAndKeys from './011-queues-and-keys.ts';
import * as notificationDigests from './013-notification-digests.ts';
import * as ownSignIn from './014-own-sign-in.ts';
import * as customers from './015-customers.ts';
import * as orderFiles from './016-order-files.ts';
import * as stations from './017-stations.ts';

export interface MigrationContext {
  /** An auto-incrementing integer key column type. */
  serial: 'integer' | 'serial';
  dialect: Dialect;
}

type Step = { up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> };
const STEPS: Record<string, Step> = {
  '001-order-engine': orderEngine,
  '002-automation': automation,
  '003-insight': insight,
  '004-tracking': tracking,
  '005-outbox-queue': outboxQueue,
  '006-sealed-history': sealedHistory,
  '008-imports': imports,
  '009-setup-invites': setupInvites,
  '011-queues-and-keys': queuesAndKeys,
  '013-notification-digests': notificationDigests,
  '015-customers': customers,
  '016-order-files': orderFiles,
  '014-own-sign-in': ownSignIn,
  '017-stations': stations,
};

class CodeMigrations implements MigrationProvider {
  constructor(private readonly ctx: MigrationContext) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(STEPS).map(([name, step]) => [name, { up: (db: Kysely<unknown>) => step.up(db, this.ctx) }]),
    );
  }
}

/** Brings the schema up to date (or up to migration `to`); returns the names of the migrations it applied. */
export async function migrate(db: Db, to?: string): Promise<string[]> {
  // Kysely looks for its migration tables in every schema unless told which: beside another schema's
  // (tests give each run one) it would skip creating its own. PostgreSQL: the connection's own schema.
  const schema =
    db.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db.kysely)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: db.kysely,
    provider: new CodeMigrations({ serial: db.dialect === 'postgres' ? 'serial' : 'integer', dialect: db.dialect }),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await (to ? migrator.migrateTo(to) : migrator.migrateToLatest());
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
