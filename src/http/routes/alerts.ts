// /api/v1/alerts: the orders that are stalled, escalated, at risk or overdue right now, since when, and whose they are.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAlerts } from '../../app/alerts.ts';
import type { AppContext } from '../../app/context.ts';
import { ALERT_KINDS } from '../../domain/alerts.ts';
import { ORDER_STATES, PRIORITIES } from '../../domain/order.ts';
import { actorOf } from '../auth.ts';
import * as S from '../schemas.ts';

export const Alert = z
  .object({
    kind: z.enum(ALERT_KINDS),
    since: S.Timestamp.meta({
      description: 'When it began: the stall threshold crossed, the day after the due date, or when the risk was first seen',
    }),
    orderId: z.string(),
    number: z.string().meta({ example: 'ORD-1042' }),
    title: z.string(),
    workflow: z.string(),
    stage: z.string(),
    stageLabel: z.string(),
    state: z.enum(ORDER_STATES),
    priority: z.enum(PRIORITIES),
    dueDate: z.string().nullable(),
    ownerRole: S.Role.nullable().meta({ description: "The role that owns the order's current stage" }),
    notify: z
      .array(S.Role)
      .meta({ description: 'Who is told: the owner for a stall, managers for an escalation, both for deadlines' }),
  })
  .meta({ id: 'Alert' });

const AlertQuery = z.strictObject({
  kind: z.enum(ALERT_KINDS).optional(),
  workflow: z.string().max(40).optional(),
  owner: z.literal('me').optional().meta({ description: 'Only the alerts told to my role' }),
  limit: S.Limit,
  cursor: z.string().max(20).optional(),
});

export function alertRoutes(app: AppContext): FastifyPluginAsyncZod {
  return async (server) => {
    server.get(
      '/alerts',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Open alerts now: stalled, escalated, at-risk and overdue orders, oldest first',
          querystring: AlertQuery,
          response: { 200: S.pageOf(Alert), 400: S.Problem, 401: S.Problem },
        },
      },
      async (request) => listAlerts(app, actorOf(request), request.query),
    );
  };
}
