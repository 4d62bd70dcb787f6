// People look after their own sign-in: their own name and password, "forgot password" by e-mail, an admin's reset
// and deactivation. Links carry at least 128 random bits, are stored hashed, work once and expire; a password
// change, a reset or a deactivation ends the person's other sessions (and a deactivation their API tokens) at once.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, PASSWORD, startHarness, writeCounts } from '../support/harness.ts';
import { type Inbox, startInbox } from '../support/inbox.ts';

let h: Harness;
let inbox: Inbox;
beforeAll(async () => {
  h = await startHarness();
  inbox = await startInbox();
});
afterAll(async () => {
  await h.close();
  await inbox.close();
});

let machine = 0;
/** Each call from a machine of its own: sign-in and the public link routes are limited per address. */
const from = () => {
  machine += 1;
  return `10.9.${Math.floor(machine / 250)}.${machine % 250}`;
};

function call(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}) {
  return h.server.inject({
    method,
    url: `/api/v1${url}`,
    headers,
    remoteAddress: from(),
    ...(payload ? { payload } : {}),
  });
}

interface Session {
  cookie: string;
  csrf: string;
}

async function signIn(email: string, password: string): Promise<Session> {
  const res = await call('POST', '/auth/login', { email, password });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'fb_session')!;
  return { cookie: `fb_session=${cookie.value}`, csrf: json<{ csrfToken: string }>(res).csrfToken };
}

const asSession = (s: Session, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  call(method, url, payload, { cookie: s.cookie, 'x-csrf-token': s.csrf });

const stillIn = async (s: Session) => (await asSession(s, 'GET', '/auth/me')).statusCode === 200;

let n = 0;
async function newPerson(role = 'production'): Promise<{ id: string; email: string }> {
  n += 1;
  const email = `person${n}@shop.example`;
  const res = await h.as('admin').post('/users', { email, name: `Person ${n}`, role, password: PASSWORD });
  expect(res.statusCode, res.body).toBe(201);
  return { id: json<{ id: string }>(res).id, email };
}

function expectProblem(res: LightMyRequestResponse, status: number, type: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(json(res)).toMatchObject({ type, status });
}

describe('your own account', () => {
  it('lets anyone change their own name without being an admin, and nothing else of theirs or anybody else', async () => {
    const renamed = await h.as('production').patch(`/users/${h.userIds.production}`, { name: 'Priya on the press' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(json(renamed)).toMatchObject({ name: 'Priya on the press', role: 'production' });
    expectProblem(await h.as('production').patch(`/users/${h.userIds.production}`, { role: 'admin' }), 403, 'forbidden');
    expectProblem(await h.as('production').patch(`/users/${h.userIds.production}`, { disabled: true }), 403, 'forbidden');
    expectProblem(
      await h.as('production').patch(`/users/${h.userIds.production}`, { password: 'no current password' }),
      403,
      'forbidden',
    );
    expectProblem(await h.as('production').patch(`/users/${h.userIds.sales}`, { name: 'Not mine' }), 403, 'forbidden');
    const me = json<{ user: { role: string; disabledAt: string | null } }>(await h.as('production').get('/auth/me'));
    expect(me.user).toMatchObject({ role: 'production', disabledAt: null });
  });

  it('changes the password only with the current one, and ends every other session but this one', async () => {
    const person = await newPerson();
    const here = await signIn(person.email, PASSWORD);
    const elsewhere = await signIn(person.email, PASSWORD);

    const before = await writeCounts(h.db);
    const wrong = await asSession(here, 'POST', '/auth/password', {
      currentPassword: 'not my password',
      newPassword: 'a new secret',
    });
    expectProblem(wrong, 400, 'validation-failed');
    expect(JSON.stringify(json(wrong).errors)).toContain('currentPassword');
    const short = await asSession(here, 'POST', '/auth/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expectProblem(short, 400, 'validation-failed');
    expect(await writeCounts(h.db)).toEqual(before);
    expect(await stillIn(elsewhere)).toBe(true);

    const changed = await asSession(here, 'POST', '/auth/password', { currentPassword: PASSWORD, newPassword: 'a new secret' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(json(changed)).toEqual({ sessionsEnded: 1 });
    expect(await stillIn(here)).toBe(true);
    expect(await stillIn(elsewhere)).toBe(false);
    expectProblem(await call('POST', '/auth/login', { email: person.email, password: PASSWORD }), 401, 'unauthenticated');
    await signIn(person.email, 'a new secret');
  });

  it('is refused to a cookie write without the CSRF token', async () => {
    const person = await newPerson();
    const s = await signIn(person.email, PASSWORD);
    const res = await call(
      'POST',
      '/auth/password',
      { currentPassword: PASSWORD, newPassword: 'sneaky new one' },
      { cookie: s.cookie },
    );
    expectProblem(res, 403, 'forbidden');
    await signIn(person.email, PASSWORD);
  });
});

describe('deactivating someone', () => {
  it('ends their sessions and API tokens at once, and enabling them again brings neither back', async () => {
    const person = await newPerson('sales');
    const session = await signIn(person.email, PASSWORD);
    const token = json<{ token: string }>(await h.as('admin').post('/tokens', { userId: person.id, label: 'script' })).token;
    const bearer = { authorization: `Bearer ${token}` };
    expect((await h.as(null).get('/orders', bearer)).statusCode).toBe(200);

    const off = await h.as('admin').patch(`/users/${person.id}`, { disabled: true });
    expect(off.statusCode, off.body).toBe(200);
    expect(await stillIn(session)).toBe(false);
    expectProblem(await h.as(null).get('/orders', bearer), 401, 'unauthenticated');
    const tokens = json<{ items: Array<{ revokedAt: string | null }> }>(await h.as('admin').get(`/tokens?userId=${person.id}`));
    expect(tokens.items.every((t) => t.revokedAt !== null)).toBe(true);

    expect((await h.as('admin').patch(`/users/${person.id}`, { disabled: false })).statusCode).toBe(200);
    expect(await stillIn(session)).toBe(false);
    expectProblem(await h.as(null).get('/orders', bearer), 401, 'unauthenticated');
    await signIn(person.email, PASSWORD);
  });
});

describe('an admin resetting a password', () => {
  it('is for admins only', async () => {
    const person = await newPerson();
    for (const role of ['manager', 'production'] as const) {
      expectProblem(await h.as(role).post(`/users/${person.id}/password-reset`), 403, 'forbidden');
    }
    await signIn(person.email, PASSWORD);
  });

  it('stops the old password and every session at once and gives a link that works once, for a day', async () => {
    const person = await newPerson();
    const session = await signIn(person.email, PASSWORD);
    const res = await h.as('admin').post(`/users/${person.id}/password-reset`);
    expect(res.statusCode, res.body).toBe(200);
    const issued = json<{ link: string; emailed: boolean }>(res);
    // No e-mail is set up in this part: the admin gets the link to pass on.
    expect(issued.emailed).toBe(false);
    const token = issued.link.split('/reset-password/')[1]!;
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(await stillIn(session)).toBe(false);
    expectProblem(await call('POST', '/auth/login', { email: person.email, password: PASSWORD }), 401, 'unauthenticated');

    expect(json(await call('GET', `/auth/password-reset/${token}`))).toMatchObject({ email: person.email });
    const done = await call('POST', `/auth/password-reset/${token}`, { password: 'chosen by me' });
    expect(done.statusCode, done.body).toBe(200);
    // It signs nobody in: the person signs in with the password they chose.
    expect(done.cookies.find((c) => c.name === 'fb_session')).toBeUndefined();
    await signIn(person.email, 'chosen by me');
    expectProblem(await call('POST', `/auth/password-reset/${token}`, { password: 'someone else again' }), 404, 'not-found');
    await signIn(person.email, 'chosen by me');

    const later = json<{ link: string }>(await h.as('admin').post(`/users/${person.id}/password-reset`));
    h.clock.advanceHours(24);
    expectProblem(await call('GET', `/auth/password-reset/${later.link.split('/reset-password/')[1]}`), 404, 'not-found');
  });
});

describe('forgot password', () => {
  beforeAll(async () => {
    const res = await h.as('admin').put('/settings', {
      email: { smtpUrl: inbox.url, from: 'Harbour Print <orders@print.example>', shopName: 'Harbour Print' },
      publicUrl: 'https://floorboard.print.example',
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  const ask = (email: string) => call('POST', '/auth/password-reset', { email });
  const linkIn = (text: string) => /https:\/\/floorboard\.print\.example\/reset-password\/([A-Za-z0-9_-]+)/.exec(text)?.[1];

  it('answers alike whether the address has an account or not, and mails a link only to one that has', async () => {
    const person = await newPerson();
    const known = await ask(person.email);
    const unknown = await ask('nobody-here@shop.example');
    expect(known.statusCode).toBe(202);
    expect({ status: unknown.statusCode, body: unknown.body }).toEqual({ status: known.statusCode, body: known.body });
    const mail = await inbox.waitFor(person.email);
    expect(mail.subject).toContain('Harbour Print');
    expect(linkIn(mail.text)).toBeDefined();
    // The other request went nowhere; the person's came first, so by now the other had its chance.
    await ask(person.email);
    expect(inbox.mails.some((m) => m.to.includes('nobody-here@shop.example'))).toBe(false);
  });

  it('sends a link of at least 128 random bits, stored only as a hash, that works once and ends every session', async () => {
    const person = await newPerson();
    const session = await signIn(person.email, PASSWORD);
    await ask(person.email);
    const token = linkIn((await inbox.waitFor(person.email)).text)!;
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    const stored = JSON.stringify(await h.db.kysely.selectFrom('password_resets').selectAll().execute());
    expect(stored).not.toContain(token);
    // Asking does not change the password or end anything: only using the link does.
    expect(await stillIn(session)).toBe(true);

    const [first, second] = await Promise.all([
      call('POST', `/auth/password-reset/${token}`, { password: 'first new password' }),
      call('POST', `/auth/password-reset/${token}`, { password: 'second new password' }),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 404]);
    expect(await stillIn(session)).toBe(false);
    const winner = first.statusCode === 200 ? 'first new password' : 'second new password';
    await signIn(person.email, winner);
    expectProblem(await call('POST', `/auth/password-reset/${token}`, { password: 'third new password' }), 404, 'not-found');
  });

  it('expires the link after an hour, and a newer link replaces an older one', async () => {
    const person = await newPerson();
    await ask(person.email);
    const old = linkIn((await inbox.waitFor(person.email)).text)!;
    h.clock.advanceHours(0.5);
    await ask(person.email);
    const newer = linkIn((await inbox.waitFor(person.email, (m) => linkIn(m.text) !== old)).text)!;
    expectProblem(await call('GET', `/auth/password-reset/${old}`), 404, 'not-found');
    expect((await call('GET', `/auth/password-reset/${newer}`)).statusCode).toBe(200);
    h.clock.advanceHours(1);
    expectProblem(await call('POST', `/auth/password-reset/${newer}`, { password: 'too late now' }), 404, 'not-found');
    await signIn(person.email, PASSWORD);
  });

  it('answers alike for a link unknown, used, replaced or expired', async () => {
    const answers = await Promise.all(
      ['A'.repeat(43), 'short', 'x'.repeat(200)].map((t) =>
        call('POST', `/auth/password-reset/${t}`, { password: 'whatever it is' }),
      ),
    );
    expect(new Set(answers.map((a) => `${a.statusCode} ${a.body}`)).size).toBe(1);
    expect(answers[0]!.statusCode).toBe(404);
  });

  it('is rate-limited per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await h.server.inject({
        method: 'POST',
        url: '/api/v1/auth/password-reset',
        payload: { email: `flood${i}@shop.example` },
        remoteAddress: '10.200.0.1',
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it('is in the sign-in log, with the password reset that followed', async () => {
    const person = await newPerson();
    await ask(person.email);
    const token = linkIn((await inbox.waitFor(person.email)).text)!;
    expect((await call('POST', `/auth/password-reset/${token}`, { password: 'logged reset' })).statusCode).toBe(200);
    const log = json<{ items: Array<{ outcome: string }> }>(await h.as('admin').get(`/audit/sign-ins?userId=${person.id}`));
    expect(log.items.map((i) => i.outcome)).toEqual(['password-reset', 'reset-requested']);
  });
});
