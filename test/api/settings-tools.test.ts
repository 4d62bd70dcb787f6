// The settings' helpers: a country's public holidays to add to the calendar, and a test e-mail that shows what the
// SMTP server answered (a real smtp-server here) or why it could not be sent.

import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness } from '../support/harness.ts';

let h: Harness;
let smtp: SMTPServer;
let smtpPort = 0;
const received: Array<{ to: string[]; raw: string }> = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      // A mailbox that does not exist, as a real server refuses one.
      if (address.address.startsWith('nobody@'))
        return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback(null, 'Ok: queued as TEST42');
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

/** A port nothing listens on: opened, then closed again. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

type Holidays = {
  country: { code: string; name: string };
  region: { code: string; name: string } | null;
  year: number;
  holidays: Array<{ date: string; name: string }>;
  regions: Array<{ code: string; name: string }>;
};

describe('public holidays', () => {
  it("lists a country's public holidays for a year, and a region's own", async () => {
    const countries = json<{ items: Array<{ code: string; name: string }> }>(await h.as('admin').get('/settings/holidays'));
    expect(countries.items).toContainEqual({ code: 'GB', name: 'United Kingdom' });

    const gb = json<Holidays>(await h.as('admin').get('/settings/holidays/gb?year=2026'));
    expect(gb.country).toEqual({ code: 'GB', name: 'United Kingdom' });
    expect(gb.regions.map((r) => r.code)).toEqual(expect.arrayContaining(['ENG', 'SCT']));
    const eng = json<Holidays>(await h.as('admin').get('/settings/holidays/GB?year=2026&region=ENG'));
    expect(eng.region?.code).toBe('ENG');
    expect(eng.holidays.map((d) => d.date)).toEqual(
      expect.arrayContaining(['2026-01-01', '2026-04-03', '2026-04-06', '2026-12-25', '2026-12-26', '2026-12-28']),
    );
    expect(eng.holidays.find((d) => d.date === '2026-12-25')?.name).toBe('Christmas Day');
    // Scotland keeps 2 January, England does not.
    const sct = json<Holidays>(await h.as('admin').get('/settings/holidays/GB?year=2026&region=SCT'));
    expect(sct.holidays.map((d) => d.date)).toContain('2026-01-02');
    expect(eng.holidays.map((d) => d.date)).not.toContain('2026-01-02');
    // Sorted, one entry a day, and only days off by law (no observances such as Mother's Day).
    const dates = eng.holidays.map((d) => d.date);
    expect(dates).toEqual([...new Set(dates)].sort());
    expect(eng.holidays.some((d) => /mother/i.test(d.name))).toBe(false);
  });

  it('defaults to the current year, and refuses an unknown country or region by name', async () => {
    const now = json<Holidays>(await h.as('admin').get('/settings/holidays/DE'));
    expect(now.year).toBe(h.clock.now().getUTCFullYear());
    expect(now.holidays.map((d) => d.date)).toContain(`${now.year}-10-03`);

    const unknown = await h.as('admin').get('/settings/holidays/QQ?year=2026');
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown)).toMatchObject({ type: 'not-found' });
    const region = await h.as('admin').get('/settings/holidays/GB?year=2026&region=XYZ');
    expect(region.statusCode).toBe(400);
    expect(json(region)).toMatchObject({ type: 'validation-failed', errors: [{ path: 'region' }] });
    for (const bad of ['/settings/holidays/GBR', '/settings/holidays/GB?year=99999', '/settings/holidays/GB?year=soon']) {
      const res = await h.as('admin').get(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(json(res).type, bad).toBe('validation-failed');
    }
  });

  it('are looked up by an admin only', async () => {
    expect((await h.as(null).get('/settings/holidays/GB')).statusCode).toBe(401);
    expect((await h.as('manager').get('/settings/holidays/GB')).statusCode).toBe(403);
    expect((await h.as('manager').get('/settings/holidays')).statusCode).toBe(403);
  });
});

type TestResult = { sent: boolean; serverAnswer: string | null; error: string | null; server: string };

describe('a test e-mail', () => {
  it('says so in plain words when no SMTP server is set, and sends nothing', async () => {
    await h.as('admin').put('/settings', { email: { smtpUrl: null } });
    const res = await h.as('admin').post('/settings/email/test', { to: 'owner@print.example' });
    expect(res.statusCode).toBe(400);
    expect(json(res)).toMatchObject({ type: 'validation-failed', errors: [{ path: 'smtpUrl' }] });
    expect(received).toHaveLength(0);
  });

  it("goes through the saved server, and the answer is the server's own", async () => {
    await h.as('admin').put('/settings', {
      email: { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, from: 'Harbour Print <orders@print.example>', shopName: 'Harbour Print' },
    });
    const res = await h.as('admin').post('/settings/email/test', { to: 'owner@print.example' });
    expect(res.statusCode, res.body).toBe(200);
    const result = json<TestResult>(res);
    expect(result).toMatchObject({ sent: true, error: null, server: `smtp://127.0.0.1:${smtpPort}` });
    expect(result.serverAnswer).toContain('Ok: queued as TEST42');
    expect(received.at(-1)!.to).toEqual(['owner@print.example']);
    expect(received.at(-1)!.raw).toMatch(/^Subject: Test e-mail from Harbour Print/m);
    expect(received.at(-1)!.raw).toMatch(/^From: Harbour Print <orders@print\.example>/m);
  });

  it("reports the server's refusal of a recipient, and a server that is not there, without a 500", async () => {
    const refused = json<TestResult>(await h.as('admin').post('/settings/email/test', { to: 'nobody@print.example' }));
    expect(refused.sent).toBe(false);
    expect(refused.error).toMatch(/refused the sender or the recipient/);
    expect(refused.serverAnswer).toContain('No such user here');

    const port = await deadPort();
    const count = received.length;
    const gone = json<TestResult>(
      await h.as('admin').post('/settings/email/test', { to: 'owner@print.example', smtpUrl: `smtp://127.0.0.1:${port}` }),
    );
    expect(gone).toMatchObject({ sent: false, serverAnswer: null, server: `smtp://127.0.0.1:${port}` });
    expect(gone.error).toMatch(/Nothing answers at 127\.0\.0\.1:\d+/);
    expect(received).toHaveLength(count);
    // Trying another server did not save it.
    expect(json<{ email: { smtpUrl: string } }>(await h.as('admin').get('/settings')).email.smtpUrl).toBe(
      `smtp://127.0.0.1:${smtpPort}`,
    );
  });

  it('never shows the password of the server it tried, and refuses bad input', async () => {
    const res = json<TestResult>(
      await h.as('admin').post('/settings/email/test', {
        to: 'owner@print.example',
        smtpUrl: `smtp://user:pa55word@127.0.0.1:${await deadPort()}`,
      }),
    );
    expect(JSON.stringify(res)).not.toContain('pa55word');
    for (const body of [
      {},
      { to: 'not an address' },
      { to: 'a@b.example', smtpUrl: 'http://mail.example' },
      { to: 'a@b.example', colour: 1 },
    ]) {
      const bad = await h.as('admin').post('/settings/email/test', body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(json(bad).type).toBe('validation-failed');
    }
  });

  it('is sent by an admin only', async () => {
    const count = received.length;
    expect((await h.as(null).post('/settings/email/test', { to: 'owner@print.example' })).statusCode).toBe(401);
    expect((await h.as('manager').post('/settings/email/test', { to: 'owner@print.example' })).statusCode).toBe(403);
    expect(received).toHaveLength(count);
  });
});
