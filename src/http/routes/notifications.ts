// /api/v1/notifications: my in-app inbox (the bell), marking notices read, and how each kind reaches me (e-mail, digest).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import {
  inbox,
  markAllNotificationsRead,
  markNotificationRead,
  notificationPreferences,
  setNotificationPreferences,
  unreadNotifications,
} from '../../app/notifications.ts';
import { DELIVERIES } from '../../domain/notice-delivery.ts';
import { NOTIFICATION_KINDS } from '../../domain/notifications.ts';
import { actorOf } from '../auth.ts';
import * as S from '../schemas.ts';

const errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem };

export const Notification = z
  .object({
    id: z.number().int(),
    kind: z.enum(NOTIFICATION_KINDS),
    orderId: z.string().nullable(),
    orderNumber: z.string().nullable().meta({ example: 'ORD-1042' }),
    title: z.string().meta({ example: 'ORD-1042 is ready for you: Pack and arrange pickup or shipping' }),
    body: z.string(),
    createdAt: S.Timestamp,
    readAt: S.Timestamp.nullable(),
  })
  .meta({ id: 'Notification' });

const Unread = z.object({ unreadCount: z.number().int() });

const Kinds = z.array(z.enum(NOTIFICATION_KINDS)).max(20);
const DigestHour = z
  .number()
  .int()
  .min(0)
  .max(23)
  .meta({ description: "The hour the daily digest goes out, in the workspace's time zone" });
const DeliveryByKind = z.partialRecord(z.enum(NOTIFICATION_KINDS), z.enum(DELIVERIES));

const NotificationPreferences = z
  .object({
    emailKinds: z.array(z.enum(NOTIFICATION_KINDS)).meta({ description: 'The kinds of notice also e-mailed at once' }),
    digestKinds: z
      .array(z.enum(NOTIFICATION_KINDS))
      .meta({ description: 'The kinds of notice listed in one e-mail a day, while still unread' }),
    digestHour: DigestHour,
    delivery: z.record(z.enum(NOTIFICATION_KINDS), z.enum(DELIVERIES)).meta({
      description: 'Per kind: in-app (the bell only), email (also e-mailed at once) or digest (also in the daily e-mail)',
    }),
    available: z.array(z.enum(NOTIFICATION_KINDS)),
  })
  .meta({ id: 'NotificationPreferences' });

const NotificationId = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

export function notificationRoutes(app: AppContext): FastifyPluginAsyncZod {
  return async (server) => {
    server.get(
      '/notifications',
      {
        schema: {
          tags: ['notifications'],
          summary: 'My notifications, newest first, with the unread count',
          querystring: z.strictObject({
            unread: z
              .enum(['true', 'false'])
              .transform((v) => v === 'true')
              .optional()
              .meta({ description: 'Only unread ones' }),
            limit: S.Limit,
            cursor: z.string().max(20).optional(),
          }),
          response: {
            200: z.object({ items: z.array(Notification), nextCursor: z.string().nullable(), unreadCount: z.number().int() }),
            ...errors,
          },
        },
      },
      async (request) => inbox(app, actorOf(request), request.query),
    );

    server.get(
      '/notifications/unread-count',
      {
        schema: {
          tags: ['notifications'],
          summary: "How many of my notifications are unread (the bell's number)",
          response: { 200: Unread, ...errors },
        },
      },
      async (request) => unreadNotifications(app, actorOf(request)),
    );

    server.post(
      '/notifications/:id/read',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Mark one of my notifications read',
          params: NotificationId,
          response: { 200: Notification, ...errors },
        },
      },
      async (request) => markNotificationRead(app, actorOf(request), request.params.id),
    );

    server.post(
      '/notifications/read-all',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Mark all my notifications read',
          response: { 200: z.object({ marked: z.number().int(), unreadCount: z.number().int() }), ...errors },
        },
      },
      async (request) => markAllNotificationsRead(app, actorOf(request)),
    );

    server.get(
      '/notifications/preferences',
      {
        schema: {
          tags: ['notifications'],
          summary: 'How each kind of notice reaches me: in the app only, also by e-mail at once, or in a daily digest',
          response: { 200: NotificationPreferences, ...errors },
        },
      },
      async (request) => notificationPreferences(app, actorOf(request)),
    );

    server.put(
      '/notifications/preferences',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Choose how each kind of notice reaches me; only what is sent changes',
          description:
            '`delivery` sets the kinds it names. Or, as before, `emailKinds` names every kind e-mailed at once (others that were become in-app only) ' +
            'and `digestKinds` every kind in the digest; a kind cannot be in both. `digestHour` alone changes the hour.',
          body: z.strictObject({
            emailKinds: Kinds.optional(),
            digestKinds: Kinds.optional(),
            delivery: DeliveryByKind.optional(),
            digestHour: DigestHour.optional(),
          }),
          response: { 200: NotificationPreferences, ...errors },
        },
      },
      async (request) => setNotificationPreferences(app, actorOf(request), request.body),
    );
  };
}
