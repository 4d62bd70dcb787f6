// What every CLI command stands on: the database from DATABASE_URL, migrated, and who the command acts as.
// The database drivers and the rest load when a command runs, not when `--help` is printed.
import type { Actor, AppContext } from '../app/context.ts';
import { Problem } from '../app/problem.ts';
import { systemClock } from '../domain/clock.ts';

/** The same default as the store's DEFAULT_DATABASE_URL, written here so reading it loads no driver. */
export const databaseUrl = () => process.env.DATABASE_URL || 'sqlite:./data/floorboard.db';

/** Opens and migrates the database, runs `work`, closes it. */
export async function withApp<T>(work: (app: AppContext) => Promise<T>): Promise<T> {
  const { openDb } = await import('../store/db.ts');
  const { migrate } = await import('../store/migrations/index.ts');
  const db = openDb(databaseUrl());
  try {
    await migrate(db);
    return await work({ db, clock: systemClock });
  } finally {
    await db.close();
  }
}

/**
 * The user a command acts as (`--as <email>`): changes from the CLI are theirs in the audit trail,
 * marked as made from the command line, and bound by their role like any other request.
 */
export async function actingUser(app: AppContext, email: string): Promise<Actor> {
  const { findUserByEmail } = await import('../store/access.ts');
  const { actorForUser } = await import('../app/manage-access.ts');
  const found = await findUserByEmail(app.db.kysely, email);
  if (!found || found.user.disabledAt) throw new Problem('not-found', `No active user with e-mail ${email}`);
  const actor = actorForUser(found.user);
  return { ...actor, name: `${actor.name} (command line)` };
}

/** Prints JSON, or rows as an aligned plain-text table. */
export function print(value: unknown, opts: { json?: boolean }, table?: () => string[][]): void {
  if (opts.json || !table) {
    console.log(JSON.stringify(value, null, 2));
    return;
  }
  const rows = table();
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const row of rows)
    console.log(
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    );
}
