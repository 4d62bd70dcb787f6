// Makes sure the PostgreSQL the tests use exists and answers; each test then works in a schema of its own.
import pg from 'pg';

export const DEFAULT_TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/floorboard_test';

export default async function setup(): Promise<void> {
  const url = process.env.TEST_POSTGRES_URL ?? DEFAULT_TEST_POSTGRES_URL;
  process.env.TEST_POSTGRES_URL = url;
  const target = new URL(url);
  const dbName = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `The PostgreSQL half of the test suite needs a server at ${target.host} (set TEST_POSTGRES_URL): ${(err as Error).message}`,
    );
  }
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [dbName]);
    if (exists.rowCount === 0) await client.query(`create database "${dbName.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}
