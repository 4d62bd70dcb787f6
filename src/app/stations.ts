// Shared station tablets: an admin registers a station and gets its device token once; people set their own PIN
// and switch to themselves on the station, getting an ordinary session of their own (so every action records the
// person, not the device) that ends after the station's idle time. Wrong PINs lock the person on that station.
import { randomUUID } from 'node:crypto';
import { mayAdminister } from '../domain/roles.ts';
import {
  PIN_LOCK_MINUTES,
  PIN_TRIES,
  pinProblem,
  STATION_IDLE_MAX_SECONDS,
  STATION_IDLE_MIN_SECONDS,
} from '../domain/station-pin.ts';
import { findUserById } from '../store/access.ts';
import { appendEvents } from '../store/events.ts';
import {
  clearPinFailures,
  insertStation,
  listStations,
  peopleWithPin,
  pinFailures,
  pinHashOf,
  revokeStation,
  type Station,
  savePinFailures,
  setPinHash,
  stationByTokenHash,
} from '../store/stations.ts';
import { type Actor, type AppContext, eventActor, transact } from './context.ts';
import { type Session, startSession } from './manage-access.ts';
import { forbidden, notFound, Problem, validationFailed } from './problem.ts';
import { DUMMY_PASSWORD_HASH, hashPassword, hashSecret, newInviteToken, verifyPassword } from './secrets.ts';
import { logSignIn, type SignInOrigin } from './sign-in.ts';
import { checkOwnPassword } from './two-factor.ts';

function requireAdmin(actor: Actor): void {
  if (!mayAdminister(actor.role)) throw forbidden('Only an admin may manage stations');
}

export async function createStation(
  app: AppContext,
  actor: Actor,
  input: { name: string; idleSeconds: number },
): Promise<{ station: Station; token: string }> {
  requireAdmin(actor);
  const name = input.name.trim();
  if (!name) throw validationFailed('A station needs a name', [{ path: 'name', message: 'must not be blank' }]);
  if (
    !Number.isInteger(input.idleSeconds) ||
    input.idleSeconds < STATION_IDLE_MIN_SECONDS ||
    input.idleSeconds > STATION_IDLE_MAX_SECONDS
  ) {
    throw validationFailed('The idle time is out of range', [
      { path: 'idleSeconds', message: `must be ${STATION_IDLE_MIN_SECONDS} to ${STATION_IDLE_MAX_SECONDS} seconds` },
    ]);
  }
  const at = app.clock.now().toISOString();
  const token = newInviteToken();
  const station: Station = { id: randomUUID(), name, idleSeconds: input.idleSeconds, createdAt: at, revokedAt: null };
  await transact(app, async (tx) => {
    await insertStation(tx, { ...station, tokenHash: hashSecret(token), createdBy: actor.userId });
    await appendEvents(tx, app.db.dialect, [
      {
        type: 'station.created',
        at,
        orderId: null,
        orderVersion: null,
        actor: eventActor(actor),
        data: { stationId: station.id, name, idleSeconds: station.idleSeconds },
      },
    ]);
  });
  return { station, token };
}

export async function stationsFor(app: AppContext, actor: Actor): Promise<Station[]> {
  requireAdmin(actor);
  return listStations(app.db.kysely);
}

/** Revokes a station: its token stops working and every session switched to on it ends at once. */
export async function revokeStationFor(app: AppContext, actor: Actor, id: string): Promise<{ sessionsEnded: number }> {
  requireAdmin(actor);
  const at = app.clock.now().toISOString();
  return transact(app, async (tx) => {
    const done = await revokeStation(tx, id, at);
    if (!done) throw notFound('station');
    await appendEvents(tx, app.db.dialect, [
      {
        type: 'station.revoked',
        at,
        orderId: null,
        orderVersion: null,
        actor: eventActor(actor),
        data: { stationId: id, sessionsEnded: done.sessionsEnded },
      },
    ]);
    return done;
  });
}

/** Sets (or, with null, removes) one's own station PIN; the current password proves it is them. */
export async function setOwnPin(
  app: AppContext,
  actor: Actor,
  input: { currentPassword: string; pin: string | null },
): Promise<{ hasPin: boolean }> {
  if (actor.kind === 'system' || !actor.userId) throw forbidden('Only a person has a station PIN');
  if (input.pin !== null) {
    const problem = pinProblem(input.pin);
    if (problem) throw validationFailed(`The PIN ${problem}`, [{ path: 'pin', message: problem }]);
  }
  await checkOwnPassword(app, actor.userId, input.currentPassword, 'currentPassword');
  await setPinHash(app.db.kysely, actor.userId, input.pin === null ? null : await hashPassword(input.pin));
  return { hasPin: input.pin !== null };
}

export async function hasOwnPin(app: AppContext, actor: Actor): Promise<boolean> {
  return actor.userId ? (await pinHashOf(app.db.kysely, actor.userId)) !== null : false;
}

/** The live station a device token belongs to, or a refusal that the device is no station (any more). */
export async function stationOfToken(app: AppContext, token: string | undefined): Promise<Station> {
  const station = token ? await stationByTokenHash(app.db.kysely, hashSecret(token)) : undefined;
  if (!station) throw new Problem('unauthenticated', 'This device is not a station, or its station was revoked');
  return station;
}

export async function stationPeople(app: AppContext, token: string | undefined) {
  const station = await stationOfToken(app, token);
  return { station: { name: station.name, idleSeconds: station.idleSeconds }, people: await peopleWithPin(app.db.kysely) };
}

/** Switches the station to a person by their PIN: a session of their own bound to the station, or a refusal. */
export async function switchAtStation(
  app: AppContext,
  token: string | undefined,
  input: { userId: string; pin: string },
  origin: SignInOrigin,
): Promise<Session> {
  const station = await stationOfToken(app, token);
  const now = app.clock.now();
  const user = await findUserById(app.db.kysely, input.userId).catch(() => undefined);
  const pinHash = user && user.disabledAt === null ? await pinHashOf(app.db.kysely, user.id) : null;
  const wrong = new Problem('unauthenticated', 'That PIN is wrong');
  if (!user || !pinHash) {
    // Spend the same time as a real check, so nobody learns who has a PIN from how fast the answer comes.
    await verifyPassword(input.pin, DUMMY_PASSWORD_HASH);
    throw wrong;
  }
  const { failures, lockedUntil } = await pinFailures(app.db.kysely, station.id, user.id);
  if (lockedUntil !== null && lockedUntil > now.toISOString()) {
    await logSignIn(app, { email: user.email, userId: user.id, outcome: 'station-pin-locked' }, origin);
    throw new Problem(
      'rate-limited',
      `Too many wrong PINs: ${user.name} is locked on this station until ${lockedUntil}. Sign in with a password, or wait.`,
    );
  }
  if (!(await verifyPassword(input.pin, pinHash))) {
    const count = lockedUntil !== null ? 1 : failures + 1;
    const lock = count >= PIN_TRIES ? new Date(now.getTime() + PIN_LOCK_MINUTES * 60_000).toISOString() : null;
    await savePinFailures(app.db.kysely, station.id, user.id, lock ? 0 : count, lock);
    await logSignIn(app, { email: user.email, userId: user.id, outcome: 'station-pin-failed' }, origin);
    throw wrong;
  }
  await clearPinFailures(app.db.kysely, station.id, user.id);
  await logSignIn(app, { email: user.email, userId: user.id, outcome: 'station-pin' }, origin);
  return startSession(app, user, { id: station.id, idleSeconds: station.idleSeconds });
}
