// Throw-away databases: a SQLite file in a temp directory, or a PostgreSQL database created for the run and
// dropped after it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface BenchDatabase {
  kind: 'sqlite' | 'postgres';
  /** DATABASE_URL for the server and the store. */
  url: string;
  /** For the SQLite limit: the file. */
  sqlitePath?: string;
  /** Where the server log and profiles go. */
  workDir: string;
  /** Safe to print: no credentials. */
  description: string;
  drop(): Promise<void>;
}

export function sqliteDatabase(keep: boolean): BenchDatabase {
  const workDir = mkdtempSync(join(tmpdir(), 'floorboard-bench-'));
  const path = join(workDir, 'bench.db');
  return {
    kind: 'sqlite',
    url: `sqlite:${path}`,
    sqlitePath: path,
    workDir,
    description: `sqlite:${path}`,
    drop: async () => {
      if (!keep) rmSync(workDir, { recursive: true, force: true });
    },
  };
}

export async function postgresDatabase(baseUrl: string, keep: boolean): Promise<BenchDatabase> {
  const name = `floorboard_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const workDir = mkdtempSync(join(tmpdir(), 'floorboard-bench-pg-'));
  return {
    kind: 'postgres',
    url: url.toString(),
    workDir,
    description: `postgres://${url.host}/${name}`,
    drop: async () => {
      if (keep) return;
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
