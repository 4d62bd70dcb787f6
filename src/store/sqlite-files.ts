// SQLite database files as files: an online copy through SQLite's backup API, made self-contained, and checked page by page.
import { rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';

/**
 * Copies the open database into `file` with SQLite's backup API: a consistent snapshot while writes go on.
 * `oneStep`: copy every page in one step under one read snapshot. A copy made in small steps by another process
 * starts over whenever the server commits; one made on the server's own connection sees its commits as it goes.
 */
export async function copyDatabase(source: SQLite.Database, file: string, opts: { oneStep: boolean }): Promise<void> {
  rmSync(file, { force: true });
  if (opts.oneStep) await source.backup(file, { progress: () => 1_000_000_000 });
  else await source.backup(file);
  // The copy keeps the source's WAL mode; a rollback journal makes it one file, safe to move and copy around.
  const copy = new SQLite(file);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** SQLite's own check of every page and index: an empty list when the file is sound. */
export function integrityProblems(file: string): string[] {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
  } finally {
    db.close();
  }
}

/** True when the file starts with SQLite's header (a backup made by `floorboard backup` on SQLite). */
export function isSqliteFile(header: Buffer): boolean {
  return header.subarray(0, 16).toString('latin1') === 'SQLite format 3\0';
}
