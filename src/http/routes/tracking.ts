// /api/v1/track/{token}: the customer's view of one order (no sign-in, rate-limited), its live updates and the
// customer's approval; /api/v1/orders/{id}/tracking: staff reading, rotating and switching off the link.
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import {
  approveByCustomer,
  MAX_CHANGE_REQUEST,
  requestChangesByCustomer,
  rotateTrackingLink,
  setTrackingLink,
  trackedOrder,
  trackingLink,
  trackOrder,
} from '../../app/tracking.ts';
import type { LiveFeed } from '../../jobs/live-feed.ts';
import type { FeedEvent } from '../../store/events.ts';
import { orderByTrackingToken } from '../../store/tracking.ts';
import { actorOf } from '../auth.ts';
import * as S from '../schemas.ts';
import { type RequestLimiter, TRACKING_REPLIES_PER_MINUTE } from '../security.ts';

// Any length the router passes on: a token that is not of a valid shape is an unknown link (404), not bad input.
const TokenParam = z.object({ token: z.string().min(1) });
const publicErrors = { 400: S.Problem, 404: S.Problem, 409: S.Problem, 429: S.Problem };
const staffErrors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem, 429: S.Problem };

const Day = z.string().meta({ format: 'date' });

export const TrackingView = z
  .object({
    shop: z.object({
      name: z.string(),
      logoUrl: z.string().nullable(),
      accentColor: z.string().meta({ example: '#2f5bea' }),
      contact: z.string().nullable(),
    }),
    order: z.object({ number: z.string().meta({ example: 'ORD-1042' }), title: z.string() }),
    status: z.object({
      label: z.string().meta({ description: "The current step in the customer's words", example: 'Being printed' }),
      state: z.enum(['active', 'on_hold', 'cancelled', 'completed']),
    }),
    steps: z.array(
      z.object({
        label: z.string(),
        state: z
          .enum(['done', 'current', 'upcoming', 'skipped'])
          .meta({ description: 'skipped: a manager moved the order past this step (it carries no date)' }),
        reachedOn: Day.nullable().meta({ description: "The day it was reached, in the shop's time zone; null if skipped" }),
      }),
    ),
    delivery: z.object({
      basis: z.enum(['forecast', 'promised', 'delivered', 'none']),
      from: Day.nullable(),
      to: Day.nullable().meta({ description: 'The end of the range when the date is uncertain' }),
      promised: Day.nullable(),
      deliveredOn: Day.nullable(),
      text: z
        .string()
        .nullable()
        .meta({ example: 'We promised Friday 18 December; on current progress we expect Thursday 17 December.' }),
      promisedText: z
        .string()
        .nullable()
        .meta({ description: 'Whether the forecast keeps the promise', example: 'That is on time.' }),
      pastPromise: z.boolean().meta({ description: 'The forecast runs past the promised date' }),
    }),
    note: z
      .object({ kind: z.enum(['approval', 'on-hold']), text: z.string(), action: z.string() })
      .nullable()
      .meta({ description: 'Why the order waits and what the customer can do' }),
    approval: z
      .object({
        proofUrl: z.string().nullable().meta({ description: "The link in the stage's proof field" }),
        proofFile: z
          .object({
            id: z.string(),
            name: z.string(),
            type: z.string().meta({ example: 'application/pdf' }),
            size: z.number().int(),
            url: z.string().meta({ description: 'Read through this tracking link: /api/v1/track/{token}/files/{fileId}' }),
          })
          .nullable()
          .meta({ description: 'The newest proof file the shop made visible to the customer' }),
        canRespond: z.boolean(),
      })
      .nullable()
      .meta({ description: 'Set while the order waits for the customer to approve (a proof)' }),
    updatedAt: S.Timestamp,
    dates: S.WorkspaceDates,
  })
  .meta({ id: 'Tracking', description: "The customer's view of an order: nothing internal" });

const TrackingLink = z
  .object({
    orderId: z.string(),
    number: z.string(),
    enabled: z.boolean().meta({ description: 'Off: the link answers as an unknown one' }),
    trackingUrl: z.string(),
  })
  .meta({ id: 'TrackingLink' });

/** Event types that change what the customer sees; comments, flags and invoicing do not. */
const CUSTOMER_VISIBLE = new Set([
  'order.updated',
  'order.stage_changed',
  'order.held',
  'order.resumed',
  'order.cancelled',
  'order.completed',
  'order.customer_approved',
  'order.changes_requested',
  'order.tracking_changed',
  'file.attached',
  'file.visibility_changed',
  'file.removed',
]);
const KEEPALIVE_MS = 15_000;

export function trackingRoutes(app: AppContext, feed: LiveFeed, lookups: RequestLimiter): FastifyPluginAsyncZod {
  return async (server) => {
    const open = new Set<ServerResponse>();
    server.addHook('preClose', async () => {
      for (const res of open) res.end();
    });
    const replies = { max: TRACKING_REPLIES_PER_MINUTE, timeWindow: '1 minute' };

    server.get(
      '/track/:token',
      {
        config: { public: true },
        onRequest: lookups,
        schema: {
          tags: ['tracking'],
          summary: "The customer's view of an order, by its tracking link (no sign-in; rate-limited)",
          security: [],
          params: TokenParam,
          response: { 200: TrackingView, ...publicErrors },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
        return trackOrder(app, request.params.token);
      },
    );

    server.get(
      '/track/:token/stream',
      {
        config: { public: true },
        onRequest: lookups,
        schema: {
          tags: ['tracking'],
          summary:
            'Server-Sent Events for one tracking link: `update` when what the customer sees may have changed, `gone` when the link stops working',
          security: [],
          params: TokenParam,
          produces: ['text/event-stream'],
          response: {
            200: z.string().meta({ description: 'A never-ending text/event-stream of `update` and `gone` events (no data)' }),
            ...publicErrors,
          },
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        const order = await trackedOrder(app, token);
        const res = reply.raw;
        reply.hijack();
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
          'x-content-type-options': 'nosniff',
        });
        res.write('retry: 3000\n: connected\n\n');
        open.add(res);
        let checking = false;
        let again = false;
        let ended = false;
        const end = () => {
          if (ended) return;
          ended = true;
          clearInterval(ping);
          unsubscribe();
          open.delete(res);
        };
        // Nothing but "look again": the customer view is read through the link, never sent from here.
        const check = () => {
          if (checking) {
            again = true;
            return;
          }
          checking = true;
          again = false;
          orderByTrackingToken(app.db.kysely, token)
            .then((still) => {
              if (ended) return;
              if (still) {
                res.write('event: update\ndata: {}\n\n');
              } else {
                res.write('event: gone\ndata: {}\n\n');
                res.end();
                end();
              }
            })
            .catch((err) => request.log.error({ err }, 'tracking stream could not check its link'))
            .finally(() => {
              checking = false;
              if (again && !ended) check();
            });
        };
        const unsubscribe = feed.subscribe((events: FeedEvent[]) => {
          if (events.some((e) => e.orderId === order.id && CUSTOMER_VISIBLE.has(e.type))) check();
        });
        const ping = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
        request.raw.on('close', end);
      },
    );

    server.post(
      '/track/:token/approve',
      {
        config: { public: true, rateLimit: replies },
        schema: {
          tags: ['tracking'],
          summary:
            'The customer approves (a proof): the order moves to the next stage, recorded with the customer as the actor (rate-limited)',
          security: [],
          params: TokenParam,
          body: z.strictObject({}).nullish(),
          response: { 200: TrackingView, ...publicErrors },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return approveByCustomer(app, request.params.token);
      },
    );

    server.post(
      '/track/:token/request-changes',
      {
        config: { public: true, rateLimit: replies },
        schema: {
          tags: ['tracking'],
          summary:
            'The customer asks for changes, with a message: the order goes back to the stage the workflow names and its owner is told (rate-limited)',
          security: [],
          params: TokenParam,
          body: z.strictObject({ message: z.string().max(MAX_CHANGE_REQUEST) }),
          response: { 200: TrackingView, ...publicErrors },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return requestChangesByCustomer(app, request.params.token, request.body.message);
      },
    );

    server.get(
      '/orders/:id/tracking',
      {
        schema: {
          tags: ['orders'],
          summary: "The order's customer tracking link and whether it works",
          params: S.IdParam,
          response: { 200: TrackingLink, ...staffErrors },
        },
      },
      async (request) => trackingLink(app, actorOf(request), request.params.id),
    );

    server.put(
      '/orders/:id/tracking',
      {
        schema: {
          tags: ['orders'],
          summary: 'Switch the tracking link off (it stops working at once) or back on (admin, manager, sales, service)',
          params: S.IdParam,
          body: z.strictObject({ enabled: z.boolean() }),
          response: { 200: TrackingLink, ...staffErrors },
        },
      },
      async (request) => setTrackingLink(app, actorOf(request), request.params.id, request.body.enabled),
    );

    server.post(
      '/orders/:id/tracking/rotate',
      {
        schema: {
          tags: ['orders'],
          summary: 'A new tracking link; the old one stops working at once (admin, manager, sales, service)',
          params: S.IdParam,
          body: z.strictObject({}).nullish(),
          response: { 200: TrackingLink, ...staffErrors },
        },
      },
      async (request) => rotateTrackingLink(app, actorOf(request), request.params.id),
    );
  };
}
