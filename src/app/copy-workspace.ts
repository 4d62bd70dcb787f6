// Moving a workspace up from SQLite: every table, row for row (events with their hashes, tokens, settings, outbox),
// into an empty database, in one transaction, so a copy stopped halfway leaves the target as empty as it was.
import type { Kysely } from 'kysely';
import { systemClock } from '../domain/clock.ts';
import {
  clearTable,
  continueSequences,
  insertRows,
  lockForCopy,
  rowCount,
  sourceTables,
  tableRows,
  targetColumns,
} from '../store/copy.ts';
import type { Db } from '../store/db.ts';
import { migrate } from '../store/migrations/index.ts';
import { isEmptyWorkspace } from '../store/workspace.ts';
import { Problem } from './problem.ts';
import { verifyAudit } from './verify-audit.ts';

export interface CopyReport {
  tables: Array<{ name: string; rows: number }>;
  events: number;
  lastSeq: number;
}

/**
 * Copies the SQLite workspace `source` into `target`. Both are migrated first, so they have the same tables; the
 * target must hold no workspace. The source is read under one snapshot (a server may keep running on it, but what
 * it writes after the copy began is not copied: stop it first to move for good). Tables the migrations fill at
 * creation (the chain head) are replaced by the source's rows.
 */
export async function copyWorkspace(
  source: Db,
  target: Db,
  onTable: (name: string, rows: number) => void = () => {},
): Promise<CopyReport> {
  if (!source.sqlite)
    throw new Problem('validation-failed', 'The workspace to copy must be a SQLite database (DATABASE_URL=sqlite:...)');
  await migrate(source);
  await migrate(target);
  const emptyTarget = () =>
    new Problem(
      'conflict',
      `${target.description} already holds a workspace; copy into a new, empty database (createdb, then name it in --to)`,
    );
  if (!(await isEmptyWorkspace(target))) throw emptyTarget();

  const sqlite = source.sqlite;
  const tables = sourceTables(sqlite);
  const columns = await targetColumns(target.kysely as Kysely<unknown>, target.dialect);
  for (const t of tables) {
    const there = columns.get(t.name);
    const missing = there ? t.columns.filter((c) => !there.has(c)) : t.columns;
    if (missing.length) {
      throw new Problem(
        'validation-failed',
        `${target.description} has no ${there ? `column ${missing.join(', ')} in ` : ''}table ${t.name}`,
      );
    }
  }

  const copied: CopyReport['tables'] = [];
  sqlite.exec('begin');
  try {
    await target.kysely.transaction().execute(async (trx) => {
      const db = trx as unknown as Kysely<unknown>;
      await lockForCopy(db, target.dialect);
      // Checked again under the lock: another copy may have filled it meanwhile.
      if (!(await isEmptyWorkspace({ ...target, kysely: trx }))) throw emptyTarget();
      for (const t of [...tables].reverse()) await clearTable(db, t.name);
      for (const t of tables) {
        let rows = 0;
        for (const page of tableRows(sqlite, t)) {
          await insertRows(db, t, page);
          rows += page.length;
        }
        copied.push({ name: t.name, rows });
        onTable(t.name, rows);
      }
      if (target.dialect === 'postgres') await continueSequences(db);
      for (const t of copied) {
        const there = await rowCount(db, t.name);
        if (there !== t.rows) throw new Error(`${t.name}: ${t.rows} rows read, ${there} written`);
      }
    });
  } finally {
    sqlite.exec('commit');
  }
  const audit = await verifyAudit({ db: target, clock: systemClock });
  if (!audit.ok)
    throw new Problem('validation-failed', `Copied, but the audit chain does not verify there: ${audit.broken!.detail}`);
  return { tables: copied, events: audit.events, lastSeq: audit.lastSeq };
}
