// A Floorboard for one test: a fresh database (SQLite in memory, or a PostgreSQL schema of its own),
// the demo workflow, a user and token per role, a manual clock, and the HTTP server driven in-process.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { type AppContext, SYSTEM_ACTOR } from '../../src/app/context.ts';
import { actorForUser, createUser, issueToken } from '../../src/app/manage-access.ts';
import { createWorkflow } from '../../src/app/manage-workflows.ts';
import { CUSTOM_APPAREL } from '../../src/demo/custom-apparel.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { ROLES, type Role } from '../../src/domain/roles.ts';
import { buildServer } from '../../src/http/server.ts';
import { type Db, openDb } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrations/index.ts';

export const TEST_START = '2026-11-24T09:00:00.000Z';
export const PASSWORD = 'correct horse battery';
export const emailOf = (role: Role) => `${role}@test.floorboard.test`;

export type TestDb = 'sqlite' | 'postgres';

export function testDbKind(): TestDb {
  return process.env.FLOORBOARD_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
}

/** A fresh, migrated database of the kind this test run is for; `drop` removes it. */
export async function freshDb(
  kind: TestDb = testDbKind(),
  poolSize?: number,
  /** The last migration to apply; all of them without it. */
  migrateTo?: string,
): Promise<{ db: Db; drop: () => Promise<void>; reopen?: () => Db }> {
  if (kind === 'sqlite') {
    const db = openDb('sqlite::memory:');
    await migrate(db, migrateTo);
    return { db, drop: () => db.close() };
  }
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) throw new Error('TEST_POSTGRES_URL is not set: the postgres test project sets it in its global setup');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = openDb(url, { schema, ...(poolSize ? { poolSize } : {}) });
  await migrate(db, migrateTo);
  return {
    db,
    /** Another connection pool to the same schema: a second server process, as far as the database can tell. */
    reopen: () => openDb(url, { schema }),
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

export interface Harness {
  app: AppContext;
  /** PostgreSQL only: a second pool on the same schema, as another server process would have. */
  reopen?: () => Db;
  db: Db;
  clock: ManualClock;
  server: FastifyInstance;
  tokens: Record<Role, string>;
  userIds: Record<Role, string>;
  /** Calls the API as a role (its bearer token), or anonymously with `null`. */
  as(role: Role | null): Client;
  close(): Promise<void>;
}

export interface Client {
  get(path: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  patch(path: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  put(path: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  delete(path: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export async function startHarness(opts: { poolSize?: number } = {}): Promise<Harness> {
  const { db, drop, reopen } = await freshDb(testDbKind(), opts.poolSize);
  const clock = new ManualClock(TEST_START);
  const app: AppContext = { db, clock };
  const tokens = {} as Record<Role, string>;
  const userIds = {} as Record<Role, string>;
  for (const role of ROLES) {
    const user = await createUser(app, SYSTEM_ACTOR, { email: emailOf(role), name: `Test ${role}`, role, password: PASSWORD });
    userIds[role] = user.id;
    tokens[role] = (await issueToken(app, actorForUser(user), user.id, 'tests')).token;
  }
  await createWorkflow(app, SYSTEM_ACTOR, CUSTOM_APPAREL);
  // FLOORBOARD_TEST_LOG=debug shows the server's log while a test runs.
  const level = process.env.FLOORBOARD_TEST_LOG;
  // Tests write in bursts no person makes: the per-user write limit is tested on a server of its own (security.test.ts).
  const server = await buildServer(app, { writesPerMinute: 0, ...(level ? { logger: pino({ level }) } : {}) });
  await server.ready();

  const as = (role: Role | null): Client => {
    const auth: Record<string, string> = role ? { authorization: `Bearer ${tokens[role]}` } : {};
    const call = (
      method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) =>
      server.inject({
        method,
        url: `/api/v1${path}`,
        headers: { ...auth, ...headers },
        ...(body === undefined
          ? {}
          : typeof body === 'string'
            ? { payload: body, headers: { 'content-type': 'application/json', ...auth, ...headers } }
            : { payload: body as object }),
      });
    return {
      get: (path, headers) => call('GET', path, undefined, headers),
      post: (path, body, headers) => call('POST', path, body ?? {}, headers),
      patch: (path, body, headers) => call('PATCH', path, body ?? {}, headers),
      put: (path, body, headers) => call('PUT', path, body ?? {}, headers),
      delete: (path, headers) => call('DELETE', path, undefined, headers),
    };
  };

  return {
    app,
    ...(reopen ? { reopen } : {}),
    db,
    clock,
    server,
    tokens,
    userIds,
    as,
    close: async () => {
      await server.close();
      await drop();
    },
  };
}

/** A valid new order for the demo workflow; override what a test cares about. */
export function newOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    workflow: 'custom-apparel',
    title: 'Team hoodies',
    customer: { name: 'Harbour FC', email: 'kit@harbourfc.example' },
    dueDate: '2026-12-18',
    fields: { garment: 'Hoodie', quantity: 40, artwork_url: 'https://files.example/harbour.pdf', unit_price: '18.50' },
    items: [{ sku: 'HD-NAVY-M', description: 'Navy hoodie M', quantity: 20 }],
    ...overrides,
  };
}

/** Counts rows that any write would add to: a bad request must leave these unchanged. */
export async function writeCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'orders',
    'events',
    'stage_visits',
    'outbox',
    'workflows',
    'users',
    'api_tokens',
    'idempotency_keys',
  ] as const) {
    const row = await db.kysely
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

export function json<T = Record<string, unknown>>(res: LightMyRequestResponse): T {
  return res.json() as T;
}
