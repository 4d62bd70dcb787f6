// Shared station tablets: an admin registers a station (its token shown once, stored hashed); people set their own
// PIN; switching with the right PIN gives a session of that person (their moves record them, not the device), five
// wrong PINs lock them on that station, an idle station session ends, and revoking a station ends its sessions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, newOrder, PASSWORD, startHarness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

let machine = 0;
/** Each call from a machine of its own: the tablet's routes are limited per address. */
const from = () => {
  machine += 1;
  return `10.8.${Math.floor(machine / 250)}.${machine % 250}`;
};

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const call = (method: Method, url: string, payload?: object, headers: Record<string, string> = {}) =>
  h.server.inject({ method, url: `/api/v1${url}`, headers, remoteAddress: from(), ...(payload ? { payload } : {}) });

interface Session {
  cookie: string;
  csrf: string;
}
const asSession = (s: Session, method: Method, url: string, payload?: object) =>
  call(method, url, payload, { cookie: s.cookie, 'x-csrf-token': s.csrf });

let n = 0;
async function newPerson(): Promise<{ id: string; name: string; session: Session }> {
  n += 1;
  const email = `floor${n}@shop.example`;
  const res = await h.as('admin').post('/users', { email, name: `Floor ${n}`, role: 'sales', password: PASSWORD });
  expect(res.statusCode, res.body).toBe(201);
  const login = await call('POST', '/auth/login', { email, password: PASSWORD });
  expect(login.statusCode, login.body).toBe(200);
  const cookie = login.cookies.find((c) => c.name === 'fb_session')!;
  return {
    id: json<{ id: string }>(res).id,
    name: `Floor ${n}`,
    session: { cookie: `fb_session=${cookie.value}`, csrf: json<{ csrfToken: string }>(login).csrfToken },
  };
}

async function newStation(idleSeconds = 300): Promise<{ id: string; token: string }> {
  const res = await h.as('admin').post('/stations', { name: `Packing ${++n}`, idleSeconds });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ id: string; token: string }>(res);
}

/** Switches a station (by its device cookie) to a person; the answer as it came. */
const switchTo = (token: string, userId: string, pin: string) =>
  call('POST', '/station/switch', { userId, pin }, { cookie: `fb_station=${token}` });

function sessionOf(res: Awaited<ReturnType<typeof call>>): Session {
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'fb_session')!;
  return { cookie: `fb_session=${cookie.value}`, csrf: json<{ csrfToken: string }>(res).csrfToken };
}

const stillIn = async (s: Session) => (await asSession(s, 'GET', '/auth/me')).statusCode === 200;

describe('stations', () => {
  it("shows a station's token once, stores only its hash, and pairs a device with it", async () => {
    const station = await newStation();
    expect(station.token.length).toBeGreaterThanOrEqual(22); // at least 128 bits in base64url
    const listed = (await h.as('admin').get('/stations')).body;
    expect(listed).toContain(station.id);
    expect(listed).not.toContain(station.token);
    const row = await h.app.db.kysely.selectFrom('stations').selectAll().where('id', '=', station.id).executeTakeFirstOrThrow();
    expect(row.token_hash).not.toBe(station.token);
    expect(row.token_hash).not.toContain(station.token);

    const pair = await call('POST', '/station/pair', { token: station.token });
    expect(pair.statusCode, pair.body).toBe(200);
    expect(pair.cookies.find((c) => c.name === 'fb_station')?.value).toBe(station.token);
    expect((await call('POST', '/station/pair', { token: `${station.token}x` })).statusCode).toBe(401);
    expect((await h.as('manager').post('/stations', { name: 'Mine', idleSeconds: 300 })).statusCode).toBe(403);
    const tooShort = await h.as('admin').post('/stations', { name: 'Quick', idleSeconds: 5 });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.body).toContain('idleSeconds');
  });

  it('lets a person set their own PIN with their password, refusing trivial ones', async () => {
    const person = await newPerson();
    for (const pin of ['0000', '1234', '12', '12345678901', 'abcd']) {
      const res = await asSession(person.session, 'PUT', '/auth/pin', { currentPassword: PASSWORD, pin });
      expect(res.statusCode, pin).toBe(400);
      expect(res.body).toContain('pin');
    }
    const wrongPassword = await asSession(person.session, 'PUT', '/auth/pin', { currentPassword: 'nope', pin: '2580' });
    expect(wrongPassword.statusCode).toBe(400);
    expect(json<{ hasPin: boolean }>(await asSession(person.session, 'GET', '/auth/pin')).hasPin).toBe(false);
    const ok = await asSession(person.session, 'PUT', '/auth/pin', { currentPassword: PASSWORD, pin: '2580' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json<{ hasPin: boolean }>(await asSession(person.session, 'GET', '/auth/pin')).hasPin).toBe(true);
    const row = await h.app.db.kysely
      .selectFrom('users')
      .select('pin_hash')
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(row.pin_hash).toMatch(/^scrypt\$/);
  });

  it('switches to the person whose PIN it is, and their moves record them', async () => {
    const station = await newStation();
    const a = await newPerson();
    const b = await newPerson();
    await asSession(a.session, 'PUT', '/auth/pin', { currentPassword: PASSWORD, pin: '4711' });
    await asSession(b.session, 'PUT', '/auth/pin', { currentPassword: PASSWORD, pin: '8642' });
    const people = json<{ people: Array<{ id: string; name: string }> }>(
      await call('GET', '/station/people', undefined, { cookie: `fb_station=${station.token}` }),
    ).people;
    expect(people.map((p) => p.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await call('GET', '/station/people')).statusCode).toBe(401);

    // B's PIN does not open A.
    expect((await switchTo(station.token, a.id, '8642')).statusCode).toBe(401);
    const asA = sessionOf(await switchTo(station.token, a.id, '4711'));
    const order = json<{ number: string }>(await h.as('sales').post('/orders', newOrder()));
    const moved = await asSession(asA, 'POST', `/orders/${order.number}/transitions`, { to: 'proof_approval' });
    expect(moved.statusCode, moved.body).toBe(200);
    const events = json<{ items: Array<{ type: string; actor: { id: string | null; name: string } }> }>(
      await h.as('admin').get(`/orders/${order.number}/events`),
    ).items;
    const move = events.find((e) => e.type !== 'order.created');
    expect(move?.actor).toMatchObject({ id: a.id, name: a.name });

    const signedOut = await call('POST', '/station/sign-out', undefined, { cookie: asA.cookie });
    expect(signedOut.statusCode).toBe(204);
    expect(await stillIn(asA)).toBe(false);
  });

  it('locks a person on a station after five wrong PINs, and logs each in the sign-in log', async () => {
    const station = await newStation();
    const other = await newStation();
    const person = await newPerson();
    await asSession(person.session, 'PUT', '/auth/pin', { currentPassword: PASSWORD, pin: '3141' });
    for (let i = 0; i < 5; i++) expect((await switchTo(station.token, person.id, '9999')).statusCode).toBe(401);
    const locked = await switchTo(station.token, person.id, '3141');
    expect(locked.statusCode).toBe(429);
    // Locked on that station only; and the lock passes with time.
    expect((await switchTo(other.token, person.id, '3141')).statusCode).toBe(200);
    h.clock.set(new Date(h.clock.now().getTime() + 11 * 60_000));
    expect((await switchTo(station.token, person.id, '3141')).statusCode).toBe(200);

    const log = json<{ items: Array<{ outcome: string }> }>(await h.as('admin').get(`/audit/sign-ins?userId=${person.id}`));
    const outcomes = log.items.map((e) => e.outcome);
    expect(outcomes.filter((o) => o === 'station-pin-failed')).toHaveLength(5);
    expect(outcomes).toContain('station-pin-locked');
    expect(outcomes).toContain('station-pin');
  });

  it('ends a station session after its idle time without a request; requests keep it going', async () => {
    const station = await newStation(60);
    const person = await newPerson();
    await asSession(person.session, 'PUT', '/auth/pin', { currentPassword: PASSWORD, pin: '2468' });
    const s = sessionOf(await switchTo(station.token, person.id, '2468'));
    const later = (seconds: number) => h.clock.set(new Date(h.clock.now().getTime() + seconds * 1000));
    later(45);
    expect(await stillIn(s)).toBe(true);
    later(45); // 90 s since switching, 45 s since the last request
    expect(await stillIn(s)).toBe(true);
    later(61);
    expect(await stillIn(s)).toBe(false);
    // A session signed in with a password is not bound by a station's idle time.
    expect(await stillIn(person.session)).toBe(true);
  });

  it('ends every session made through a station when it is revoked, and its token stops working', async () => {
    const station = await newStation();
    const person = await newPerson();
    await asSession(person.session, 'PUT', '/auth/pin', { currentPassword: PASSWORD, pin: '1357' });
    const s = sessionOf(await switchTo(station.token, person.id, '1357'));
    expect(await stillIn(s)).toBe(true);
    const revoked = await h.as('admin').delete(`/stations/${station.id}`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(json<{ sessionsEnded: number }>(revoked).sessionsEnded).toBe(1);
    expect(await stillIn(s)).toBe(false);
    expect(await stillIn(person.session)).toBe(true);
    expect((await switchTo(station.token, person.id, '1357')).statusCode).toBe(401);
    expect((await h.as('admin').delete(`/stations/${station.id}`)).statusCode).toBe(404);
  });
});
