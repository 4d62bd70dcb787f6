// /api/v1/export/...: orders and events as CSV or JSON; /api/v1/calendar-feeds and the iCalendar feed of due dates.
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createFeed, deleteFeed, feedCalendar, listFeeds } from '../../app/calendar-feed.ts';
import type { AppContext } from '../../app/context.ts';
import { type ExportFormat, exportEvents, exportOrders } from '../../app/exports.ts';
import { notFound } from '../../app/problem.ts';
import { actorOf } from '../auth.ts';
import * as R from '../report-schemas.ts';
import * as S from '../schemas.ts';

const errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem };

const MEDIA: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' };

/** Sends a generated export as it is made; the first chunk is awaited so a refusal still answers as a problem. */
async function stream(
  reply: FastifyReply,
  name: string,
  format: ExportFormat,
  chunks: AsyncGenerator<string>,
): Promise<FastifyReply> {
  const first = await chunks.next();
  async function* all() {
    if (!first.done) yield first.value;
    yield* chunks;
  }
  return reply
    .type(MEDIA[format])
    .header('content-disposition', `attachment; filename="${name}.${format}"`)
    .send(Readable.from(all()));
}

export function exportRoutes(app: AppContext): FastifyPluginAsyncZod {
  return async (server) => {
    for (const format of ['csv', 'json'] as const) {
      server.get(
        `/export/orders.${format}`,
        {
          schema: {
            tags: ['export'],
            summary: `Orders as ${format.toUpperCase()}, oldest first; fields hidden from your role are left out`,
            querystring: R.ExportQuery,
            produces: [format === 'csv' ? 'text/csv' : 'application/json'],
            response: {
              200: format === 'csv' ? R.Csv : z.array(z.record(z.string(), z.unknown())).meta({ description: 'Orders' }),
              ...errors,
            },
          },
        },
        async (request, reply) => stream(reply, 'orders', format, exportOrders(app, actorOf(request), request.query, format)),
      );
      server.get(
        `/export/events.${format}`,
        {
          schema: {
            tags: ['export'],
            summary: `Events as ${format.toUpperCase()} in chain order (order events; admins also get workflow, user and token events)`,
            querystring: R.EventExportQuery,
            produces: [format === 'csv' ? 'text/csv' : 'application/json'],
            response: {
              200: format === 'csv' ? R.Csv : z.array(z.record(z.string(), z.unknown())).meta({ description: 'Events' }),
              ...errors,
            },
          },
        },
        async (request, reply) => stream(reply, 'events', format, exportEvents(app, actorOf(request), request.query, format)),
      );
    }

    server.post(
      '/calendar-feeds',
      {
        schema: {
          tags: ['export'],
          summary: 'Make a calendar feed of due dates (iCalendar) to subscribe to from a calendar app; its address is shown once',
          body: R.FeedInput.nullish(),
          response: { 201: R.IssuedFeed, ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(await createFeed(app, actorOf(request), request.body ?? {})),
    );

    server.get(
      '/calendar-feeds',
      {
        schema: {
          tags: ['export'],
          summary: 'Your calendar feeds',
          response: { 200: z.object({ items: z.array(R.Feed) }), ...errors },
        },
      },
      async (request) => ({ items: await listFeeds(app, actorOf(request)) }),
    );

    server.delete(
      '/calendar-feeds/:id',
      {
        schema: {
          tags: ['export'],
          summary: 'Stop a calendar feed: its address no longer answers',
          params: S.IdParam,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await deleteFeed(app, actorOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    server.get(
      '/calendar/:file',
      {
        config: { public: true },
        schema: {
          tags: ['export'],
          summary: 'An iCalendar feed of due dates; the secret token in the address is the only credential',
          params: z.object({ file: z.string().regex(/^fbcal_[A-Za-z0-9_-]{20,100}\.ics$/, 'must be a feed address') }),
          produces: ['text/calendar'],
          response: { 200: z.string().meta({ description: 'text/calendar (RFC 5545)' }), 400: S.Problem, 404: S.Problem },
        },
      },
      async (request, reply) => {
        const ics = await feedCalendar(app, request.params.file.replace(/\.ics$/, ''));
        if (ics === null) throw notFound('Calendar feed');
        return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(ics);
      },
    );
  };
}
