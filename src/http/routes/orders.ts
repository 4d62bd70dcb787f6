// /api/v1/orders: create, find, read, edit, move, hold, resume, cancel, comment, history.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commentOnOrder } from '../../app/comment-order.ts';
import type { AppContext } from '../../app/context.ts';
import { createOrder } from '../../app/create-order.ts';
import { editOrder } from '../../app/edit-order.ts';
import { cancelOrder, holdOrder, resumeOrder } from '../../app/hold-order.ts';
import { moveOrder } from '../../app/move-order.ts';
import type { OrderView } from '../../app/order-view.ts';
import { Problem } from '../../app/problem.ts';
import { findOrders, getOrder, orderHistory } from '../../app/read-orders.ts';
import { actorOf } from '../auth.ts';
import * as S from '../schemas.ts';

const errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem, 409: S.Problem, 422: S.Problem };
/** An event sequence number, as `nextCursor` gives it: the events table keeps it in a 32-bit integer. */
const EventCursor = z
  .string()
  .regex(/^\d{1,10}$/, 'must be a cursor this server gave out')
  .refine((v) => Number(v) <= 2_147_483_647, 'must be a cursor this server gave out');
const IfMatch = z.object({ 'if-match': z.string().max(40).optional(), 'idempotency-key': z.string().min(1).max(200).optional() });

/** The version a write pins: `expectedVersion` in the body or `If-Match: 7` (quotes and W/ allowed). */
function pinnedVersion(request: FastifyRequest, body: { expectedVersion?: number | undefined }): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return body.expectedVersion;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(String(header).trim());
  if (!match) throw new Problem('validation-failed', 'If-Match must be the order version, e.g. If-Match: 7');
  const version = Number(match[1]);
  if (body.expectedVersion !== undefined && body.expectedVersion !== version) {
    throw new Problem('validation-failed', 'If-Match and expectedVersion disagree');
  }
  return version;
}

function sendOrder(reply: FastifyReply, order: OrderView, status = 200) {
  return reply.code(status).header('etag', `"${order.version}"`).send(order);
}

export function orderRoutes(app: AppContext): FastifyPluginAsyncZod {
  return async (server) => {
    server.post(
      '/orders',
      {
        schema: {
          tags: ['orders'],
          summary: 'Create an order',
          headers: IfMatch,
          body: S.NewOrder,
          response: { 201: S.Order, ...errors },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const key = request.headers['idempotency-key'];
        const idem = key
          ? {
              principal: actor.userId ?? actor.id ?? 'system',
              key: String(key),
              request: { route: 'POST /orders', body: request.body },
            }
          : undefined;
        return sendOrder(reply, await createOrder(app, actor, request.body, idem), 201);
      },
    );

    server.get(
      '/orders',
      {
        schema: {
          tags: ['orders'],
          summary: 'Find orders',
          querystring: S.OrderQuery,
          response: { 200: S.pageOf(S.Order), ...errors },
        },
      },
      async (request) => findOrders(app, actorOf(request), request.query),
    );

    server.get(
      '/orders/:id',
      {
        schema: {
          tags: ['orders'],
          summary: 'Read an order by id or number',
          params: S.IdParam,
          response: { 200: S.Order, ...errors },
        },
      },
      async (request, reply) => sendOrder(reply, await getOrder(app, actorOf(request), request.params.id)),
    );

    server.patch(
      '/orders/:id',
      {
        schema: {
          tags: ['orders'],
          summary: 'Edit an order (title, customer, due date, priority, fields, items)',
          params: S.IdParam,
          headers: IfMatch,
          body: S.OrderEdit,
          response: { 200: S.Order, ...errors },
        },
      },
      async (request, reply) => {
        const expectedVersion = pinnedVersion(request, request.body);
        const order = await editOrder(app, actorOf(request), request.params.id, { ...request.body, expectedVersion });
        return sendOrder(reply, order);
      },
    );

    server.post(
      '/orders/:id/transitions',
      {
        schema: {
          tags: ['orders'],
          summary: 'Move an order to another stage',
          params: S.IdParam,
          headers: IfMatch,
          body: S.Transition,
          response: { 200: S.Order, ...errors },
        },
      },
      async (request, reply) => {
        const expectedVersion = pinnedVersion(request, request.body);
        return sendOrder(reply, await moveOrder(app, actorOf(request), request.params.id, { ...request.body, expectedVersion }));
      },
    );

    const reasonRoutes = [
      ['hold', 'Put an order on hold (reason required)', holdOrder],
      ['resume', 'Resume an order that is on hold', resumeOrder],
      ['cancel', 'Cancel an order (reason required)', cancelOrder],
    ] as const;
    for (const [path, summary, useCase] of reasonRoutes) {
      server.post(
        `/orders/:id/${path}`,
        {
          schema: {
            tags: ['orders'],
            summary,
            params: S.IdParam,
            headers: IfMatch,
            // `POST .../resume` with no body at all is the natural call.
            body: S.ReasonBody.nullish(),
            response: { 200: S.Order, ...errors },
          },
        },
        async (request, reply) => {
          const body = request.body ?? {};
          const expectedVersion = pinnedVersion(request, body);
          return sendOrder(reply, await useCase(app, actorOf(request), request.params.id, { ...body, expectedVersion }));
        },
      );
    }

    server.post(
      '/orders/:id/comments',
      {
        schema: {
          tags: ['orders'],
          summary: 'Comment on an order',
          params: S.IdParam,
          body: S.CommentBody,
          response: { 201: S.Event, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await commentOnOrder(app, actorOf(request), request.params.id, request.body.body, { problem: request.body.problem }),
          ),
    );

    server.get(
      '/orders/:id/events',
      {
        schema: {
          tags: ['orders'],
          summary: "An order's full history, oldest first",
          params: S.IdParam,
          querystring: z.strictObject({
            limit: z.coerce.number().int().min(1).max(500).default(500),
            cursor: EventCursor.optional(),
          }),
          response: { 200: S.pageOf(S.Event), ...errors },
        },
      },
      async (request) =>
        orderHistory(app, actorOf(request), request.params.id, {
          limit: request.query.limit,
          after: request.query.cursor ? Number(request.query.cursor) : undefined,
        }),
    );
  };
}
