// Who may do what: sign-in by token or session cookie, the Roles table of API.md, hidden fields, and secrets kept secret.
import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { ROLES, type Role } from '../../src/domain/roles.ts';
import { buildServer } from '../../src/http/server.ts';
import { emailOf, type Harness, json, newOrder, PASSWORD, startHarness, testDbKind, writeCounts } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const EDITORS: Role[] = ['admin', 'manager', 'sales', 'service'];
const PRICE_READERS: Role[] = ['sales', 'finance', 'manager', 'admin'];

/** An order any editor may create: no unit price, which only some roles may set. */
const plainOrder = (overrides: Record<string, unknown> = {}) =>
  newOrder({ fields: { garment: 'T-shirt', quantity: 12, artwork_url: 'https://files.example/a.pdf' }, ...overrides });

function expectProblem(res: LightMyRequestResponse, status: number, type: string) {
  expect(res.statusCode, `${res.statusCode} ${res.body}`).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(json(res)).toMatchObject({ type, status, detail: expect.any(String) });
}

interface Session {
  cookie: string;
  sessionId: string;
  csrfToken: string;
  res: LightMyRequestResponse;
}

let machine = 0;
/** Sign-in is rate limited per address: each sign-in here comes from a machine of its own. */
function login(email: string, password: string) {
  machine += 1;
  return h.server.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
    remoteAddress: `10.0.${Math.floor(machine / 250)}.${machine % 250}`,
  });
}

async function signIn(email: string, password: string): Promise<Session> {
  const res = await login(email, password);
  expect(res.statusCode, res.body).toBe(200);
  const session = res.cookies.find((c) => c.name === 'fb_session');
  expect(session?.value).toEqual(expect.any(String));
  return {
    cookie: `fb_session=${session!.value}`,
    sessionId: session!.value,
    csrfToken: json<{ csrfToken: string }>(res).csrfToken,
    res,
  };
}

async function created(role: Role = 'sales', body = newOrder()) {
  const res = await h.as(role).post('/orders', body);
  expect(res.statusCode, res.body).toBe(201);
  return json<{ id: string; number: string; fields: Record<string, unknown> }>(res);
}

describe('signing in with a token', () => {
  it('refuses a request without credentials as unauthenticated, and it changes nothing', async () => {
    const before = await writeCounts(h.db);
    expectProblem(await h.as(null).get('/orders'), 401, 'unauthenticated');
    expectProblem(await h.as(null).post('/orders', plainOrder()), 401, 'unauthenticated');
    expectProblem(await h.as(null).get('/board?workflow=custom-apparel'), 401, 'unauthenticated');
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('refuses a token it never issued, and an Authorization header that is not a bearer token', async () => {
    expectProblem(await h.as(null).get('/orders', { authorization: 'Bearer fb_not-a-real-token' }), 401, 'unauthenticated');
    expectProblem(await h.as(null).get('/orders', { authorization: `Token ${h.tokens.admin}` }), 401, 'unauthenticated');
    expectProblem(await h.as(null).get('/orders', { authorization: 'Bearer' }), 401, 'unauthenticated');
    // A wrong token is not excused by a valid session cookie: the header wins.
    const session = await signIn(emailOf('viewer'), PASSWORD);
    expectProblem(
      await h.as(null).get('/orders', { authorization: 'Bearer fb_wrong', cookie: session.cookie }),
      401,
      'unauthenticated',
    );
  });

  it('stops accepting a token once it is revoked', async () => {
    const issued = json<{ id: string; token: string }>(await h.as('production').post('/tokens', { label: 'shop-floor tablet' }));
    const tablet = { authorization: `Bearer ${issued.token}` };
    expect((await h.as(null).get('/orders', tablet)).statusCode).toBe(200);

    const revoked = await h.as('production').delete(`/tokens/${issued.id}`);
    expect(revoked.statusCode).toBe(200);
    expect(json(revoked).revokedAt).toBe(h.clock.now().toISOString());
    expectProblem(await h.as(null).get('/orders', tablet), 401, 'unauthenticated');
    // The user's other tokens keep working.
    expect((await h.as('production').get('/orders')).statusCode).toBe(200);
  });

  it('stops accepting a token once it has expired', async () => {
    const expiresAt = new Date(h.clock.now().getTime() + 3_600_000).toISOString();
    const issued = json<{ token: string; expiresAt: string }>(
      await h.as('fulfillment').post('/tokens', { label: 'one hour', expiresAt }),
    );
    expect(issued.expiresAt).toBe(expiresAt);
    const auth = { authorization: `Bearer ${issued.token}` };
    expect((await h.as(null).get('/orders', auth)).statusCode).toBe(200);
    h.clock.advanceHours(1);
    expectProblem(await h.as(null).get('/orders', auth), 401, 'unauthenticated');
  });

  it('refuses to issue a token that has already expired', async () => {
    const before = await writeCounts(h.db);
    const res = await h.as('sales').post('/tokens', { expiresAt: new Date(h.clock.now().getTime() - 1000).toISOString() });
    expectProblem(res, 400, 'validation-failed');
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it("stops accepting a disabled user's tokens and password", async () => {
    const user = json<{ id: string }>(
      await h
        .as('admin')
        .post('/users', { email: 'leaver@test.floorboard.test', name: 'Leaver', role: 'sales', password: PASSWORD }),
    );
    const token = json<{ token: string }>(await h.as('admin').post('/tokens', { userId: user.id, label: 'leaver' })).token;
    expect((await h.as(null).get('/orders', { authorization: `Bearer ${token}` })).statusCode).toBe(200);
    expect((await h.as('admin').patch(`/users/${user.id}`, { disabled: true })).statusCode).toBe(200);
    expectProblem(await h.as(null).get('/orders', { authorization: `Bearer ${token}` }), 401, 'unauthenticated');
    expectProblem(await login('leaver@test.floorboard.test', PASSWORD), 401, 'unauthenticated');
  });
});

describe('signing in to the web app', () => {
  it('sets an HttpOnly session cookie and answers with the user and a CSRF token', async () => {
    const session = await signIn(emailOf('sales'), PASSWORD);
    const cookie = session.res.cookies.find((c) => c.name === 'fb_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(String(cookie.sameSite).toLowerCase()).toBe('lax');
    expect(cookie.path).toBe('/');
    expect(json(session.res)).toEqual({
      user: expect.objectContaining({ id: h.userIds.sales, email: emailOf('sales'), role: 'sales' }),
      csrfToken: expect.stringMatching(/^.{32,}$/),
      // The web app writes every date the workspace's way: the harness's workspace is British English on UTC.
      workspace: { locale: 'en-GB', timeZone: 'UTC' },
    });

    const me = await h.as(null).get('/auth/me', { cookie: session.cookie });
    expect(me.statusCode).toBe(200);
    expect(json(me)).toMatchObject({ user: { id: h.userIds.sales }, csrfToken: session.csrfToken });
    expect((await h.as(null).get('/orders', { cookie: session.cookie })).statusCode).toBe(200);
  });

  it('tells the web app whether anyone is signed in without a 401, while /auth/me keeps its 401', async () => {
    const nobody = await h.as(null).get('/auth/session');
    expect(nobody.statusCode).toBe(200);
    expect(json(nobody)).toEqual({ user: null, csrfToken: null, workspace: null });
    expectProblem(await h.as(null).get('/auth/me'), 401, 'unauthenticated');

    const session = await signIn(emailOf('sales'), PASSWORD);
    const signedIn = await h.as(null).get('/auth/session', { cookie: session.cookie });
    expect(signedIn.statusCode).toBe(200);
    expect(json(signedIn)).toMatchObject({
      user: { id: h.userIds.sales, role: 'sales' },
      csrfToken: session.csrfToken,
      workspace: { locale: 'en-GB', timeZone: 'UTC' },
    });

    await h.as(null).post('/auth/logout', undefined, { cookie: session.cookie });
    const ended = await h.as(null).get('/auth/session', { cookie: session.cookie });
    expect(ended.statusCode).toBe(200);
    expect(json(ended)).toEqual({ user: null, csrfToken: null, workspace: null });
  });

  it('refuses a cookie-authenticated write without the x-csrf-token header, and accepts it with the header', async () => {
    const session = await signIn(emailOf('service'), PASSWORD);
    const before = await writeCounts(h.db);
    expectProblem(await h.as(null).post('/orders', plainOrder(), { cookie: session.cookie }), 403, 'forbidden');
    expectProblem(
      await h.as(null).post('/orders', plainOrder(), { cookie: session.cookie, 'x-csrf-token': 'guessed' }),
      403,
      'forbidden',
    );
    expect(await writeCounts(h.db)).toEqual(before);

    const ok = await h.as(null).post('/orders', plainOrder(), { cookie: session.cookie, 'x-csrf-token': session.csrfToken });
    expect(ok.statusCode, ok.body).toBe(201);
    const number = json<{ number: string }>(ok).number;
    const events = json<{ items: Array<{ type: string; actor: Record<string, unknown> }> }>(
      await h.as('viewer').get(`/orders/${number}/events`),
    ).items;
    expect(events[0]?.actor).toEqual({ kind: 'user', id: h.userIds.service, name: 'Test service' });
  });

  it("does not accept one session's CSRF token for another session", async () => {
    const mine = await signIn(emailOf('manager'), PASSWORD);
    const theirs = await signIn(emailOf('manager'), PASSWORD);
    const res = await h.as(null).patch(
      `/orders/${(await created()).number}`,
      { priority: 'high' },
      {
        cookie: mine.cookie,
        'x-csrf-token': theirs.csrfToken,
      },
    );
    expectProblem(res, 403, 'forbidden');
  });

  it('ends the session on logout: the old cookie no longer signs anyone in', async () => {
    const session = await signIn(emailOf('viewer'), PASSWORD);
    const out = await h.as(null).post('/auth/logout', undefined, { cookie: session.cookie });
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((c) => c.name === 'fb_session');
    expect(cleared?.value ?? '').toBe('');
    expectProblem(await h.as(null).get('/orders', { cookie: session.cookie }), 401, 'unauthenticated');
    expectProblem(await h.as(null).get('/auth/me', { cookie: session.cookie }), 401, 'unauthenticated');
  });

  it('ends a session after twelve hours, and at once when the user is disabled', async () => {
    const session = await signIn(emailOf('finance'), PASSWORD);
    h.clock.advanceHours(11.9);
    expect((await h.as(null).get('/orders', { cookie: session.cookie })).statusCode).toBe(200);
    h.clock.advanceHours(0.2);
    expectProblem(await h.as(null).get('/orders', { cookie: session.cookie }), 401, 'unauthenticated');

    const user = json<{ id: string }>(
      await h
        .as('admin')
        .post('/users', { email: 'temp-staff@test.floorboard.test', name: 'Temp', role: 'viewer', password: PASSWORD }),
    );
    const temp = await signIn('temp-staff@test.floorboard.test', PASSWORD);
    expect((await h.as(null).get('/orders', { cookie: temp.cookie })).statusCode).toBe(200);
    expect((await h.as('admin').patch(`/users/${user.id}`, { disabled: true })).statusCode).toBe(200);
    expectProblem(await h.as(null).get('/orders', { cookie: temp.cookie }), 401, 'unauthenticated');
  });

  it('answers a wrong password exactly as it answers an unknown e-mail', async () => {
    const wrongPassword = await login(emailOf('admin'), 'not the password');
    const unknownEmail = await login('nobody@test.floorboard.test', PASSWORD);
    expectProblem(wrongPassword, 401, 'unauthenticated');
    expectProblem(unknownEmail, 401, 'unauthenticated');
    expect(json(wrongPassword)).toEqual(json(unknownEmail));
    expect(wrongPassword.cookies.find((c) => c.name === 'fb_session')).toBeUndefined();
  });

  it('slows down password guessing: the eleventh sign-in in a minute from one address is rate-limited', async () => {
    const attempt = () =>
      h.server.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: emailOf('viewer'), password: PASSWORD },
        remoteAddress: '192.0.2.77',
      });
    for (let n = 1; n <= 10; n++) expect((await attempt()).statusCode, `attempt ${n}`).toBe(200);
    const limited = await attempt();
    expectProblem(limited, 429, 'rate-limited');
    expect(limited.cookies.find((c) => c.name === 'fb_session')).toBeUndefined();
  });
});

describe('the Roles table', () => {
  it('lets admin, manager, sales and service create orders, and refuses everyone else as forbidden', async () => {
    for (const role of ROLES) {
      const before = await writeCounts(h.db);
      const res = await h.as(role).post('/orders', plainOrder({ title: `Created by ${role}` }));
      if (EDITORS.includes(role)) {
        expect(res.statusCode, role).toBe(201);
      } else {
        expectProblem(res, 403, 'forbidden');
        expect(await writeCounts(h.db), role).toEqual(before);
      }
    }
  });

  it('lets admin, manager, sales and service edit an order’s details, and refuses everyone else', async () => {
    const order = await created();
    for (const role of ROLES) {
      const before = await writeCounts(h.db);
      const res = await h.as(role).patch(`/orders/${order.number}`, { title: `Edited by ${role}` });
      if (EDITORS.includes(role)) {
        expect(res.statusCode, role).toBe(200);
        expect(json(res).title).toBe(`Edited by ${role}`);
      } else {
        expectProblem(res, 403, 'forbidden');
        expect(await writeCounts(h.db), role).toEqual(before);
      }
    }
  });

  it('lets everyone signed in read orders, the board and history', async () => {
    const order = await created();
    for (const role of ROLES) {
      for (const path of [
        '/orders',
        `/orders/${order.number}`,
        `/orders/${order.id}`,
        `/orders/${order.number}/events`,
        '/board?workflow=custom-apparel',
        '/workflows',
        '/workflows/custom-apparel',
        '/orders?owner=me',
      ]) {
        const res = await h.as(role).get(path);
        expect(res.statusCode, `${role} GET ${path}: ${res.body}`).toBe(200);
      }
    }
  });

  it('keeps workflows to admins', async () => {
    const definition = (name: string) => ({
      key: 'embroidery',
      name,
      orderPrefix: 'EMB',
      stages: [
        { key: 'received', label: 'Received', ownerRole: 'sales', nextAction: 'Check the design' },
        { key: 'stitched', label: 'Stitched', ownerRole: 'production', nextAction: 'Ship it' },
      ],
      fields: [],
    });
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const before = await writeCounts(h.db);
      expectProblem(await h.as(role).post('/workflows', definition('Embroidery')), 403, 'forbidden');
      expectProblem(await h.as(role).put('/workflows/custom-apparel', definition('Hijacked')), 403, 'forbidden');
      expect(await writeCounts(h.db), role).toEqual(before);
    }
    expect((await h.as('admin').post('/workflows', definition('Embroidery'))).statusCode).toBe(201);
    const revised = await h.as('admin').put('/workflows/embroidery', definition('Embroidery and patches'));
    expect(revised.statusCode).toBe(200);
    expect(json(revised)).toMatchObject({ name: 'Embroidery and patches', version: 2 });
  });

  it('keeps users to admins, except that everyone may read themselves', async () => {
    const newUser = { email: 'temp@test.floorboard.test', name: 'Temp', role: 'viewer', password: 'a long password' };
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const before = await writeCounts(h.db);
      expectProblem(await h.as(role).get('/users'), 403, 'forbidden');
      expectProblem(await h.as(role).post('/users', newUser), 403, 'forbidden');
      expectProblem(await h.as(role).patch(`/users/${h.userIds.viewer}`, { role: 'admin' }), 403, 'forbidden');
      const other = role === 'viewer' ? h.userIds.sales : h.userIds.viewer;
      expectProblem(await h.as(role).get(`/users/${other}`), 403, 'forbidden');
      expect(await writeCounts(h.db), role).toEqual(before);
      const self = await h.as(role).get(`/users/${h.userIds[role]}`);
      expect(self.statusCode, role).toBe(200);
      expect(json(self).role).toBe(role);
    }
    expect((await h.as('admin').get('/users')).statusCode).toBe(200);
    expect((await h.as('admin').post('/users', newUser)).statusCode).toBe(201);
  });

  it("keeps other people's tokens to admins", async () => {
    const financeToken = json<{ id: string }>(await h.as('finance').post('/tokens', { label: 'spreadsheet' }));
    for (const role of ROLES.filter((r) => r !== 'admin' && r !== 'finance')) {
      const before = await writeCounts(h.db);
      expectProblem(await h.as(role).get(`/tokens?userId=${h.userIds.finance}`), 403, 'forbidden');
      expectProblem(await h.as(role).post('/tokens', { userId: h.userIds.finance, label: 'sneaky' }), 403, 'forbidden');
      expectProblem(await h.as(role).delete(`/tokens/${financeToken.id}`), 403, 'forbidden');
      expect(await writeCounts(h.db), role).toEqual(before);
      // Their own tokens are theirs to see.
      const own = json<{ items: Array<{ userId: string }> }>(await h.as(role).get('/tokens')).items;
      expect(own.length, role).toBeGreaterThan(0);
      expect(
        own.every((t) => t.userId === h.userIds[role]),
        role,
      ).toBe(true);
    }
    const listed = await h.as('admin').get(`/tokens?userId=${h.userIds.finance}`);
    expect(json<{ items: Array<{ id: string }> }>(listed).items.map((t) => t.id)).toContain(financeToken.id);
    expect((await h.as('admin').post('/tokens', { userId: h.userIds.finance, label: 'for finance' })).statusCode).toBe(201);
    expect((await h.as('admin').delete(`/tokens/${financeToken.id}`)).statusCode).toBe(200);
  });

  it('keeps the audit check to admins', async () => {
    for (const role of ROLES.filter((r) => r !== 'admin')) expectProblem(await h.as(role).get('/audit/verify'), 403, 'forbidden');
    const res = await h.as('admin').get('/audit/verify');
    expect(res.statusCode).toBe(200);
    expect(json(res).ok).toBe(true);
  });
});

describe('fields visible only to some roles', () => {
  it('leaves the unit price out of an order, a list and the history for roles not allowed to see it', async () => {
    const order = await created('sales', newOrder({ title: 'Priced order' }));
    expect(order.fields.unit_price).toBe('18.50');
    expect(
      (await h.as('sales').patch(`/orders/${order.number}`, { fields: { unit_price: '17.25', quantity: 50 } })).statusCode,
    ).toBe(200);

    for (const role of ROLES) {
      const sees = PRICE_READERS.includes(role);
      const one = json<{ fields: Record<string, unknown> }>(await h.as(role).get(`/orders/${order.number}`));
      expect('unit_price' in one.fields, `${role} GET order`).toBe(sees);
      expect(one.fields.quantity, role).toBe(50);

      const page = json<{ items: Array<{ id: string; fields: Record<string, unknown> }> }>(
        await h.as(role).get('/orders?q=Priced%20order&limit=500'),
      );
      const listed = page.items.find((o) => o.id === order.id);
      expect(listed, role).toBeDefined();
      expect('unit_price' in listed!.fields, `${role} list`).toBe(sees);

      const res = await h.as(role).get(`/orders/${order.number}/events`);
      const events = json<{ items: Array<{ type: string; data: Record<string, unknown> }> }>(res).items;
      const createdEvent = events.find((e) => e.type === 'order.created')!;
      expect('unit_price' in (createdEvent.data.fields as Record<string, unknown>), `${role} order.created`).toBe(sees);
      const changes = events.find((e) => e.type === 'order.updated')!.data.changes as Array<{ field: string }>;
      expect(
        changes.map((c) => c.field),
        `${role} order.updated`,
      ).toEqual(sees ? ['fields.unit_price', 'fields.quantity'] : ['fields.quantity']);
      if (!sees) {
        expect(res.body, role).not.toContain('17.25');
        expect(res.body, role).not.toContain('18.50');
      }
    }
  });

  it('does not let a role that cannot see the unit price set it, on create or on edit', async () => {
    let before = await writeCounts(h.db);
    const create = await h.as('service').post('/orders', newOrder());
    expectProblem(create, 400, 'validation-failed');
    expect(json(create).errors).toEqual([expect.objectContaining({ path: 'fields.unit_price' })]);
    expect(await writeCounts(h.db)).toEqual(before);

    const order = await created('sales');
    before = await writeCounts(h.db);
    for (const value of ['0.01', null]) {
      const edit = await h.as('service').patch(`/orders/${order.number}`, { fields: { unit_price: value } });
      expectProblem(edit, 400, 'validation-failed');
      expect(await writeCounts(h.db)).toEqual(before);
    }
  });

  it('keeps the unit price when a role that cannot see it edits other fields', async () => {
    const order = await created('sales');
    const edit = await h.as('service').patch(`/orders/${order.number}`, { fields: { quantity: 41 }, title: 'Edited by service' });
    expect(edit.statusCode).toBe(200);
    expect(json<{ fields: Record<string, unknown> }>(edit).fields).not.toHaveProperty('unit_price');
    const asFinance = json<{ fields: Record<string, unknown> }>(await h.as('finance').get(`/orders/${order.number}`));
    expect(asFinance.fields).toMatchObject({ unit_price: '18.50', quantity: 41 });
  });
});

describe('secrets', () => {
  it('shows a new token once, and never again: the token list has no token and no hash', async () => {
    const issued = await h.as('procurement').post('/tokens', { label: 'supplier portal' });
    expect(issued.statusCode).toBe(201);
    const token = json<{ token: string }>(issued).token;
    expect(token).toMatch(/^fb_/);

    for (const res of [
      await h.as('procurement').get('/tokens'),
      await h.as('admin').get(`/tokens?userId=${h.userIds.procurement}`),
    ]) {
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(token);
      expect(res.body).not.toContain(h.tokens.procurement);
      expect(res.body).not.toMatch(/[0-9a-f]{64}/);
      for (const item of json<{ items: Array<Record<string, unknown>> }>(res).items) {
        expect(Object.keys(item).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'label', 'revokedAt', 'userId']);
      }
    }
    const revoked = await h.as('procurement').delete(`/tokens/${json<{ id: string }>(issued).id}`);
    expect(revoked.body).not.toContain(token);
    expect(json(revoked)).not.toHaveProperty('token');
  });

  it('never returns a password or its hash in a user', async () => {
    const password = 'a very private passphrase';
    const answers = [
      await h
        .as('admin')
        .post('/users', { email: 'secretive@test.floorboard.test', name: 'Secretive', role: 'finance', password }),
      await h.as('admin').get('/users'),
      await h.as('admin').get(`/users/${h.userIds.finance}`),
      await h.as('finance').get('/auth/me'),
      await h.as('admin').patch(`/users/${h.userIds.finance}`, { password: 'another private passphrase' }),
      (await signIn('secretive@test.floorboard.test', password)).res,
    ];
    for (const res of answers) {
      expect(res.statusCode, res.body).toBeLessThan(300);
      expect(res.body).not.toContain(password);
      expect(res.body).not.toContain('another private passphrase');
      expect(res.body).not.toMatch(/scrypt|password/i);
    }
  });

  it('never writes a token, a password or a session cookie to the log', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    // The most talkative logger there is, without redaction: the server itself must keep secrets out.
    const logger = pino({ level: 'trace' }, sink);
    const app: AppContext = { db: h.db, clock: h.clock };
    const server = await buildServer(app, { logger });
    try {
      const call = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Record<string, string> = {}, body?: object) =>
        server.inject({ method, url: `/api/v1${url}`, headers, ...(body ? { payload: body } : {}) });
      const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
      const newPassword = 'brand new user password';
      const wrongPassword = 'this is not my password';

      expect((await call('GET', '/orders', bearer(h.tokens.sales))).statusCode).toBe(200);
      const issued = await call('POST', '/tokens', bearer(h.tokens.sales), { label: 'logged?' });
      const newToken = json<{ token: string }>(issued).token;
      expect((await call('GET', '/orders?limit=1', bearer(newToken))).statusCode).toBe(200);
      expect((await call('GET', '/orders', bearer(`${newToken}x`))).statusCode).toBe(401);
      const user = await call('POST', '/users', bearer(h.tokens.admin), {
        email: 'logged@test.floorboard.test',
        name: 'Logged',
        role: 'sales',
        password: newPassword,
      });
      expect(user.statusCode).toBe(201);

      const signedIn = await call('POST', '/auth/login', {}, { email: 'logged@test.floorboard.test', password: newPassword });
      expect(signedIn.statusCode).toBe(200);
      const sessionId = signedIn.cookies.find((c) => c.name === 'fb_session')!.value;
      const csrfToken = json<{ csrfToken: string }>(signedIn).csrfToken;
      const cookie = { cookie: `fb_session=${sessionId}` };
      expect((await call('GET', '/auth/me', cookie)).statusCode).toBe(200);
      expect((await call('POST', '/orders', { ...cookie, 'x-csrf-token': csrfToken }, plainOrder())).statusCode).toBe(201);
      expect((await call('POST', '/orders', cookie, plainOrder())).statusCode).toBe(403);
      expect(
        (await call('POST', '/auth/login', {}, { email: 'logged@test.floorboard.test', password: wrongPassword })).statusCode,
      ).toBe(401);
      expect((await call('POST', '/auth/logout', cookie)).statusCode).toBe(204);

      const log = lines.join('');
      expect(log).toContain('"url":"/api/v1/orders"');
      for (const secret of [h.tokens.sales, h.tokens.admin, newToken, newPassword, wrongPassword, sessionId, csrfToken]) {
        expect(log).not.toContain(secret);
      }
    } finally {
      await server.close();
    }
  });
});

describe.runIf(testDbKind() === 'postgres')('tokens across server processes sharing PostgreSQL', () => {
  // A server remembers the tokens it has just checked; a change made through another server must still count.
  it('stops accepting a token revoked through another server, and applies a role changed there', async () => {
    const issued = json<{ id: string; token: string }>(await h.as('production').post('/tokens', { label: 'line tablet' }));
    const tablet = { authorization: `Bearer ${issued.token}` };
    expect((await h.as(null).get('/orders', tablet)).statusCode).toBe(200);
    expect((await h.as(null).get('/users', tablet)).statusCode).toBe(403);

    const otherDb = h.reopen!();
    const other = await buildServer({ db: otherDb, clock: h.clock }, {});
    await other.ready();
    const viaOther = (method: 'PATCH' | 'DELETE', url: string, payload?: object) =>
      other.inject({
        method,
        url: `/api/v1${url}`,
        headers: { authorization: `Bearer ${h.tokens.admin}` },
        ...(payload ? { payload } : {}),
      });
    const until = async (status: number, path: string) => {
      const deadline = Date.now() + 3000;
      let last = 0;
      while (Date.now() < deadline) {
        last = (await h.as(null).get(path, tablet)).statusCode;
        if (last === status) return last;
        await new Promise((r) => setTimeout(r, 50));
      }
      return last;
    };
    try {
      expect((await viaOther('PATCH', `/users/${h.userIds.production}`, { role: 'admin' })).statusCode).toBe(200);
      expect(await until(200, '/users')).toBe(200);
      expect((await viaOther('DELETE', `/tokens/${issued.id}`)).statusCode).toBe(200);
      expect(await until(401, '/orders')).toBe(401);
    } finally {
      await viaOther('PATCH', `/users/${h.userIds.production}`, { role: 'production' });
      await other.close();
      await otherDb.close();
    }
  });
});
