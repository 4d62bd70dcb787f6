// Two-factor sign-in for anyone who wants it: a TOTP app (otplib) enrolled with a QR code and confirmed with a code,
// recovery codes shown once and stored hashed, and codes that work once: a code of a time step already used, or
// of an earlier one, is refused.
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { findUserWithPassword } from '../store/access.ts';
import { appendEvents } from '../store/events.ts';
import {
  disableTwoFactor,
  enableTwoFactor,
  recoveryCodesLeft,
  replaceRecoveryCodes,
  setPendingSecret,
  spendRecoveryCode,
  spendTimeStep,
  twoFactorState,
} from '../store/two-factor.ts';
import { type Actor, type AppContext, eventActor, transact } from './context.ts';
import { Problem, validationFailed } from './problem.ts';
import { DUMMY_PASSWORD_HASH, hashSecret, newRecoveryCode, normalRecoveryCode, verifyPassword } from './secrets.ts';
import { automationSettings } from './settings.ts';

export const RECOVERY_CODE_COUNT = 10;
const PERIOD_SECONDS = 30;

/** Which time step a code belongs to, or null when it is wrong; one step either side of now is allowed for clock drift. */
export async function timeStepOf(secret: string, code: string, now: Date): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: PERIOD_SECONDS,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

/** Checks a code and spends its time step: true once per step, so a code seen over someone's shoulder is useless. */
export async function spendCode(app: AppContext, userId: string, code: string): Promise<boolean> {
  const state = await twoFactorState(app.db.kysely, userId);
  if (!state?.secret) return false;
  const step = await timeStepOf(state.secret, code, app.clock.now());
  if (step === null) return false;
  return spendTimeStep(app.db.kysely, userId, step);
}

export async function spendRecovery(app: AppContext, userId: string, code: string): Promise<boolean> {
  return spendRecoveryCode(app.db.kysely, userId, hashSecret(normalRecoveryCode(code)), app.clock.now().toISOString());
}

function signedInUser(actor: Actor): string {
  if (actor.kind === 'system' || !actor.userId) throw new Problem('forbidden', 'Only a person signs in with two factors');
  return actor.userId;
}

/** Your password again, before a change to how you sign in: a session left open on a shared screen is not enough. */
export async function checkOwnPassword(app: AppContext, userId: string, password: string, path = 'password'): Promise<void> {
  const found = await findUserWithPassword(app.db.kysely, userId);
  const ok = await verifyPassword(password, found?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!found || !ok)
    throw validationFailed('That is not your current password', [{ path, message: 'is not your current password' }]);
}

export interface Enrolment {
  secret: string;
  otpauthUrl: string;
  /** The otpauth URL as a QR code (SVG) for an authenticator app to scan. */
  qrSvg: string;
}

/** Starts enrolling an authenticator app: a new secret, not in use until a code from it confirms it. */
export async function startEnrolment(app: AppContext, actor: Actor, password: string): Promise<Enrolment> {
  const userId = signedInUser(actor);
  await checkOwnPassword(app, userId, password);
  const state = await twoFactorState(app.db.kysely, userId);
  if (state?.secret) throw new Problem('conflict', 'Two-factor sign-in is already on: turn it off first to enrol another app');
  const found = await findUserWithPassword(app.db.kysely, userId);
  const settings = await automationSettings(app);
  const secret = generateSecret();
  const otpauthUrl = generateURI({ issuer: `${settings.email.shopName} Floorboard`, label: found!.user.email, secret });
  await setPendingSecret(app.db.kysely, userId, secret);
  return { secret, otpauthUrl, qrSvg: await QRCode.toString(otpauthUrl, { type: 'svg', margin: 1 }) };
}

async function issueRecoveryCodes(tx: Parameters<typeof replaceRecoveryCodes>[0], userId: string, at: string) {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await replaceRecoveryCodes(
    tx,
    userId,
    codes.map((c) => hashSecret(normalRecoveryCode(c))),
    at,
  );
  return codes;
}

/** Confirms the app with a code from it: two-factor sign-in is on, and the recovery codes are shown this once. */
export async function confirmEnrolment(app: AppContext, actor: Actor, code: string): Promise<{ recoveryCodes: string[] }> {
  const userId = signedInUser(actor);
  const state = await twoFactorState(app.db.kysely, userId);
  if (state?.secret) throw new Problem('conflict', 'Two-factor sign-in is already on');
  if (!state?.pendingSecret) throw new Problem('conflict', 'Start enrolling an app first: no secret is waiting to be confirmed');
  const step = await timeStepOf(state.pendingSecret, code, app.clock.now());
  if (step === null) {
    throw validationFailed('That code is not the one the app shows now: check the time on the phone and try the next code', [
      { path: 'code', message: 'does not match' },
    ]);
  }
  const at = app.clock.now().toISOString();
  return transact(app, async (tx) => {
    await enableTwoFactor(tx, userId, state.pendingSecret!, step, at);
    const recoveryCodes = await issueRecoveryCodes(tx, userId, at);
    await appendEvents(tx, app.db.dialect, [
      {
        type: 'user.updated',
        at,
        orderId: null,
        orderVersion: null,
        actor: eventActor(actor),
        data: { userId, twoFactor: true },
      },
    ]);
    return { recoveryCodes };
  });
}

/** Turns two-factor sign-in off (your password again); the recovery codes go with it. */
export async function turnOffTwoFactor(app: AppContext, actor: Actor, password: string): Promise<void> {
  const userId = signedInUser(actor);
  await checkOwnPassword(app, userId, password);
  await disableForUser(app, actor, userId);
}

export async function disableForUser(app: AppContext, actor: Actor, userId: string): Promise<void> {
  const at = app.clock.now().toISOString();
  await transact(app, async (tx) => {
    await disableTwoFactor(tx, userId);
    await appendEvents(tx, app.db.dialect, [
      {
        type: 'user.updated',
        at,
        orderId: null,
        orderVersion: null,
        actor: eventActor(actor),
        data: { userId, twoFactor: false },
      },
    ]);
  });
}

/** New recovery codes in place of the old ones (your password again); shown this once. */
export async function renewRecoveryCodes(app: AppContext, actor: Actor, password: string): Promise<{ recoveryCodes: string[] }> {
  const userId = signedInUser(actor);
  const state = await twoFactorState(app.db.kysely, userId);
  if (!state?.secret) throw new Problem('conflict', 'Two-factor sign-in is off: there are no recovery codes to renew');
  await checkOwnPassword(app, userId, password);
  const at = app.clock.now().toISOString();
  return transact(app, async (tx) => ({ recoveryCodes: await issueRecoveryCodes(tx, userId, at) }));
}

export interface TwoFactorStatus {
  enabled: boolean;
  recoveryCodesLeft: number;
}

export async function twoFactorStatus(app: AppContext, actor: Actor): Promise<TwoFactorStatus> {
  const userId = signedInUser(actor);
  const state = await twoFactorState(app.db.kysely, userId);
  return {
    enabled: Boolean(state?.secret),
    recoveryCodesLeft: state?.secret ? await recoveryCodesLeft(app.db.kysely, userId) : 0,
  };
}
