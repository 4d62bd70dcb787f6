// Queries for shared station tablets: stations (by their token's hash), people's PINs and wrong-PIN counts.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface Station {
  id: string;
  name: string;
  idleSeconds: number;
  createdAt: string;
  revokedAt: string | null;
}

const stationFromRow = (r: Database['stations']) => ({
  id: r.id,
  name: r.name,
  idleSeconds: r.idle_seconds,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export async function insertStation(
  db: Kysely<Database>,
  s: Station & { tokenHash: string; createdBy: string | null },
): Promise<void> {
  await db
    .insertInto('stations')
    .values({
      id: s.id,
      name: s.name,
      token_hash: s.tokenHash,
      idle_seconds: s.idleSeconds,
      created_by: s.createdBy,
      created_at: s.createdAt,
      revoked_at: null,
    })
    .execute();
}

export async function listStations(db: Kysely<Database>): Promise<Station[]> {
  const rows = await db.selectFrom('stations').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(stationFromRow);
}

/** The live station a device token belongs to. */
export async function stationByTokenHash(db: Kysely<Database>, tokenHash: string): Promise<Station | undefined> {
  const row = await db
    .selectFrom('stations')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? stationFromRow(row) : undefined;
}

/** Revokes a live station and ends every session made through it; false when there was no live one. */
export async function revokeStation(db: Kysely<Database>, id: string, at: string): Promise<{ sessionsEnded: number } | null> {
  const res = await db
    .updateTable('stations')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) return null;
  const ended = await db.deleteFrom('sessions').where('station_id', '=', id).executeTakeFirst();
  return { sessionsEnded: Number(ended.numDeletedRows) };
}

/** The active people who have set a PIN, by name: who a station offers to switch to. */
export async function peopleWithPin(db: Kysely<Database>): Promise<Array<{ id: string; name: string }>> {
  return db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('pin_hash', 'is not', null)
    .where('disabled_at', 'is', null)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function pinHashOf(db: Kysely<Database>, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('pin_hash').where('id', '=', userId).executeTakeFirst();
  return row?.pin_hash ?? null;
}

export async function setPinHash(db: Kysely<Database>, userId: string, pinHash: string | null): Promise<void> {
  await db.updateTable('users').set({ pin_hash: pinHash }).where('id', '=', userId).execute();
}

export async function pinFailures(
  db: Kysely<Database>,
  stationId: string,
  userId: string,
): Promise<{ failures: number; lockedUntil: string | null }> {
  const row = await db
    .selectFrom('station_pin_failures')
    .select(['failures', 'locked_until'])
    .where('station_id', '=', stationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return { failures: row?.failures ?? 0, lockedUntil: row?.locked_until ?? null };
}

export async function savePinFailures(
  db: Kysely<Database>,
  stationId: string,
  userId: string,
  failures: number,
  lockedUntil: string | null,
): Promise<void> {
  await db
    .insertInto('station_pin_failures')
    .values({ station_id: stationId, user_id: userId, failures, locked_until: lockedUntil })
    .onConflict((oc) => oc.columns(['station_id', 'user_id']).doUpdateSet({ failures, locked_until: lockedUntil }))
    .execute();
}

export async function clearPinFailures(db: Kysely<Database>, stationId: string, userId: string): Promise<void> {
  await db.deleteFrom('station_pin_failures').where('station_id', '=', stationId).where('user_id', '=', userId).execute();
}
