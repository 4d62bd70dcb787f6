// Admin settings: the business calendar, the reminder window, e-mail and webhook network rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Settings } from '../../src/http/routes/settings.ts';
import { conforms } from '../support/automation.ts';
import { type Harness, json, startHarness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('settings', () => {
  it('are read and changed by an admin only', async () => {
    expect((await h.as(null).get('/settings')).statusCode).toBe(401);
    for (const role of ['manager', 'viewer'] as const) {
      expect((await h.as(role).get('/settings')).statusCode).toBe(403);
      expect((await h.as(role).put('/settings', { dueSoonDays: 5 })).statusCode).toBe(403);
    }
    const res = await h.as('admin').get('/settings');
    expect(res.statusCode).toBe(200);
    conforms(Settings, json(res));
    expect(json(res)).toMatchObject({
      calendar: { timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], dayStart: '08:00', dayEnd: '17:00', holidays: [] },
      dueSoonDays: 2,
      email: { smtpConfigured: expect.any(Boolean) },
      webhooks: { allowPrivateNetworks: expect.any(Boolean) },
    });
  });

  it('keeps what is left out, and never shows the SMTP password', async () => {
    const calendar = {
      timeZone: 'America/New_York',
      workingDays: [5, 1, 2, 3, 4, 1],
      dayStart: '07:30',
      dayEnd: '16:00',
      holidays: ['2026-12-25', '2026-11-26'],
    };
    const res = await h.as('admin').put('/settings', {
      calendar,
      email: { from: 'Print Shop <orders@print.example>', smtpUrl: 'smtp://mailer:s3cret@mail.example:587' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const s = json<{ calendar: unknown; dueSoonDays: number; email: { smtpUrl: string; from: string; smtpConfigured: boolean } }>(
      res,
    );
    expect(s.calendar).toEqual({ ...calendar, workingDays: [1, 2, 3, 4, 5], holidays: ['2026-11-26', '2026-12-25'] });
    expect(s.email).toMatchObject({ from: 'Print Shop <orders@print.example>', smtpConfigured: true });
    expect(s.email.smtpUrl).not.toContain('s3cret');
    expect(JSON.stringify(json(await h.as('admin').get('/settings')))).not.toContain('s3cret');

    // Sending the masked URL back keeps the real one; the other members stay as they were.
    const again = json<typeof s>(await h.as('admin').put('/settings', { dueSoonDays: 4, email: { smtpUrl: s.email.smtpUrl } }));
    expect(again).toMatchObject({
      dueSoonDays: 4,
      calendar: s.calendar,
      email: { smtpConfigured: true, smtpUrl: s.email.smtpUrl },
    });
    const cleared = json<typeof s>(await h.as('admin').put('/settings', { email: { smtpUrl: null } }));
    expect(cleared.email).toMatchObject({ smtpUrl: null, smtpConfigured: false });
  });

  it('refuses a calendar that cannot work and other nonsense, changing nothing', async () => {
    const before = json(await h.as('admin').get('/settings'));
    const good = { timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], dayStart: '08:00', dayEnd: '17:00', holidays: [] };
    const cases: Array<[string, unknown]> = [
      ['unknown zone', { calendar: { ...good, timeZone: 'Mars/Olympus' } }],
      ['closing before opening', { calendar: { ...good, dayStart: '18:00' } }],
      ['no working days', { calendar: { ...good, workingDays: [] } }],
      ['day 8', { calendar: { ...good, workingDays: [8] } }],
      ['a holiday that is no date', { calendar: { ...good, holidays: ['2026-02-30'] } }],
      ['negative window', { dueSoonDays: -1 }],
      ['not SMTP', { email: { smtpUrl: 'http://mail.example' } }],
      ['unknown member', { colour: 'blue' }],
      ['public URL not http', { publicUrl: 'ftp://x.example' }],
      ['a locale nobody knows', { locale: 'xx-Nowhere-not-a-tag' }],
      ['a locale that is no tag', { locale: 'en_GB!' }],
    ];
    for (const [what, body] of cases) {
      const res = await h.as('admin').put('/settings', body);
      expect(res.statusCode, what).toBe(400);
      expect(json(res).type, what).toBe('validation-failed');
    }
    expect(json(await h.as('admin').get('/settings'))).toEqual(before);
  });

  it('say how dates read: British English unless the admin picks another locale, which then comes back in its canonical spelling', async () => {
    expect(json<{ locale: string }>(await h.as('admin').get('/settings')).locale).toBe('en-GB');
    const changed = await h.as('admin').put('/settings', { locale: 'de-de' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(json<{ locale: string }>(changed).locale).toBe('de-DE');
    const refused = await h.as('admin').put('/settings', { locale: 'klingon-for-sure' });
    expect(refused.statusCode).toBe(400);
    expect(json<{ errors: Array<{ path: string }> }>(refused).errors.map((e) => e.path)).toContain('body.locale');
    expect(json<{ locale: string }>(await h.as('admin').get('/settings')).locale).toBe('de-DE');
    await h.as('admin').put('/settings', { locale: 'en-GB' });
  });
});
