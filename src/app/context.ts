// What every use case is given: the database, the clock, and who is acting.
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.ts';
import type { EventActor } from '../domain/events.ts';
import type { Role } from '../domain/roles.ts';
import type { Db } from '../store/db.ts';
import type { Database } from '../store/schema.ts';

export interface AppContext {
  db: Db;
  clock: Clock;
  /** Told after every committed transaction (the live feed reads new events at once). */
  afterCommit?: () => void;
}

/** Who is acting: a signed-in user, a user's API token, or the system itself (CLI, jobs). */
export interface Actor extends EventActor {
  role: Role;
  userId: string | null;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null, name: 'Floorboard', role: 'admin', userId: null };

export function eventActor(actor: Actor): EventActor {
  return { kind: actor.kind, id: actor.id, name: actor.name };
}

/** Runs `work` in one database transaction: everything it writes commits together or not at all. */
export async function transact<T>(app: AppContext, work: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  const result = await app.db.kysely.transaction().execute(work);
  app.afterCommit?.();
  return result;
}
