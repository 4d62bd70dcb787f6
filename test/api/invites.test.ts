// Inviting the team: several people at once by e-mail and role; each link works once, expires, is stored only as a
// hash, and tells nobody anything about other links or accounts.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.ts';
import { type Harness, json, startHarness, writeCounts } from '../support/harness.ts';
import { MailCatcher } from '../support/smtp.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

interface Issued {
  id: string;
  email: string;
  role: string;
  status: string;
  link: string | null;
  emailed: boolean;
  expiresAt: string;
}

const tokenOf = (link: string) => link.split('/invite/')[1]!;

async function invite(list: Array<{ email: string; role: string; name?: string }>): Promise<Issued[]> {
  const res = await h.as('admin').post('/invites', { invites: list });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ items: Issued[] }>(res).items;
}

const accept = (token: string, body: unknown = { name: 'Priya Shah', password: 'my own password' }) =>
  h.as(null).post(`/invites/${token}/accept`, body);

describe('invites', () => {
  it('are for admins to send', async () => {
    expect((await h.as(null).post('/invites', { invites: [{ email: 'a@shop.example', role: 'sales' }] })).statusCode).toBe(401);
    for (const role of ['manager', 'sales'] as const) {
      expect((await h.as(role).post('/invites', { invites: [{ email: 'a@shop.example', role: 'sales' }] })).statusCode).toBe(403);
      expect((await h.as(role).get('/invites')).statusCode).toBe(403);
    }
  });

  it('invite several people at once and, without e-mail set up, give each a link to copy', async () => {
    const items = await invite([
      { email: 'Priya@Shop.example', role: 'production', name: 'Priya' },
      { email: 'tom@shop.example', role: 'fulfillment' },
      { email: 'li@shop.example', role: 'manager' },
    ]);
    expect(items.map((i) => [i.email, i.role, i.status, i.emailed])).toEqual([
      ['priya@shop.example', 'production', 'pending', false],
      ['tom@shop.example', 'fulfillment', 'pending', false],
      ['li@shop.example', 'manager', 'pending', false],
    ]);
    for (const i of items) expect(i.link).toMatch(/^http:\/\/127\.0\.0\.1:3000\/invite\/[A-Za-z0-9_-]+$/);
    const listed = json<{ items: Issued[] }>(await h.as('admin').get('/invites')).items;
    expect(listed.filter((i) => i.status === 'pending').map((i) => i.email)).toEqual(
      expect.arrayContaining(['priya@shop.example', 'tom@shop.example', 'li@shop.example']),
    );
    // A list never shows a link again.
    expect(JSON.stringify(listed)).not.toContain('/invite/');
  });

  it('carry at least 128 random bits, all different, and the database holds only their hash', async () => {
    const items = await invite(Array.from({ length: 20 }, (_, i) => ({ email: `bits${i}@shop.example`, role: 'viewer' })));
    const tokens = items.map((i) => tokenOf(i.link!));
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const t of tokens) expect(Buffer.from(t, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    const rows = await h.db.kysely.selectFrom('invites').selectAll().execute();
    const events = await h.db.kysely.selectFrom('events').select('data').execute();
    const stored = JSON.stringify(rows) + JSON.stringify(events);
    for (const t of tokens) expect(stored).not.toContain(t);
  });

  it('open on a preview of whom they are for; accepting sets your own password and signs you in', async () => {
    const [issued] = await invite([{ email: 'sam@shop.example', role: 'procurement', name: 'Sam' }]);
    const token = tokenOf(issued!.link!);
    const preview = await h.as(null).get(`/invites/${token}`);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(json(preview)).toMatchObject({
      email: 'sam@shop.example',
      name: 'Sam',
      role: 'procurement',
      shopName: expect.any(String),
    });

    const res = await accept(token, { name: 'Sam Reyes', password: 'sams own secret' });
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res)).toMatchObject({ user: { email: 'sam@shop.example', name: 'Sam Reyes', role: 'procurement' } });
    const cookie = res.cookies.find((c) => c.name === 'fb_session');
    const me = await h.server.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: `fb_session=${cookie?.value}` },
    });
    expect(json<{ user: { email: string } }>(me).user.email).toBe('sam@shop.example');
    const login = await h.as(null).post('/auth/login', { email: 'sam@shop.example', password: 'sams own secret' });
    expect(login.statusCode).toBe(200);
    const listed = json<{ items: Issued[] }>(await h.as('admin').get('/invites')).items;
    expect(listed.find((i) => i.id === issued!.id)?.status).toBe('accepted');
  });

  it('work once: a used link is refused, and the account is not touched', async () => {
    const [issued] = await invite([{ email: 'once@shop.example', role: 'sales' }]);
    const token = tokenOf(issued!.link!);
    expect((await accept(token)).statusCode).toBe(201);
    const before = await writeCounts(h.db);
    const again = await accept(token, { name: 'Intruder', password: 'take over the account' });
    expect(again.statusCode).toBe(404);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect((await h.as(null).get(`/invites/${token}`)).statusCode).toBe(404);
    expect(await writeCounts(h.db)).toEqual(before);
    expect(
      (await h.as(null).post('/auth/login', { email: 'once@shop.example', password: 'take over the account' })).statusCode,
    ).toBe(401);
  });

  it('work once also when two people use the same link at the same moment', async () => {
    const [issued] = await invite([{ email: 'race@shop.example', role: 'sales' }]);
    const token = tokenOf(issued!.link!);
    const answers = await Promise.all([
      accept(token, { name: 'First', password: 'first password' }),
      accept(token, { name: 'Second', password: 'second password' }),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 404]);
    const users = await h.db.kysely.selectFrom('users').select('name').where('email', '=', 'race@shop.example').execute();
    expect(users).toHaveLength(1);
  });

  it('expire after seven days', async () => {
    const [issued] = await invite([{ email: 'late@shop.example', role: 'sales' }]);
    const token = tokenOf(issued!.link!);
    h.clock.advanceHours(7 * 24 - 1);
    expect((await h.as(null).get(`/invites/${token}`)).statusCode).toBe(200);
    h.clock.advanceHours(1);
    expect((await h.as(null).get(`/invites/${token}`)).statusCode).toBe(404);
    expect((await accept(token)).statusCode).toBe(404);
    const listed = json<{ items: Issued[] }>(await h.as('admin').get('/invites')).items;
    expect(listed.find((i) => i.id === issued!.id)?.status).toBe('expired');
  });

  it('answer alike for a link unknown, used, withdrawn or expired, so nothing can be learnt from trying', async () => {
    const [used, withdrawn, expired] = await invite([
      { email: 'enum-used@shop.example', role: 'sales' },
      { email: 'enum-withdrawn@shop.example', role: 'sales' },
      { email: 'enum-expired@shop.example', role: 'sales' },
    ]);
    expect((await accept(tokenOf(used!.link!))).statusCode).toBe(201);
    expect((await h.as('admin').delete(`/invites/${withdrawn!.id}`)).statusCode).toBe(200);
    h.clock.advanceHours(24 * 8);
    const tokens = ['A'.repeat(43), tokenOf(used!.link!), tokenOf(withdrawn!.link!), tokenOf(expired!.link!)];
    const previews = await Promise.all(tokens.map((t) => h.as(null).get(`/invites/${t}`)));
    const accepts = await Promise.all(tokens.map((t) => accept(t)));
    for (const answers of [previews, accepts]) {
      const shapes = answers.map((r) => ({ status: r.statusCode, body: r.body }));
      expect(new Set(shapes.map((s) => JSON.stringify(s))).size).toBe(1);
      expect(shapes[0]!.status).toBe(404);
    }
  });

  it('refuse the whole list when one entry is wrong, naming it', async () => {
    const before = await writeCounts(h.db);
    const invitesBefore = (await h.db.kysely.selectFrom('invites').select('id').execute()).length;
    for (const list of [
      [
        { email: 'new1@shop.example', role: 'sales' },
        { email: 'NEW1@shop.example', role: 'viewer' },
      ],
      [
        { email: 'new2@shop.example', role: 'sales' },
        { email: 'sales@test.floorboard.test', role: 'sales' },
      ],
      [{ email: 'new3@shop.example', role: 'wizard' }],
      [{ email: 'not an address', role: 'sales' }],
    ]) {
      const res = await h.as('admin').post('/invites', { invites: list });
      expect(res.statusCode, res.body).toBe(400);
      expect(JSON.stringify(json(res).errors)).toMatch(/invites\.\d\.(email|role)/);
    }
    expect(await writeCounts(h.db)).toEqual(before);
    expect((await h.db.kysely.selectFrom('invites').select('id').execute()).length).toBe(invitesBefore);
  });

  it('refuse a short password and leave the link working', async () => {
    const [issued] = await invite([{ email: 'shortpw@shop.example', role: 'sales' }]);
    const token = tokenOf(issued!.link!);
    const res = await accept(token, { name: 'Short', password: 'short' });
    expect(res.statusCode).toBe(400);
    expect((await accept(token)).statusCode).toBe(201);
  });

  it('replace an earlier open invite to the same address', async () => {
    const [first] = await invite([{ email: 'again@shop.example', role: 'sales' }]);
    const [second] = await invite([{ email: 'again@shop.example', role: 'service' }]);
    expect((await h.as(null).get(`/invites/${tokenOf(first!.link!)}`)).statusCode).toBe(404);
    expect(json(await h.as(null).get(`/invites/${tokenOf(second!.link!)}`))).toMatchObject({ role: 'service' });
  });
});

describe('invite links in the log', () => {
  it('are never written to it, whether opened in the app, previewed or accepted', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const server = await buildServer(
      { db: h.db, clock: h.clock },
      { logger: pino({ level: 'trace' }, sink), writesPerMinute: 0 },
    );
    try {
      const [issued] = await invite([{ email: 'logged@shop.example', role: 'viewer' }]);
      const token = tokenOf(issued!.link!);
      await server.inject({ method: 'GET', url: `/invite/${token}` });
      expect((await server.inject({ method: 'GET', url: `/api/v1/invites/${token}` })).statusCode).toBe(200);
      const accepted = await server.inject({
        method: 'POST',
        url: `/api/v1/invites/${token}/accept`,
        payload: { name: 'Logged', password: 'a good password' },
      });
      expect(accepted.statusCode).toBe(201);
      const log = lines.join('');
      expect(log).toContain('"url":"/api/v1/invites/<token>"');
      expect(log).toContain('"url":"/api/v1/invites/<token>/accept"');
      expect(log).toContain('"url":"/invite/<token>"');
      expect(log).not.toContain(token);
    } finally {
      await server.close();
    }
  });
});

describe('invites by e-mail', () => {
  const smtp = new MailCatcher();
  const inbox = smtp.mails;
  beforeAll(async () => {
    await smtp.start();
    const res = await h.as('admin').put('/settings', {
      email: { smtpUrl: smtp.url, from: 'Harbour Print <orders@print.example>', shopName: 'Harbour Print' },
      publicUrl: 'https://floorboard.print.example',
    });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(() => smtp.stop());

  it('go out by e-mail when SMTP is set, and the link in the e-mail works', async () => {
    const items = await invite([{ email: 'mailed@shop.example', role: 'finance', name: 'Ola' }]);
    expect(items[0]).toMatchObject({ emailed: true, link: null });
    const mail = inbox.find((m) => m.to.includes('mailed@shop.example'));
    expect(mail?.raw).toContain('Harbour Print');
    const link = /https:\/\/floorboard\.print\.example\/invite\/([A-Za-z0-9_-]+)/.exec(mail!.raw.replace(/=\r?\n/g, ''));
    expect(link).not.toBeNull();
    expect((await accept(link![1]!)).statusCode).toBe(201);
  });
});
