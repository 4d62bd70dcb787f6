// /api/v1/webhooks (admin): endpoints, their signing secret (shown once), the delivery log, and resending failed deliveries.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import {
  changeWebhook,
  createWebhook,
  removeWebhook,
  resendAllFailed,
  resendDelivery,
  rotateWebhookSecret,
  webhook,
  webhookDeliveries,
  webhooks,
} from '../../app/webhooks.ts';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhooks.ts';
import { actorOf } from '../auth.ts';
import * as S from '../schemas.ts';

const errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem, 409: S.Problem };

const EventType = z.enum(WEBHOOK_EVENT_TYPES);

export const Webhook = z
  .object({
    id: z.string(),
    url: z.string(),
    eventTypes: z.array(EventType),
    active: z.boolean(),
    description: z.string().nullable(),
    role: S.Role.nullable().meta({
      description:
        'The role whose view payloads carry: fields hidden from it are left out; null: everything (as an admin sees it)',
    }),
    createdAt: S.Timestamp,
    updatedAt: S.Timestamp,
    deliveries: z.record(z.string(), z.number().int()).meta({ description: 'Deliveries by status: pending, delivered, failed' }),
  })
  .meta({ id: 'Webhook' });

const WithSecret = Webhook.extend({
  secret: z.string().meta({ description: 'The signing secret (whsec_...): shown in this answer only' }),
});

export const WebhookDelivery = z
  .object({
    id: z.number().int(),
    messageId: z.string().meta({ description: 'The webhook-id header: the same on every attempt' }),
    eventSeq: z.number().int(),
    eventType: z.string(),
    orderId: z.string().nullable(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    createdAt: S.Timestamp,
    nextAttemptAt: S.Timestamp.nullable(),
    deliveredAt: S.Timestamp.nullable(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    attemptLog: z.array(
      z.object({
        at: S.Timestamp,
        statusCode: z.number().int().nullable(),
        durationMs: z.number().int(),
        error: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'WebhookDelivery' });

const Url = z.string().trim().min(1).max(2000);

const NewWebhook = z.strictObject({
  url: Url,
  eventTypes: z.array(EventType).min(1).max(50),
  active: z.boolean().optional(),
  description: z.string().trim().max(500).nullable().optional(),
  role: S.Role.nullable().optional(),
});

const WebhookChange = z.strictObject({
  url: Url.optional(),
  eventTypes: z.array(EventType).min(1).max(50).optional(),
  active: z.boolean().optional(),
  description: z.string().trim().max(500).nullable().optional(),
  role: S.Role.nullable().optional(),
});

const DeliveryParams = S.IdParam.extend({ deliveryId: z.coerce.number().int().min(1).max(2_147_483_647) });

export function webhookRoutes(app: AppContext): FastifyPluginAsyncZod {
  return async (server) => {
    server.get(
      '/webhooks',
      {
        schema: {
          tags: ['webhooks'],
          summary: 'Webhook endpoints (admin)',
          response: { 200: z.object({ items: z.array(Webhook) }), ...errors },
        },
      },
      async (request) => ({ items: await webhooks(app, actorOf(request)) }),
    );

    server.get(
      '/webhooks/event-types',
      {
        schema: {
          tags: ['webhooks'],
          summary: 'Every event type an endpoint can subscribe to',
          response: { 200: z.object({ items: z.array(EventType) }), ...errors },
        },
      },
      async (request) => {
        actorOf(request);
        return { items: [...WEBHOOK_EVENT_TYPES] };
      },
    );

    server.post(
      '/webhooks',
      {
        schema: {
          tags: ['webhooks'],
          summary:
            'Register an endpoint (admin). Deliveries follow Standard Webhooks: headers webhook-id, webhook-timestamp, webhook-signature; the secret is shown only in this answer',
          body: NewWebhook,
          response: { 201: WithSecret, ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(await createWebhook(app, actorOf(request), request.body)),
    );

    server.get(
      '/webhooks/:id',
      {
        schema: { tags: ['webhooks'], summary: 'One endpoint (admin)', params: S.IdParam, response: { 200: Webhook, ...errors } },
      },
      async (request) => webhook(app, actorOf(request), request.params.id),
    );

    server.patch(
      '/webhooks/:id',
      {
        schema: {
          tags: ['webhooks'],
          summary: 'Change an endpoint: URL, event types, active (admin)',
          params: S.IdParam,
          body: WebhookChange,
          response: { 200: Webhook, ...errors },
        },
      },
      async (request) => changeWebhook(app, actorOf(request), request.params.id, request.body),
    );

    server.delete(
      '/webhooks/:id',
      {
        schema: {
          tags: ['webhooks'],
          summary: 'Remove an endpoint and its delivery log (admin)',
          params: S.IdParam,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await removeWebhook(app, actorOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    server.post(
      '/webhooks/:id/rotate-secret',
      {
        schema: {
          tags: ['webhooks'],
          summary: 'Give an endpoint a new signing secret, shown only in this answer (admin)',
          params: S.IdParam,
          response: { 200: WithSecret, ...errors },
        },
      },
      async (request) => rotateWebhookSecret(app, actorOf(request), request.params.id),
    );

    server.get(
      '/webhooks/:id/deliveries',
      {
        schema: {
          tags: ['webhooks'],
          summary: "An endpoint's delivery log, newest first, with every attempt's status and response time (admin)",
          params: S.IdParam,
          querystring: z.strictObject({
            status: z.enum(['pending', 'delivered', 'failed']).optional(),
            limit: S.Limit,
            cursor: z.string().max(20).optional(),
          }),
          response: { 200: S.pageOf(WebhookDelivery), ...errors },
        },
      },
      async (request) => webhookDeliveries(app, actorOf(request), request.params.id, request.query),
    );

    server.post(
      '/webhooks/:id/deliveries/:deliveryId/resend',
      {
        schema: {
          tags: ['webhooks'],
          summary: 'Send a failed delivery again, with the same webhook-id (admin)',
          params: DeliveryParams,
          response: { 200: WebhookDelivery, ...errors },
        },
      },
      async (request) => resendDelivery(app, actorOf(request), request.params.id, request.params.deliveryId),
    );

    server.post(
      '/webhooks/:id/resend-failed',
      {
        schema: {
          tags: ['webhooks'],
          summary: "Send all of an endpoint's failed deliveries again (admin)",
          params: S.IdParam,
          response: { 200: z.object({ resent: z.number().int() }), ...errors },
        },
      },
      async (request) => resendAllFailed(app, actorOf(request), request.params.id),
    );
  };
}
