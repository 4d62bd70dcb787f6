// Two-factor sign-in for anyone: enrolled with the password and a code from the app, then every sign-in asks for a
// code in a second step that alone makes a session. A code works once (±1 time step for clock drift), recovery
// codes are stored hashed and work once, and too many wrong codes end the second step.
import type { LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, PASSWORD, startHarness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

let machine = 0;
function call(method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) {
  machine += 1;
  return h.server.inject({
    method,
    url: `/api/v1${url}`,
    headers,
    remoteAddress: `10.8.${Math.floor(machine / 250)}.${machine % 250}`,
    ...(payload ? { payload } : {}),
  });
}

function expectProblem(res: LightMyRequestResponse, status: number, type: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(json(res)).toMatchObject({ type, status });
}

/** The code the app shows `steps` time steps from the test's clock. */
const codeAt = (secret: string, steps = 0) =>
  generate({ secret, epoch: Math.floor(h.clock.now().getTime() / 1000) + steps * 30 });

let n = 0;
/** A new person with two-factor sign-in on: their id, e-mail, secret and recovery codes. */
async function enrolled() {
  n += 1;
  const email = `twofactor${n}@shop.example`;
  const user = json<{ id: string }>(
    await h.as('admin').post('/users', { email, name: `Two ${n}`, role: 'production', password: PASSWORD }),
  );
  const token = json<{ token: string }>(await h.as('admin').post('/tokens', { userId: user.id, label: 'me' })).token;
  const me = { authorization: `Bearer ${token}` };
  const setup = await call('POST', '/auth/two-factor/setup', { password: PASSWORD }, me);
  expect(setup.statusCode, setup.body).toBe(200);
  const { secret } = json<{ secret: string }>(setup);
  const confirmed = await call('POST', '/auth/two-factor/confirm', { code: await codeAt(secret) }, me);
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  // The confirming code's step is spent: sign-ins in these tests start a step later.
  h.clock.advanceHours(30 / 3600);
  return { id: user.id, email, secret, me, recoveryCodes: json<{ recoveryCodes: string[] }>(confirmed).recoveryCodes };
}

async function firstStep(email: string): Promise<string> {
  const res = await call('POST', '/auth/login', { email, password: PASSWORD });
  expect(res.statusCode, res.body).toBe(200);
  // The password alone makes no session.
  expect(res.cookies.find((c) => c.name === 'fb_session')).toBeUndefined();
  const body = json<{ twoFactorRequired: boolean; challenge: string; user?: unknown }>(res);
  expect(body.twoFactorRequired).toBe(true);
  expect(body.user).toBeUndefined();
  return body.challenge;
}

const secondStep = (challenge: string, proof: { code: string } | { recoveryCode: string }) =>
  call('POST', '/auth/login/second-step', { challenge, ...proof });

const sessionOf = (res: LightMyRequestResponse) => res.cookies.find((c) => c.name === 'fb_session')?.value;

describe('enrolling', () => {
  it('asks for the password, shows a secret and QR code, and turns on only once a code from the app confirms it', async () => {
    const me = { authorization: `Bearer ${h.tokens.sales}` };
    expectProblem(await call('POST', '/auth/two-factor/setup', { password: 'not it' }, me), 400, 'validation-failed');
    const setup = json<{ secret: string; otpauthUrl: string; qrSvg: string }>(
      await call('POST', '/auth/two-factor/setup', { password: PASSWORD }, me),
    );
    expect(setup.otpauthUrl).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(setup.qrSvg).toContain('<svg');
    expect(Buffer.from(setup.secret.replace(/=+$/, ''), 'ascii').length * 5).toBeGreaterThanOrEqual(128);
    // Not on yet: the password alone still signs in.
    expect(
      sessionOf(await call('POST', '/auth/login', { email: 'sales@test.floorboard.test', password: PASSWORD })),
    ).toBeDefined();
    expectProblem(await call('POST', '/auth/two-factor/confirm', { code: '000000' }, me), 400, 'validation-failed');
    expect(json(await call('GET', '/auth/two-factor', undefined, me))).toEqual({ enabled: false, recoveryCodesLeft: 0 });

    const confirmed = await call('POST', '/auth/two-factor/confirm', { code: await codeAt(setup.secret) }, me);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const codes = json<{ recoveryCodes: string[] }>(confirmed).recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(json(await call('GET', '/auth/two-factor', undefined, me))).toEqual({ enabled: true, recoveryCodesLeft: 10 });
    // Stored only as hashes, and the answer is never repeated.
    const stored = JSON.stringify(await h.db.kysely.selectFrom('recovery_codes').selectAll().execute());
    for (const c of codes) expect(stored).not.toContain(c);
    expect(json(await h.as('admin').get(`/users/${h.userIds.sales}`))).toMatchObject({ twoFactor: true });
  });
});

describe('signing in with two factors', () => {
  it('needs a current code in a second step, and a code works once', async () => {
    const p = await enrolled();
    const challenge = await firstStep(p.email);
    const code = await codeAt(p.secret);
    const done = await secondStep(challenge, { code });
    expect(done.statusCode, done.body).toBe(200);
    expect(sessionOf(done)).toBeDefined();
    expect(json(done)).toMatchObject({ user: { email: p.email } });
    // The same code again, in a new sign-in in the same window: refused.
    const again = await firstStep(p.email);
    expectProblem(await secondStep(again, { code }), 401, 'unauthenticated');
    // A second step once used makes no second session, whatever the code.
    expectProblem(await secondStep(challenge, { code: await codeAt(p.secret, 1) }), 401, 'unauthenticated');
  });

  it('allows one time step of clock drift either way, and no more', async () => {
    const p = await enrolled();
    const challenge = await firstStep(p.email);
    expectProblem(await secondStep(challenge, { code: await codeAt(p.secret, -2) }), 401, 'unauthenticated');
    expectProblem(await secondStep(challenge, { code: await codeAt(p.secret, 2) }), 401, 'unauthenticated');
    expect((await secondStep(challenge, { code: await codeAt(p.secret, 1) })).statusCode).toBe(200);
    // After a code of the next step, this step's code is an older one: refused.
    const next = await firstStep(p.email);
    expectProblem(await secondStep(next, { code: await codeAt(p.secret) }), 401, 'unauthenticated');
  });

  it('takes a recovery code once, however it is typed', async () => {
    const p = await enrolled();
    const [code] = p.recoveryCodes;
    const typed = ` ${code!.toUpperCase().replaceAll('-', ' ')} `;
    const done = await secondStep(await firstStep(p.email), { recoveryCode: typed });
    expect(done.statusCode, done.body).toBe(200);
    expectProblem(await secondStep(await firstStep(p.email), { recoveryCode: code! }), 401, 'unauthenticated');
    expect(json(await call('GET', '/auth/two-factor', undefined, p.me))).toEqual({ enabled: true, recoveryCodesLeft: 9 });
  });

  it('ends the second step after five wrong codes, and after five minutes', async () => {
    const p = await enrolled();
    const challenge = await firstStep(p.email);
    for (let i = 0; i < 5; i++) expectProblem(await secondStep(challenge, { code: '000000' }), 401, 'unauthenticated');
    expectProblem(await secondStep(challenge, { code: await codeAt(p.secret) }), 401, 'unauthenticated');

    const slow = await firstStep(p.email);
    h.clock.advanceHours(6 / 60);
    expectProblem(await secondStep(slow, { code: await codeAt(p.secret) }), 401, 'unauthenticated');
  });

  it('keeps every step in the sign-in log', async () => {
    const p = await enrolled();
    const challenge = await firstStep(p.email);
    await secondStep(challenge, { code: '123456' });
    await secondStep(challenge, { code: await codeAt(p.secret) });
    await secondStep(await firstStep(p.email), { recoveryCode: p.recoveryCodes[1]! });
    const log = json<{ items: Array<{ outcome: string }> }>(await h.as('admin').get(`/audit/sign-ins?userId=${p.id}`));
    expect(log.items.map((i) => i.outcome)).toEqual([
      'recovery-code',
      'code-required',
      'success',
      'code-failed',
      'code-required',
    ]);
  });
});

describe('turning two-factor sign-in off', () => {
  it('takes the password; an admin may turn it off for someone who lost their phone and codes', async () => {
    const p = await enrolled();
    expectProblem(await call('POST', '/auth/two-factor/disable', { password: 'not it' }, p.me), 400, 'validation-failed');
    expect((await call('POST', '/auth/two-factor/recovery-codes', { password: PASSWORD }, p.me)).statusCode).toBe(200);
    expect((await call('POST', '/auth/two-factor/disable', { password: PASSWORD }, p.me)).statusCode).toBe(204);
    expect(sessionOf(await call('POST', '/auth/login', { email: p.email, password: PASSWORD }))).toBeDefined();

    const q = await enrolled();
    expectProblem(await h.as('manager').patch(`/users/${q.id}`, { twoFactor: false }), 403, 'forbidden');
    expect((await h.as('admin').patch(`/users/${q.id}`, { twoFactor: false })).statusCode).toBe(200);
    expect(sessionOf(await call('POST', '/auth/login', { email: q.email, password: PASSWORD }))).toBeDefined();
    expect(await h.db.kysely.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', q.id).execute()).toEqual([]);
  });
});
