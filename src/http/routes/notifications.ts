// /api/v1/notifications: my in-app inbox (the bell), marking notices read, and which of them also come by e-mail.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import {
  emailPreferences,
  inbox,
  markAllNotificationsRead,
  markNotificationRead,
  setEmailPreferences,
  unreadNotifications,
} from '../../app/notifications.ts';
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

const EmailPreferences = z
  .object({
    emailKinds: z.array(z.enum(NOTIFICATION_KINDS)).meta({ description: 'The kinds of notice that also come by e-mail' }),
    available: z.array(z.enum(NOTIFICATION_KINDS)),
  })
  .meta({ id: 'EmailPreferences' });

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
          summary: 'Which kinds of notice I also get by e-mail',
          response: { 200: EmailPreferences, ...errors },
        },
      },
      async (request) => emailPreferences(app, actorOf(request)),
    );

    server.put(
      '/notifications/preferences',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Choose which kinds of notice I also get by e-mail',
          body: z.strictObject({ emailKinds: z.array(z.enum(NOTIFICATION_KINDS)).max(20) }),
          response: { 200: EmailPreferences, ...errors },
        },
      },
      async (request) => setEmailPreferences(app, actorOf(request), request.body.emailKinds),
    );
  };
}
