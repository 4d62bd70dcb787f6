// The daily digest: when a user's digest is due, and the one e-mail that lists their unread notices of the kinds they chose.
import { DateTime } from 'luxon';
import type { NotificationKind } from './notifications.ts';

/** A digest lists at most this many notices; the rest are counted and wait in the app. */
export const DIGEST_MAX_LISTED = 50;

/**
 * The day (YYYY-MM-DD, in the workspace's time zone) whose digest is due at `now`, or null before the chosen hour.
 * A day has one digest, so a server that was down at the hour sends it when it is back, the same day.
 */
export function digestDay(now: Date, timeZone: string, hour: number): string | null {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  return local.hour >= hour ? local.toISODate() : null;
}

/** The first digest covers what came in the day before it; later ones, everything since the previous one. */
export function firstDigestSince(now: Date): string {
  return new Date(now.getTime() - 24 * 3_600_000).toISOString();
}

export interface DigestNotice {
  kind: NotificationKind;
  orderNumber: string | null;
  title: string;
  body: string;
  createdAt: string;
}

export interface DigestEmail {
  subject: string;
  text: string;
}

/** "24 Nov 09:12" in the workspace's time zone. */
const when = (at: string, timeZone: string) =>
  DateTime.fromISO(at, { zone: 'UTC' }).setZone(timeZone).setLocale('en-GB').toFormat('d LLL HH:mm');

/** One e-mail for the day: each notice with a link to its order, newest first, and how to change the choice. */
export function digestEmail(
  notices: DigestNotice[],
  opts: { total: number; kinds: NotificationKind[]; publicUrl: string; timeZone: string; shopName: string },
): DigestEmail {
  const count = opts.total === 1 ? '1 unread notice' : `${opts.total} unread notices`;
  const lines = [`Your Floorboard digest${opts.shopName ? ` for ${opts.shopName}` : ''}: ${count} since the last one.`, ''];
  for (const n of notices) {
    lines.push(`- ${n.title} (${when(n.createdAt, opts.timeZone)})`, `  ${n.body}`);
    if (n.orderNumber) lines.push(`  ${opts.publicUrl}/orders/${encodeURIComponent(n.orderNumber)}`);
    lines.push('');
  }
  if (opts.total > notices.length) lines.push(`…and ${opts.total - notices.length} more in Floorboard.`, '');
  lines.push(
    `All your notices: ${opts.publicUrl}/notifications`,
    '',
    `You get this digest because you chose a daily digest of these notices in Floorboard: ${opts.kinds.join(', ')}.`,
  );
  return { subject: `Floorboard digest: ${count}`, text: `${lines.join('\n')}\n` };
}
