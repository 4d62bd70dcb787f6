// The daily digest over real SMTP: once a day, at the hour its reader chose in the shop's time zone, one e-mail lists
// their unread notices of the kinds they want gathered since the previous digest; never twice, also from two servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import type { Automation } from '../../src/jobs/automation.ts';
import { automationFor } from '../support/automation.ts';
import { emailOf, type Harness, json, newOrder, startHarness } from '../support/harness.ts';
import { MailCatcher } from '../support/smtp.ts';

const smtp = new MailCatcher();
let h: Harness;
let jobs: Automation;
beforeAll(async () => {
  await smtp.start();
  h = await startHarness();
  jobs = automationFor(h);
  const res = await h.as('admin').put('/settings', {
    email: { smtpUrl: smtp.url, from: 'Harbour Print <orders@print.example>', shopName: 'Harbour Print' },
    publicUrl: 'https://floor.print.example',
    // The harness starts at 09:00 UTC: 03:00 in Chicago.
    calendar: { timeZone: 'America/Chicago', workingDays: [1, 2, 3, 4, 5], dayStart: '08:00', dayEnd: '17:00', holidays: [] },
  });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(async () => {
  jobs.mailer.close();
  await h.close();
  await smtp.stop();
});

type Notice = { id: number; title: string; orderNumber: string };

/** An order brought by the manager into production's stage: production is told "ready for you". */
async function intoProduction(title: string): Promise<{ number: string; notice: Notice }> {
  const { number } = json<{ number: string }>(await h.as('manager').post('/orders', newOrder({ title })));
  await h.as('manager').patch(`/orders/${number}`, { fields: { proof_approved: true, supplier_eta: '2026-12-01' } });
  for (const to of ['proof_approval', 'supplier_confirmation', 'scheduled']) {
    const res = await h.as('manager').post(`/orders/${number}/transitions`, { to });
    expect(res.statusCode, res.body).toBe(200);
  }
  await jobs.drain();
  const notices = json<{ items: Notice[] }>(await h.as('production').get('/notifications?limit=500')).items;
  return { number, notice: notices.find((n) => n.orderNumber === number)! };
}

const digestsTo = (role: Parameters<typeof emailOf>[0]) =>
  smtp.to(emailOf(role)).filter((m) => m.subject.startsWith('Floorboard digest'));

describe('the daily digest', () => {
  it("gathers a reader's unread notices of the chosen kinds into one e-mail a day at their hour, each only once", async () => {
    const chose = await h.as('production').put('/notifications/preferences', { delivery: { 'stage-entered': 'digest' } });
    expect(chose.statusCode, chose.body).toBe(200);
    const first = await intoProduction('Digest hoodies');
    const second = await intoProduction('Digest caps');
    // Gathered for the digest, so not e-mailed at once.
    expect(smtp.to(emailOf('production'))).toEqual([]);

    // 03:00 in Chicago: before the reader's hour (07:00 by default).
    expect(await jobs.digest()).toEqual({ sent: 0, empty: 0 });
    h.clock.set('2026-11-24T13:00:00.000Z');
    expect(await jobs.digest()).toEqual({ sent: 1, empty: 0 });
    await jobs.drain();
    const [mail, ...more] = digestsTo('production');
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ from: 'orders@print.example', subject: 'Floorboard digest: 2 unread notices' });
    expect(mail!.text).toContain('Your Floorboard digest for Harbour Print: 2 unread notices since the last one.');
    // Newest first, each with its time in the shop's zone and a link to its order.
    const [at2, at1] = [mail!.text.indexOf(second.notice.title), mail!.text.indexOf(first.notice.title)];
    expect(at2).toBeGreaterThanOrEqual(0);
    expect(at1).toBeGreaterThan(at2);
    expect(mail!.text).toContain(`${first.notice.title} (24 Nov 03:00)`);
    expect(mail!.text).toContain(`https://floor.print.example/orders/${first.number}`);
    expect(mail!.text).toContain(`https://floor.print.example/orders/${second.number}`);
    expect(mail!.text).toContain('All your notices: https://floor.print.example/notifications');

    // Made once a day: later the same day, nothing more, whatever arrives meanwhile.
    h.clock.set('2026-11-24T15:00:00.000Z');
    const third = await intoProduction('Digest scarves');
    const fourth = await intoProduction('Digest gloves');
    expect(await jobs.digest()).toEqual({ sent: 0, empty: 0 });
    // Read in the app already: it needs no e-mail.
    expect((await h.as('production').post(`/notifications/${fourth.notice.id}/read`)).statusCode).toBe(200);

    // Next morning: only what came since the first digest and is still unread.
    h.clock.set('2026-11-25T13:05:00.000Z');
    expect(await jobs.digest()).toEqual({ sent: 1, empty: 0 });
    await jobs.drain();
    const next = digestsTo('production')[1]!;
    expect(next.subject).toBe('Floorboard digest: 1 unread notice');
    expect(next.text).toContain(third.notice.title);
    for (const old of [first, second, fourth]) expect(next.text).not.toContain(old.notice.title);

    // A day with nothing new sends nothing.
    h.clock.set('2026-11-26T14:00:00.000Z');
    expect(await jobs.digest()).toEqual({ sent: 0, empty: 1 });
    await jobs.drain();
    expect(digestsTo('production')).toHaveLength(2);
    // Kinds kept in the app only stay out of e-mail altogether.
    expect(smtp.to(emailOf('production')).filter((m) => !m.subject.startsWith('Floorboard digest'))).toEqual([]);
  });

  it('goes out once when two servers sharing the database make it at the same moment', async () => {
    expect(
      (await h.as('sales').put('/notifications/preferences', { delivery: { 'stage-entered': 'digest' }, digestHour: 8 }))
        .statusCode,
    ).toBe(200);
    // The manager creates an order: sales, who own its first stage, are told.
    const { number } = json<{ number: string }>(await h.as('manager').post('/orders', newOrder({ title: 'Two servers' })));
    await jobs.drain();
    h.clock.set('2026-11-27T14:00:00.000Z');
    const otherDb = h.reopen?.() ?? h.db;
    const otherApp: AppContext = { db: otherDb, clock: h.clock };
    const other = automationFor({ ...h, app: otherApp });
    try {
      const reports = await Promise.all([jobs.digest(), other.digest(), jobs.digest(), other.digest()]);
      expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(1);
      await Promise.all([jobs.drain(), other.drain()]);
      const mails = digestsTo('sales');
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).toContain(`${number} is ready for you`);
    } finally {
      other.mailer.close();
      if (otherDb !== h.db) await otherDb.close();
    }
  });
});
