// /api/v1/settings (admin): the business calendar (and public holidays to add to it), the due-soon reminder window,
// e-mail (and a test message), webhook network rules, the tracking page's look, customer-update defaults.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { holidayCountries, publicHolidays } from '../../app/public-holidays.ts';
import { changeSettings, readSettings } from '../../app/settings.ts';
import { sendTestEmail } from '../../app/test-email.ts';
import { isSupportedLocale } from '../../domain/date-format.ts';
import { actorOf } from '../auth.ts';
import * as S from '../schemas.ts';

const errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem };

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');

export const BusinessCalendar = z
  .strictObject({
    timeZone: z.string().min(1).max(64).meta({ example: 'Europe/London' }),
    workingDays: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .max(7)
      .meta({ description: 'ISO weekdays: 1 = Monday ... 7 = Sunday', example: [1, 2, 3, 4, 5] }),
    dayStart: HHMM.meta({ example: '08:00' }),
    dayEnd: HHMM.meta({ example: '17:00' }),
    holidays: z.array(S.CalendarDate).max(1000),
  })
  .meta({ id: 'BusinessCalendar' });

const TrackingPage = z
  .object({
    logoUrl: z.string().nullable().meta({ description: 'An http(s) image at the top of the page; null: the shop name alone' }),
    accentColor: z.string().meta({ description: 'The accent colour, #rrggbb', example: '#2f5bea' }),
    contact: z.string().nullable().meta({ description: 'How customers reach the shop, shown when an order waits' }),
  })
  .meta({ description: "The customer's tracking page; its heading is email.shopName" });

export const Settings = z
  .object({
    calendar: BusinessCalendar,
    dueSoonDays: z.number().int().meta({ description: 'Orders due within this many days get a reminder to the stage owner' }),
    currency: z.string().meta({ description: 'ISO 4217 code amounts are in', example: 'EUR' }),
    locale: z.string().meta({
      description: "How dates read in the app, tracking page and e-mails (in the calendar's time zone)",
      example: 'en-GB',
    }),
    email: z.object({
      from: z.string(),
      shopName: z.string(),
      smtpUrl: z.string().nullable().meta({ description: 'Where e-mail goes out; the password is never shown' }),
      smtpConfigured: z.boolean(),
    }),
    webhooks: z.object({ allowPrivateNetworks: z.boolean() }),
    publicUrl: z.string().meta({ description: 'Where customers reach the server: tracking links in e-mails start with it' }),
    tracking: TrackingPage,
    customerUpdates: z.object({
      emailByDefault: z.boolean().meta({
        description:
          "Whether a new order's customer is e-mailed when it enters a stage marked notifyCustomer (each order can be switched on its own)",
      }),
    }),
  })
  .meta({ id: 'Settings' });

const SettingsChange = z.strictObject({
  calendar: BusinessCalendar.optional(),
  dueSoonDays: z.number().int().min(0).max(365).optional(),
  currency: z
    .string()
    .refine((c) => Intl.supportedValuesOf('currency').includes(c.toUpperCase()), 'must be an ISO 4217 currency code, e.g. EUR')
    .optional(),
  locale: z
    .string()
    .trim()
    .min(2)
    .max(35)
    .refine(isSupportedLocale, 'must be a locale this server knows, e.g. en-GB or de-DE')
    .optional(),
  email: z
    .strictObject({
      from: z.string().trim().min(3).max(300).optional(),
      shopName: z.string().trim().min(1).max(200).optional(),
      smtpUrl: z.string().max(2000).nullable().optional(),
    })
    .optional(),
  webhooks: z.strictObject({ allowPrivateNetworks: z.boolean().optional() }).optional(),
  publicUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .optional(),
  tracking: z
    .strictObject({
      logoUrl: z
        .url({ protocol: /^https?$/ })
        .max(2000)
        .nullable()
        .optional(),
      accentColor: z
        .string()
        .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour written #rrggbb')
        .optional(),
      contact: z.string().trim().max(300).nullable().optional(),
    })
    .optional(),
  customerUpdates: z.strictObject({ emailByDefault: z.boolean().optional() }).optional(),
});

const Place = z.object({ code: z.string(), name: z.string() });

const PublicHolidays = z
  .object({
    country: Place,
    region: Place.nullable(),
    year: z.number().int(),
    holidays: z.array(z.object({ date: S.CalendarDate, name: z.string() })),
    regions: z.array(Place).meta({ description: "The country's regions whose holidays differ (pass one as ?region=)" }),
  })
  .meta({ id: 'PublicHolidays' });

const TestEmail = z.strictObject({
  to: z.email().max(300).meta({ description: 'Who gets the test message' }),
  smtpUrl: z
    .string()
    .max(2000)
    .optional()
    .meta({ description: 'Try this server instead of the saved one; the masked URL the settings show means the saved one' }),
  from: z.string().trim().min(3).max(300).optional(),
});

const TestEmailResult = z
  .object({
    sent: z.boolean(),
    serverAnswer: z.string().nullable().meta({ description: "The SMTP server's own answer, e.g. 250 2.0.0 Ok: queued" }),
    error: z.string().nullable().meta({ description: 'Why it was not sent, in plain words; null when sent' }),
    server: z.string().meta({ description: 'The server tried (scheme, host and port; never the password)' }),
  })
  .meta({ id: 'TestEmailResult' });

export function settingsRoutes(app: AppContext): FastifyPluginAsyncZod {
  return async (server) => {
    server.get(
      '/settings',
      {
        schema: { tags: ['settings'], summary: 'Automation settings (admin)', response: { 200: Settings, ...errors } },
      },
      async (request) => readSettings(app, actorOf(request)),
    );

    server.put(
      '/settings',
      {
        schema: {
          tags: ['settings'],
          summary: 'Change automation settings (admin); members left out keep their value',
          body: SettingsChange,
          response: { 200: Settings, ...errors },
        },
      },
      async (request) => changeSettings(app, actorOf(request), request.body),
    );

    server.get(
      '/settings/holidays',
      {
        schema: {
          tags: ['settings'],
          summary: 'The countries whose public holidays can be looked up (admin)',
          response: { 200: z.object({ items: z.array(Place) }), ...errors },
        },
      },
      async (request) => ({ items: holidayCountries(actorOf(request)) }),
    );

    server.get(
      '/settings/holidays/:country',
      {
        schema: {
          tags: ['settings'],
          summary:
            "A country's (or one of its regions') public holidays in a year, to add to the calendar's holidays (admin); nothing is changed",
          params: z.strictObject({
            country: z
              .string()
              .regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code (ISO 3166-1), e.g. GB')
              .meta({ example: 'GB' }),
          }),
          querystring: z.strictObject({
            year: z.coerce.number().int().min(1970).max(2200).optional().meta({ description: 'Default: this year' }),
            region: z
              .string()
              .regex(/^[A-Za-z0-9-]{1,10}$/, 'must be a region code, e.g. ENG')
              .optional()
              .meta({ description: 'A state or province code from `regions`', example: 'ENG' }),
          }),
          response: { 200: PublicHolidays, ...errors, 404: S.Problem },
        },
      },
      async (request) =>
        publicHolidays(
          actorOf(request),
          request.params.country,
          request.query.year ?? app.clock.now().getUTCFullYear(),
          request.query.region,
        ),
    );

    server.post(
      '/settings/email/test',
      {
        schema: {
          tags: ['settings'],
          summary:
            "Send a test e-mail now through the saved SMTP server (or the one given) and answer with the server's reply or why it failed (admin)",
          body: TestEmail,
          response: { 200: TestEmailResult, ...errors },
        },
      },
      async (request) => sendTestEmail(app, actorOf(request), request.body),
    );
  };
}
