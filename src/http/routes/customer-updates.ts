// /api/v1/orders/{id}/customer-updates: whether the order's customer is e-mailed when it reaches a stage they care about.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { customerUpdates, setCustomerUpdates } from '../../app/customer-updates.ts';
import { actorOf } from '../auth.ts';
import * as S from '../schemas.ts';

const errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem };

const CustomerUpdates = z
  .object({
    orderId: z.string(),
    number: z.string(),
    email: z.boolean().meta({ description: 'E-mail the customer when the order enters a stage marked notifyCustomer' }),
    customerEmail: z.string().nullable(),
  })
  .meta({ id: 'CustomerUpdates' });

export function customerUpdateRoutes(app: AppContext): FastifyPluginAsyncZod {
  return async (server) => {
    server.get(
      '/orders/:id/customer-updates',
      {
        schema: {
          tags: ['orders'],
          summary: "Whether the order's customer gets e-mail updates",
          params: S.IdParam,
          response: { 200: CustomerUpdates, ...errors },
        },
      },
      async (request) => customerUpdates(app, actorOf(request), request.params.id),
    );

    server.put(
      '/orders/:id/customer-updates',
      {
        schema: {
          tags: ['orders'],
          summary: "Turn the customer's e-mail updates for this order on or off (recorded in its history)",
          params: S.IdParam,
          body: z.strictObject({ email: z.boolean() }),
          response: { 200: CustomerUpdates, ...errors },
        },
      },
      async (request) => setCustomerUpdates(app, actorOf(request), request.params.id, request.body.email),
    );
  };
}
