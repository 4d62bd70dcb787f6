// First run: on a database with nobody in it, one setup makes the first admin, names the shop, sets the working
// calendar and the first workflow, signs the admin in, and then closes for good.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppContext, SYSTEM_ACTOR } from '../../src/app/context.ts';
import { createUser } from '../../src/app/manage-access.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { WORKFLOW_TEMPLATES } from '../../src/domain/templates/index.ts';
import { buildServer } from '../../src/http/server.ts';
import { freshDb, TEST_START, writeCounts } from '../support/harness.ts';

let server: FastifyInstance;
let app: AppContext;
let drop: () => Promise<void>;

beforeEach(async () => {
  const fresh = await freshDb();
  app = { db: fresh.db, clock: new ManualClock(TEST_START) };
  drop = fresh.drop;
  server = await buildServer(app, { writesPerMinute: 0 });
  await server.ready();
});
afterEach(async () => {
  await server.close();
  await drop();
});

const setup = (overrides: Record<string, unknown> = {}) => ({
  admin: { name: 'Maria Okafor', email: 'Maria@HarbourPrint.example', password: 'a long secret phrase' },
  shopName: 'Harbour Print Co',
  calendar: { timeZone: 'Europe/London', workingDays: [1, 2, 3, 4, 5, 6], dayStart: '07:30', dayEnd: '16:00' },
  template: 'commercial-print',
  ...overrides,
});

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  server.inject({ method: 'POST', url: `/api/v1${url}`, payload: payload as object, headers });
const get = (url: string, headers: Record<string, string> = {}) =>
  server.inject({ method: 'GET', url: `/api/v1${url}`, headers });
const cookieOf = (res: LightMyRequestResponse) => {
  const c = res.cookies.find((x) => x.name === 'fb_session');
  return `fb_session=${c?.value}`;
};

describe('first-run setup', () => {
  it('is offered on a database with nobody in it, with the five trade templates', async () => {
    const res = await get('/setup');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.needed).toBe(true);
    expect(body.templates.map((t: { workflow: { key: string } }) => t.workflow.key)).toEqual(
      WORKFLOW_TEMPLATES.map((t) => t.workflow.key),
    );
    expect(body.templates[1].workflow.stages[1].label).toBe('Prepress and preflight');
  });

  it('makes the first admin, the shop, its calendar and workflow, and signs the admin in', async () => {
    const res = await post('/setup', setup());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().user).toMatchObject({ email: 'maria@harbourprint.example', name: 'Maria Okafor', role: 'admin' });
    const cookie = { cookie: cookieOf(res) };
    expect((await get('/auth/me', cookie)).json().user.email).toBe('maria@harbourprint.example');

    const settings = (await get('/settings', cookie)).json();
    expect(settings.email.shopName).toBe('Harbour Print Co');
    expect(settings.calendar).toEqual({
      timeZone: 'Europe/London',
      workingDays: [1, 2, 3, 4, 5, 6],
      dayStart: '07:30',
      dayEnd: '16:00',
      holidays: [],
    });
    const workflows = (await get('/workflows', cookie)).json();
    const list = Array.isArray(workflows) ? workflows : workflows.items;
    expect(list.map((w: { key: string }) => w.key)).toEqual(['commercial-print']);

    // Signing in again works with the password chosen.
    const login = await post('/auth/login', { email: 'maria@harbourprint.example', password: 'a long secret phrase' });
    expect(login.statusCode).toBe(200);
    const verify = await get('/audit/verify', cookie);
    expect(verify.statusCode, verify.body).toBe(200);
    expect(verify.json()).toMatchObject({ ok: true });
  });

  it('is closed for good once done: the screen is no longer offered and a second setup is refused', async () => {
    expect((await post('/setup', setup())).statusCode).toBe(201);
    expect((await get('/setup')).json().needed).toBe(false);
    const before = await writeCounts(app.db);
    const again = await post(
      '/setup',
      setup({ admin: { name: 'Mallory', email: 'mallory@evil.example', password: 'take it over' } }),
    );
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ type: 'setup-closed' });
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(await writeCounts(app.db)).toEqual(before);
  });

  it('lets only one of two setups racing each other make an admin', async () => {
    const [a, b] = await Promise.all([
      post('/setup', setup({ admin: { name: 'Ann', email: 'ann@shop.example', password: 'first secret' } })),
      post(
        '/setup',
        setup({ admin: { name: 'Bob', email: 'bob@shop.example', password: 'second secret' }, template: 'machining' }),
      ),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const counts = await writeCounts(app.db);
    expect(counts.users).toBe(1);
    expect(counts.workflows).toBe(1);
  });

  it('is closed when someone was made another way (the CLI, or FLOORBOARD_ADMIN_EMAIL)', async () => {
    await createUser(app, SYSTEM_ACTOR, { email: 'ops@shop.example', name: 'Ops', role: 'admin', password: 'ops secret 1' });
    expect((await get('/setup')).json().needed).toBe(false);
    expect((await post('/setup', setup())).json()).toMatchObject({ type: 'setup-closed' });
  });

  it('starts a blank workflow to build on when no template fits', async () => {
    const res = await post('/setup', setup({ template: 'blank' }));
    expect(res.statusCode, res.body).toBe(201);
    const wf = (await get('/workflows/orders', { cookie: cookieOf(res) })).json();
    expect(wf).toMatchObject({ name: 'Harbour Print Co orders', version: 1 });
    expect(wf.stages.map((s: { label: string }) => s.label)).toEqual(['Order received', 'In production', 'Shipped']);
  });

  it.each([
    ['a short password', { admin: { name: 'M', email: 'm@shop.example', password: 'short' } }, 'admin.password'],
    ['a bad e-mail', { admin: { name: 'M', email: 'not-an-address', password: 'long enough pw' } }, 'admin.email'],
    ['no shop name', { shopName: '  ' }, 'shopName'],
    [
      'an unknown time zone',
      { calendar: { timeZone: 'Mars/Olympus', workingDays: [1], dayStart: '08:00', dayEnd: '17:00' } },
      'calendar',
    ],
    [
      'no working days',
      { calendar: { timeZone: 'UTC', workingDays: [], dayStart: '08:00', dayEnd: '17:00' } },
      'calendar.workingDays',
    ],
    [
      'a day that ends before it starts',
      { calendar: { timeZone: 'UTC', workingDays: [1], dayStart: '17:00', dayEnd: '08:00' } },
      'calendar',
    ],
    ['an unknown template', { template: 'bakery' }, 'template'],
  ])('refuses %s, names what is wrong, and writes nothing', async (_what, overrides, path) => {
    const before = await writeCounts(app.db);
    const res = await post('/setup', setup(overrides));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(res.json().errors)).toContain(path);
    expect(await writeCounts(app.db)).toEqual(before);
    expect((await get('/setup')).json().needed).toBe(true);
  });
});
