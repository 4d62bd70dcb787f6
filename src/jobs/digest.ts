// The daily digest: once a day, at the hour each reader chose in the workspace's time zone, one e-mail listing their
// unread notices of the kinds they want gathered, since their previous digest. Queued for the mailer in the
// transaction that records the day's digest, whose key (user, day) lets only one server make it.
import type { AppContext } from '../app/context.ts';
import { automationSettings } from '../app/settings.ts';
import type { Clock } from '../domain/clock.ts';
import { DIGEST_MAX_LISTED, digestDay, digestEmail, firstDigestSince } from '../domain/digest.ts';
import {
  claimDigest,
  digestReaders,
  digestsMadeOn,
  previousDigestThrough,
  recordDigest,
  unreadForDigest,
} from '../store/digests.ts';
import { queueEmails } from '../store/emails.ts';
import { newestNotificationId } from '../store/notifications.ts';

export interface DigestReport {
  /** Digests e-mailed (queued for the mailer) by this run. */
  sent: number;
  /** Digests due this run that had nothing unread to list: recorded, not e-mailed. */
  empty: number;
}

export class DailyDigest {
  constructor(
    private readonly app: AppContext,
    private readonly opts: { clock?: Clock } = {},
  ) {}

  /** Makes every digest that is due now and not made yet. */
  async run(): Promise<DigestReport> {
    const { app } = this;
    const report: DigestReport = { sent: 0, empty: 0 };
    const settings = await automationSettings(app);
    // Without a way to send e-mail there is no digest; the notices wait in the app.
    if (!settings.email.smtpUrl) return report;
    const now = (this.opts.clock ?? app.clock).now();
    const timeZone = settings.calendar.timeZone;
    const readers = await digestReaders(app.db.kysely);
    const byDay = new Map<string, typeof readers>();
    for (const reader of readers) {
      const day = digestDay(now, timeZone, reader.digestHour);
      if (day) byDay.set(day, [...(byDay.get(day) ?? []), reader]);
    }
    for (const [day, due] of byDay) {
      const made = await digestsMadeOn(
        app.db.kysely,
        due.map((r) => r.userId),
        day,
      );
      for (const reader of due) {
        if (made.has(reader.userId)) continue;
        const at = now.toISOString();
        const outcome = await app.db.kysely.transaction().execute(async (tx) => {
          const previous = await previousDigestThrough(tx, reader.userId, day);
          const through = await newestNotificationId(tx, reader.userId);
          if (!(await claimDigest(tx, reader.userId, day, through, at))) return 'taken' as const;
          const { notices, total } = await unreadForDigest(
            tx,
            reader.userId,
            reader.digestKinds,
            { after: previous === null ? { since: firstDigestSince(now) } : { id: previous }, upTo: through },
            DIGEST_MAX_LISTED,
          );
          await recordDigest(tx, reader.userId, day, through, total);
          if (total === 0) return 'empty' as const;
          const mail = digestEmail(notices, {
            total,
            kinds: reader.digestKinds,
            publicUrl: settings.publicUrl,
            timeZone,
            shopName: settings.email.shopName,
          });
          await queueEmails(tx, [
            {
              kind: 'digest',
              to: reader.email,
              subject: mail.subject,
              body: mail.text,
              orderId: null,
              userId: reader.userId,
              eventSeq: Math.max(...notices.map((n) => n.eventSeq)),
              createdAt: at,
            },
          ]);
          return 'sent' as const;
        });
        if (outcome === 'sent') report.sent++;
        else if (outcome === 'empty') report.empty++;
      }
    }
    return report;
  }
}
