// Admin settings for automation (business calendar, reminder window, e-mail, webhooks), with defaults from the environment.
import type { Kysely } from 'kysely';
import { type BusinessCalendar, checkCalendar, DEFAULT_CALENDAR } from '../domain/calendar.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { type DateStyle, DEFAULT_LOCALE, isSupportedLocale } from '../domain/date-format.ts';
import { isCalendarDate } from '../domain/fields.ts';
import type { FlagContext } from '../domain/order.ts';
import { mayAdminister } from '../domain/roles.ts';
import type { Db } from '../store/db.ts';
import { appendEvents } from '../store/events.ts';
import { loadPace } from '../store/pace.ts';
import type { Database } from '../store/schema.ts';
import { readSettingRows, writeSettingRows } from '../store/settings.ts';
import { type Actor, type AppContext, eventActor, transact } from './context.ts';
import { forbidden, validationFailed } from './problem.ts';
import { etaLookup, forgetForecasts, warmForecasts } from './reports/forecasts.ts';

export interface AutomationSettings {
  /** Working days and hours, holidays, time zone: stall thresholds and deadlines count in it. */
  calendar: BusinessCalendar;
  /** Orders due within this many days get a reminder to the stage owner (0 = no reminders). */
  dueSoonDays: number;
  /** The currency amounts are in (ISO 4217, e.g. "EUR"): the invoicing page writes amounts in it. */
  currency: string;
  /** How dates read in the app, on the tracking page and in e-mails (BCP 47, e.g. "en-GB"), in the calendar's zone. */
  locale: string;
  email: {
    /** The From of every e-mail Floorboard sends. */
    from: string;
    /** Signs customer e-mails. */
    shopName: string;
    /** Where e-mail goes out (smtp:// or smtps://); null = no e-mail is sent. */
    smtpUrl: string | null;
  };
  webhooks: {
    /** Allow endpoints on loopback, private and link-local addresses (for a receiver on the same network). */
    allowPrivateNetworks: boolean;
  };
  /** The address customers reach the server at: tracking links in e-mails start with it. */
  publicUrl: string;
  /** The customer's tracking page: its look (the shop's name is `email.shopName`) and how customers reach the shop. */
  tracking: TrackingPageSettings;
  customerUpdates: {
    /** Whether a new order's customer is e-mailed at the stages marked notifyCustomer; each order can be switched. */
    emailByDefault: boolean;
  };
}

export interface TrackingPageSettings {
  /** An http(s) image shown at the top of the page; null for the shop's name alone. */
  logoUrl: string | null;
  /** The page's accent colour, #rrggbb. */
  accentColor: string;
  /** How customers reach the shop, shown when an order waits ("Call 0161 496 0000"); null for none. */
  contact: string | null;
}

export const DEFAULT_TRACKING_PAGE: TrackingPageSettings = { logoUrl: null, accentColor: '#2f5bea', contact: null };

/** The part of the settings an admin may change; every member optional. */
export interface SettingsChange {
  calendar?: BusinessCalendar | undefined;
  dueSoonDays?: number | undefined;
  currency?: string | undefined;
  locale?: string | undefined;
  email?: { from?: string | undefined; shopName?: string | undefined; smtpUrl?: string | null | undefined } | undefined;
  webhooks?: { allowPrivateNetworks?: boolean | undefined } | undefined;
  publicUrl?: string | undefined;
  tracking?:
    | { logoUrl?: string | null | undefined; accentColor?: string | undefined; contact?: string | null | undefined }
    | undefined;
  customerUpdates?: { emailByDefault?: boolean | undefined } | undefined;
}

type Env = Record<string, string | undefined>;

/** What the environment says when no admin has chosen: SMTP_URL, SMTP_FROM, PUBLIC_URL, WEBHOOK_ALLOW_PRIVATE_NETWORKS. */
export function defaultSettings(env: Env = process.env): AutomationSettings {
  const port = env.PORT ?? '3000';
  const host = env.HOST ?? '127.0.0.1';
  return {
    calendar: DEFAULT_CALENDAR,
    dueSoonDays: 2,
    currency: 'USD',
    locale: DEFAULT_LOCALE,
    email: {
      from: env.SMTP_FROM || 'Floorboard <floorboard@localhost>',
      shopName: env.SHOP_NAME || 'Floorboard',
      smtpUrl: env.SMTP_URL || null,
    },
    webhooks: { allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true' },
    publicUrl: (env.PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, ''),
    tracking: DEFAULT_TRACKING_PAGE,
    customerUpdates: { emailByDefault: true },
  };
}

function merge(stored: Record<string, unknown>, env: Env): AutomationSettings {
  const base = defaultSettings(env);
  const pick = <T>(key: string, fallback: T): T => (key in stored ? (stored[key] as T) : fallback);
  return {
    calendar: pick('calendar', base.calendar),
    dueSoonDays: pick('dueSoonDays', base.dueSoonDays),
    currency: pick('currency', base.currency),
    locale: pick('locale', base.locale),
    email: {
      from: pick('email.from', base.email.from),
      shopName: pick('email.shopName', base.email.shopName),
      smtpUrl: pick('email.smtpUrl', base.email.smtpUrl),
    },
    webhooks: {
      // An operator who allows it in the environment cannot be overruled from the admin page.
      allowPrivateNetworks: base.webhooks.allowPrivateNetworks || pick('webhooks.allowPrivateNetworks', false),
    },
    publicUrl: pick('publicUrl', base.publicUrl),
    tracking: {
      logoUrl: pick('tracking.logoUrl', base.tracking.logoUrl),
      accentColor: pick('tracking.accentColor', base.tracking.accentColor),
      contact: pick('tracking.contact', base.tracking.contact),
    },
    customerUpdates: { emailByDefault: pick('customerUpdates.emailByDefault', base.customerUpdates.emailByDefault) },
  };
}

/**
 * Settings are read on every order view and every job tick: keep them (and the shop's pace) for
 * a moment. This process's own writes drop the copy at once; other processes see a change
 * within CACHE_MS.
 */
const CACHE_MS = 2000;
interface Cached {
  at: number;
  settings: AutomationSettings;
  ctx: FlagContext;
}
const cache = new WeakMap<Db, Cached>();

export function forgetSettings(db: Db): void {
  cache.delete(db);
}

async function cached(app: AppContext, reader: Kysely<Database>): Promise<Cached> {
  const hit = cache.get(app.db);
  if (hit && performance.now() - hit.at < CACHE_MS) return hit;
  const settings = merge(await readSettingRows(reader), process.env);
  const entry: Cached = { at: performance.now(), settings, ctx: { calendar: settings.calendar, pace: await loadPace(reader) } };
  cache.set(app.db, entry);
  return entry;
}

/** The settings in force. Pass the transaction when inside one (SQLite has a single connection). */
export async function automationSettings(app: AppContext, reader: Kysely<Database> = app.db.kysely): Promise<AutomationSettings> {
  return (await cached(app, reader)).settings;
}

/** What flags are judged by: the business calendar and the shop's recent pace. */
export async function flagContext(app: AppContext, reader: Kysely<Database> = app.db.kysely): Promise<FlagContext> {
  const { ctx } = await cached(app, reader);
  // Forecasts read the database on their own: only outside a transaction may a missing one be waited for.
  if (reader === app.db.kysely) await warmForecasts(app);
  return { ...ctx, eta: etaLookup(app, ctx.calendar) };
}

/** The workspace's way with dates: its locale, and the business calendar's time zone. */
export function dateStyle(s: AutomationSettings): DateStyle {
  return { locale: s.locale, timeZone: s.calendar.timeZone };
}

/** The workspace's date style as the web app is told it: everyone signed in reads dates the workspace's way. */
export async function workspaceDates(app: AppContext): Promise<DateStyle> {
  return dateStyle(await automationSettings(app));
}

/** The settings as an admin sees them: the SMTP password is never shown. */
export function presentSettings(s: AutomationSettings): AutomationSettings & { email: { smtpConfigured: boolean } } {
  return {
    ...s,
    email: { ...s.email, smtpUrl: s.email.smtpUrl ? maskPassword(s.email.smtpUrl) : null, smtpConfigured: !!s.email.smtpUrl },
  };
}

const MASK = '********';

/** The URL the settings showed (its password masked): sending it back means "the one saved". */
export function isMaskedSmtpUrl(url: string): boolean {
  return url.includes(MASK);
}

function maskPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = MASK;
    return u.toString();
  } catch {
    return MASK;
  }
}

export async function readSettings(app: AppContext, actor: Actor): Promise<ReturnType<typeof presentSettings>> {
  if (!mayAdminister(actor.role)) throw forbidden('Only an admin may read the settings');
  forgetSettings(app.db);
  return presentSettings(await automationSettings(app));
}

function checkChange(change: SettingsChange): void {
  const errors: Array<{ path: string; message: string }> = [];
  if (change.calendar) {
    const problem = checkCalendar(change.calendar);
    if (problem) errors.push({ path: 'calendar', message: problem });
    change.calendar.holidays.forEach((d, i) => {
      if (!isCalendarDate(d)) errors.push({ path: `calendar.holidays.${i}`, message: 'must be a real date written YYYY-MM-DD' });
    });
  }
  if (change.locale !== undefined && !isSupportedLocale(change.locale)) {
    errors.push({ path: 'locale', message: 'must be a locale this server knows, e.g. en-GB or de-DE' });
  }
  const smtp = change.email?.smtpUrl;
  if (smtp && !smtp.includes(MASK) && !/^smtps?:\/\/[^/]+/.test(smtp)) {
    errors.push({ path: 'email.smtpUrl', message: 'must be an smtp:// or smtps:// URL' });
  }
  // The tracking page writes the colour into its CSS and the logo into an <img>: only these shapes get there.
  const accent = change.tracking?.accentColor;
  if (accent !== undefined && !/^#[0-9a-fA-F]{6}$/.test(accent)) {
    errors.push({ path: 'tracking.accentColor', message: 'must be a colour written #rrggbb' });
  }
  const logo = change.tracking?.logoUrl;
  if (logo && !/^https?:\/\/[^\s"'<>]+$/.test(logo)) errors.push({ path: 'tracking.logoUrl', message: 'must be an http(s) URL' });
  if (errors.length) throw validationFailed(errors[0]!.message, errors);
}

export async function changeSettings(
  app: AppContext,
  actor: Actor,
  change: SettingsChange,
): Promise<ReturnType<typeof presentSettings>> {
  if (!mayAdminister(actor.role)) throw forbidden('Only an admin may change the settings');
  checkChange(change);
  const rows: Record<string, unknown> = {};
  if (change.calendar) {
    const c = change.calendar;
    rows.calendar = {
      timeZone: c.timeZone,
      workingDays: [...new Set(c.workingDays)].sort(),
      dayStart: c.dayStart,
      dayEnd: c.dayEnd,
      holidays: [...new Set(c.holidays)].sort(),
    } satisfies BusinessCalendar;
  }
  if (change.dueSoonDays !== undefined) rows.dueSoonDays = change.dueSoonDays;
  if (change.currency !== undefined) rows.currency = change.currency.toUpperCase();
  if (change.locale !== undefined) rows.locale = Intl.getCanonicalLocales(change.locale)[0];
  if (change.email?.from !== undefined) rows['email.from'] = change.email.from;
  if (change.email?.shopName !== undefined) rows['email.shopName'] = change.email.shopName;
  // Sending back the masked URL the settings showed keeps the stored one.
  if (change.email?.smtpUrl !== undefined && !change.email.smtpUrl?.includes(MASK)) rows['email.smtpUrl'] = change.email.smtpUrl;
  if (change.webhooks?.allowPrivateNetworks !== undefined)
    rows['webhooks.allowPrivateNetworks'] = change.webhooks.allowPrivateNetworks;
  if (change.publicUrl !== undefined) rows.publicUrl = change.publicUrl.replace(/\/+$/, '');
  if (change.tracking?.logoUrl !== undefined) rows['tracking.logoUrl'] = change.tracking.logoUrl || null;
  if (change.tracking?.accentColor !== undefined) rows['tracking.accentColor'] = change.tracking.accentColor.toLowerCase();
  if (change.tracking?.contact !== undefined) rows['tracking.contact'] = change.tracking.contact?.trim() || null;
  if (change.customerUpdates?.emailByDefault !== undefined)
    rows['customerUpdates.emailByDefault'] = change.customerUpdates.emailByDefault;
  const at = app.clock.now().toISOString();
  const changes = await transact(app, async (tx) => {
    const before = settingRowsOf(presentSettings(merge(await readSettingRows(tx), process.env)));
    await writeSettingRows(tx, rows, at, actor.userId);
    const after = settingRowsOf(presentSettings(merge(await readSettingRows(tx), process.env)));
    // The audit trail names what changed, before and after; the SMTP password shows masked in both.
    const changed = Object.keys(rows)
      .filter((key) => canonicalJson(before[key]) !== canonicalJson(after[key]))
      .map((key) => ({ field: key, before: before[key] ?? null, after: after[key] ?? null }));
    if (changed.length > 0) {
      await appendEvents(tx, app.db.dialect, [
        { type: 'settings.changed', at, orderId: null, orderVersion: null, actor: eventActor(actor), data: { changes: changed } },
      ]);
    }
    return changed;
  });
  // Every change takes effect at once: flags are judged, and etas counted, on the new calendar from the next read on.
  forgetSettings(app.db);
  if (changes.some((c) => c.field === 'calendar')) forgetForecasts(app.db);
  return presentSettings(await automationSettings(app));
}

/** The settings by the keys they are stored under ("email.smtpUrl", "calendar", ...). */
function settingRowsOf(s: AutomationSettings): Record<string, unknown> {
  return {
    calendar: s.calendar,
    dueSoonDays: s.dueSoonDays,
    currency: s.currency,
    'email.from': s.email.from,
    'email.shopName': s.email.shopName,
    'email.smtpUrl': s.email.smtpUrl,
    'webhooks.allowPrivateNetworks': s.webhooks.allowPrivateNetworks,
    publicUrl: s.publicUrl,
    'tracking.logoUrl': s.tracking.logoUrl,
    'tracking.accentColor': s.tracking.accentColor,
    'tracking.contact': s.tracking.contact,
    'customerUpdates.emailByDefault': s.customerUpdates.emailByDefault,
  };
}
