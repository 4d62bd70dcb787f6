// Backups of the embedded SQLite database: an online copy, verified before it counts (integrity check and the
// whole audit chain), restored only into an empty database, and pruned to the newest few.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { systemClock } from '../domain/clock.ts';
import { type Db, openDb } from '../store/db.ts';
import { migrate } from '../store/migrations/index.ts';
import { copyDatabase, integrityProblems } from '../store/sqlite-files.ts';
import { isEmptyWorkspace } from '../store/workspace.ts';
import { Problem } from './problem.ts';
import { verifyAudit } from './verify-audit.ts';

export interface BackupReport {
  file: string;
  bytes: number;
  events: number;
  lastSeq: number;
}

/** Where scheduled backups go by default: `backups/` beside the database file. */
export function defaultBackupDir(sqlitePath: string): string {
  return join(dirname(sqlitePath), 'backups');
}

/** A backup's name: the database's name and the UTC time, so names sort in time order. */
export function backupFileName(now: Date): string {
  return `floorboard-${now
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z')}.db`;
}

/** Opens a backup read-only and checks it: SQLite's integrity check, then every event of the audit chain. */
export async function verifyBackup(file: string): Promise<{ events: number; lastSeq: number }> {
  const problems = integrityProblems(file);
  if (problems.length) throw new Problem('validation-failed', `${file} is damaged: ${problems.slice(0, 3).join('; ')}`);
  const db = openDb(`sqlite:${file}`, { readonly: true });
  try {
    const report = await verifyAudit({ db, clock: systemClock });
    if (!report.ok) throw new Problem('validation-failed', `${file}: audit chain broken: ${report.broken!.detail}`);
    return { events: report.events, lastSeq: report.lastSeq };
  } finally {
    await db.close();
  }
}

/**
 * Copies the SQLite database into `file` and verifies the copy; only a verified copy gets the name asked for
 * (it is written as `<file>.partial` first, and removed if it fails its check).
 */
export async function backupSqlite(db: Db, file: string, opts: { oneStep: boolean }): Promise<BackupReport> {
  if (!db.sqlite || db.dialect !== 'sqlite') throw new Error('backupSqlite needs a SQLite database');
  if (existsSync(file)) throw new Problem('conflict', `${file} already exists; name a new file`);
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  try {
    await copyDatabase(db.sqlite, partial, opts);
    const checked = await verifyBackup(partial);
    renameSync(partial, file);
    return { file, bytes: statSync(file).size, ...checked };
  } finally {
    rmSync(partial, { force: true });
  }
}

/**
 * Restores a verified SQLite backup into the database `target` names, which must hold no workspace yet;
 * migrates it to this version's schema and checks the audit chain there.
 */
export async function restoreSqlite(file: string, targetUrl: string): Promise<BackupReport> {
  if (!targetUrl.startsWith('sqlite:')) throw new Error('restoreSqlite restores into SQLite');
  const checked = await verifyBackup(file);
  const target = openDb(targetUrl);
  try {
    if (!(await isEmptyWorkspace(target))) {
      throw new Problem(
        'conflict',
        `${target.description} already holds a workspace; restore into a new, empty database (name another DATABASE_URL)`,
      );
    }
    const source = openDb(`sqlite:${file}`, { readonly: true });
    try {
      // The backup API writes through the target's own connection: its WAL and locks stay coherent.
      await source.sqlite!.backup(targetPath(targetUrl));
    } finally {
      await source.close();
    }
  } finally {
    await target.close();
  }
  const restored = openDb(targetUrl);
  try {
    await migrate(restored);
    const report = await verifyAudit({ db: restored, clock: systemClock });
    if (!report.ok || report.lastSeq !== checked.lastSeq) {
      throw new Problem(
        'validation-failed',
        `The restored database does not verify: ${report.broken?.detail ?? 'events missing'}`,
      );
    }
    return { file, bytes: statSync(file).size, events: report.events, lastSeq: report.lastSeq };
  } finally {
    await restored.close();
  }
}

function targetPath(url: string): string {
  return url.slice('sqlite:'.length);
}

/** Deletes all but the newest `keep` backups in `dir` (by name, which is by time); returns what it deleted. */
export function pruneBackups(dir: string, keep: number): string[] {
  const ours = readdirSync(dir)
    .filter((f) => /^floorboard-\d{4}-\d{2}-\d{2}T[\d-]+Z\.db$/.test(f))
    .sort();
  const old = ours.slice(0, Math.max(0, ours.length - keep));
  for (const f of old) rmSync(join(dir, f), { force: true });
  return old;
}

/** The newest backup in `dir` and when it was made, or null. */
export function newestBackup(dir: string): { file: string; at: Date } | null {
  if (!existsSync(dir)) return null;
  const newest = readdirSync(dir)
    .filter((f) => /^floorboard-.*Z\.db$/.test(f))
    .sort()
    .at(-1);
  return newest ? { file: join(dir, newest), at: statSync(join(dir, newest)).mtime } : null;
}
