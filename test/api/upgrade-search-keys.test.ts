// Orders written before migration 011 are found by the search afterwards: the migration fills their search keys.
import { randomBytes } from 'node:crypto';
import { type Kysely, type Migration, Migrator } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDb } from '../../src/store/db.ts';
import * as orderEngine from '../../src/store/migrations/001-order-engine.ts';
import * as automation from '../../src/store/migrations/002-automation.ts';
import * as insight from '../../src/store/migrations/003-insight.ts';
import * as tracking from '../../src/store/migrations/004-tracking.ts';
import * as outboxQueue from '../../src/store/migrations/005-outbox-queue.ts';
import { migrate } from '../../src/store/migrations/index.ts';
import { listOrders, orderToRow } from '../../src/store/orders.ts';
import { testDbKind } from '../support/harness.ts';

let db: Db;
let drop: () => Promise<void>;
let schema: string | undefined;

beforeEach(async () => {
  if (testDbKind() === 'sqlite') {
    db = openDb('sqlite::memory:');
    drop = () => db.close();
    schema = undefined;
    return;
  }
  const url = process.env.TEST_POSTGRES_URL!;
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${name}`);
  await admin.end();
  db = openDb(url, { schema: name });
  schema = name;
  drop = async () => {
    await db.close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop schema ${name} cascade`);
    await c.end();
  };
});
afterEach(() => drop());

/** The schema as it was before migration 011. */
async function migrateTo005(): Promise<void> {
  const ctx = { serial: db.dialect === 'postgres' ? ('serial' as const) : ('integer' as const), dialect: db.dialect };
  const steps = {
    '001-order-engine': orderEngine,
    '002-automation': automation,
    '003-insight': insight,
    '004-tracking': tracking,
    '005-outbox-queue': outboxQueue,
  };
  const migrations: Record<string, Migration> = Object.fromEntries(
    Object.entries(steps).map(([name, step]) => [name, { up: (k: Kysely<unknown>) => step.up(k, ctx) }]),
  );
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

describe('upgrading to search keys', () => {
  it('finds orders written before the upgrade by their customer in any case and script', async () => {
    await migrateTo005();
    const now = '2026-11-24T09:00:00.000Z';
    await db.kysely
      .insertInto('workflows')
      .values({ key: 'w', name: 'W', order_prefix: 'ORD', version: 1, definition: '{}', created_at: now, updated_at: now })
      .execute();
    const names = ['Ölmühle Köln', 'ΟΔΟΣ ΣΠΑΡΤΗΣ', 'Großbäckerei Weiß'];
    for (const [i, name] of names.entries()) {
      const {
        search_key: _notYet,
        customer_id: _fromMigration015,
        ...row
      } = orderToRow({
        id: `ord_${i}`,
        number: `ORD-100${i}`,
        workflow: 'w',
        title: 'Aprons',
        customer: { name, email: null },
        state: 'active',
        stage: 'received',
        stageEnteredAt: now,
        dueDate: null,
        priority: 'normal',
        fields: {},
        items: [],
        version: 1,
        createdAt: now,
        updatedAt: now,
        completedAt: null,
        holdReason: null,
        trackingToken: `tok_${i}`,
      });
      await db.kysely
        .insertInto('orders')
        .values(row as never)
        .execute();
    }

    expect(await migrate(db)).toContain('011-queues-and-keys');
    const find = async (q: string) => (await listOrders(db.kysely, { q }, { limit: 10 })).items.map((o) => o.number);
    expect(await find('ÖLMÜHLE')).toEqual(['ORD-1000']);
    expect(await find('οδος')).toEqual(['ORD-1001']);
    expect(await find('grossbäckerei weiss')).toEqual(['ORD-1002']);
    expect(await find('aprons')).toHaveLength(3);
  });
});
