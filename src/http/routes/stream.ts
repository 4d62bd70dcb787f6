// /api/v1/stream: Server-Sent Events, one per change, named after the event type; and the reader's own new notifications.
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { LiveFeed } from '../../jobs/live-feed.ts';
import type { FeedEvent } from '../../store/events.ts';
import type { FeedNotice } from '../../store/notifications.ts';
import { actorOf } from '../auth.ts';
import * as S from '../schemas.ts';

const KEEPALIVE_MS = 15_000;

function frame(e: FeedEvent): string {
  const data = JSON.stringify({ orderId: e.orderId, number: e.number, version: e.version, type: e.type });
  return `id: ${e.seq}\nevent: ${e.type}\ndata: ${data}\n\n`;
}

/**
 * A notification for the stream's reader alone. It carries no `id`: the browser's Last-Event-ID stays the last change's,
 * so a reconnect catches up on changes; missed notices are in GET /notifications, which a reconnecting app reads.
 */
function noticeFrame(n: FeedNotice): string {
  const data = JSON.stringify({
    id: n.id,
    kind: n.kind,
    orderId: n.orderId,
    orderNumber: n.orderNumber,
    title: n.title,
    createdAt: n.createdAt,
  });
  return `event: notification\ndata: ${data}\n\n`;
}

export function streamRoutes(feed: LiveFeed): FastifyPluginAsyncZod {
  return async (server) => {
    const open = new Set<ServerResponse>();
    // Streams never go idle, so a closing server ends them itself.
    server.addHook('preClose', async () => {
      for (const res of open) res.end();
    });

    server.get(
      '/stream',
      {
        schema: {
          tags: ['live'],
          summary:
            'Server-Sent Events: every change as an event named after its type, data {orderId, number, version, type}; send Last-Event-ID to catch up after a reconnect. ' +
            "A signed-in user also gets their own new notifications as `notification` events, data {id, kind, orderId, orderNumber, title, createdAt}, and nobody else's",
          produces: ['text/event-stream'],
          response: {
            200: z.string().meta({
              description: 'A never-ending text/event-stream: `id`, `event` (the event type) and `data` lines per change',
            }),
            401: S.Problem,
          },
        },
      },
      async (request, reply) => {
        const { userId } = actorOf(request);
        const lastEventId = Number(request.headers['last-event-id']);
        let sent = Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId : feed.lastSeq;
        const res = reply.raw;
        const send = (events: FeedEvent[]) => {
          const fresh = events.filter((e) => e.seq > sent);
          if (fresh.length === 0) return;
          sent = fresh[fresh.length - 1]!.seq;
          res.write(fresh.map(frame).join(''));
        };
        reply.hijack();
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        res.write('retry: 2000\n: connected\n\n');
        open.add(res);
        // Listen first, then catch up: nothing falls between the two, and `sent` drops repeats. What arrives live
        // while the catch-up is read waits behind it: sent first, it would move `sent` past the events being read,
        // and they would be dropped as repeats (a reconnecting board missed a run of events that way).
        let held: FeedEvent[][] | null = [];
        const unsubscribe = feed.subscribe((events) => (held ? held.push(events) : send(events)));
        try {
          if (sent < feed.lastSeq) send(await feed.since(sent));
        } finally {
          for (const events of held) send(events);
          held = null;
        }
        // Only the reader's own: whose notice it is was decided when it was made (the people its role names).
        const unsubscribeNotices = userId
          ? feed.subscribeNotices((notices) => {
              const mine = notices.filter((n) => n.userId === userId);
              if (mine.length) res.write(mine.map(noticeFrame).join(''));
            })
          : () => undefined;
        const ping = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
        request.raw.on('close', () => {
          clearInterval(ping);
          unsubscribe();
          unsubscribeNotices();
          open.delete(res);
        });
      },
    );
  };
}
