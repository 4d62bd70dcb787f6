// `floorboard backup [FILE]` and `floorboard restore FILE`: verified online copies of the database, restored only
// into an empty one. SQLite through its backup API; PostgreSQL through pg_dump and pg_restore when installed.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Problem } from '../app/problem.ts';
import { databaseUrl } from './app.ts';

const sqlitePath = (url: string) => url.slice('sqlite:'.length);

/** Where and how many scheduled backups (FLOORBOARD_BACKUP_DIR, _KEEP, _EVERY_HOURS), read from the environment. */
export function backupSettings(url: string): { dir: string; keep: number; everyMs: number } {
  const number = (name: string, fallback: number) => {
    const raw = process.env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Problem('validation-failed', `${name} must be a number of 0 or more`);
    return n;
  };
  const dir = process.env.FLOORBOARD_BACKUP_DIR || join(resolve(sqlitePath(url), '..'), 'backups');
  return {
    dir,
    keep: Math.floor(number('FLOORBOARD_BACKUP_KEEP', 7)),
    everyMs: Math.max(1000, number('FLOORBOARD_BACKUP_EVERY_HOURS', 24) * 3_600_000),
  };
}

const stamp = () =>
  new Date()
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');

/** The URL without its password, for messages. */
function safeUrl(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

function runTool(tool: string, args: string[], instead: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new Problem(
              'not-found',
              `${tool} is not installed (Debian: apt-get install postgresql-client). Run instead:\n  ${instead}`,
            )
          : err,
      ),
    );
    child.once('exit', (code) =>
      code === 0 ? resolvePromise() : reject(new Problem('validation-failed', `${tool} failed (exit ${code}); see above`)),
    );
  });
}

function fileHeader(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(16);
    readSync(fd, header, 0, 16, 0);
    return header;
  } finally {
    closeSync(fd);
  }
}

export function registerBackupCommands(program: Command): void {
  program
    .command('backup [file]')
    .description(
      'Take a consistent copy while the server runs, and verify it (SQLite: integrity check and the audit chain; ' +
        'PostgreSQL: pg_dump). FILE defaults to backups/ beside the SQLite file, or ./floorboard-<time>.dump',
    )
    .action(async (file: string | undefined) => {
      const url = databaseUrl();
      if (url.startsWith('sqlite:')) {
        const { openDb } = await import('../store/db.ts');
        const { backupSqlite, backupFileName, defaultBackupDir } = await import('../app/backups.ts');
        const db = openDb(url);
        try {
          const target = file ?? join(defaultBackupDir(sqlitePath(url)), backupFileName(new Date()));
          // Another process than the server: one step under one snapshot, or every commit would start it over.
          const report = await backupSqlite(db, target, { oneStep: true });
          console.log(
            `Backed up to ${report.file} (${report.bytes} bytes); verified: integrity ok, audit chain intact (${report.events} events, last #${report.lastSeq})`,
          );
        } finally {
          await db.close();
        }
        return;
      }
      const target = file ?? `floorboard-${stamp()}.dump`;
      await runTool(
        'pg_dump',
        ['--format=custom', `--file=${target}`, url],
        `pg_dump --format=custom --file=${target} '${safeUrl(url)}'`,
      );
      // pg_restore reads the whole table of contents back: the file is a complete archive.
      await runTool('pg_restore', ['--list', target], `pg_restore --list ${target}`).catch(() => {
        throw new Problem('validation-failed', `${target} was written but pg_restore cannot read it back`);
      });
      console.log(`Backed up to ${target} with pg_dump (custom format; restore with floorboard restore ${target})`);
    });

  program
    .command('restore <file>')
    .description(
      'Restore a backup into the empty database DATABASE_URL names (refuses one that holds a workspace), then verify its audit chain',
    )
    .action(async (file: string) => {
      const url = databaseUrl();
      const sqliteBackup = (await import('../store/sqlite-files.ts')).isSqliteFile(fileHeader(file));
      if (url.startsWith('sqlite:')) {
        if (!sqliteBackup) throw new Problem('validation-failed', `${file} is not a SQLite backup`);
        const { restoreSqlite } = await import('../app/backups.ts');
        const report = await restoreSqlite(file, url);
        console.log(`Restored ${file} into ${url}; audit chain intact (${report.events} events, last #${report.lastSeq})`);
        return;
      }
      if (sqliteBackup) {
        throw new Problem(
          'validation-failed',
          `${file} is a SQLite backup; to move it to PostgreSQL run: DATABASE_URL=sqlite:${file} floorboard copy --to '${safeUrl(url)}'`,
        );
      }
      const { withApp } = await import('./app.ts');
      const { openDb } = await import('../store/db.ts');
      const { workspaceTables } = await import('../store/workspace.ts');
      const target = openDb(url);
      try {
        // pg_restore creates the tables itself: the database must not have any yet.
        if ((await workspaceTables(target)).length) {
          throw new Problem(
            'conflict',
            `${target.description} is not empty; restore into a new database (createdb, then name it in DATABASE_URL)`,
          );
        }
      } finally {
        await target.close();
      }
      await runTool(
        'pg_restore',
        ['--no-owner', '--exit-on-error', `--dbname=${url}`, file],
        `pg_restore --no-owner --dbname='${safeUrl(url)}' ${file}`,
      );
      const { verifyAudit } = await import('../app/verify-audit.ts');
      const report = await withApp((app) => verifyAudit(app));
      if (!report.ok)
        throw new Problem('validation-failed', `Restored, but the audit chain does not verify: ${report.broken!.detail}`);
      console.log(
        `Restored ${file} into ${target.description}; audit chain intact (${report.events} events, last #${report.lastSeq})`,
      );
    });
}
