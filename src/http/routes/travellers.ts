// /api/v1/orders/{id}/traveller.pdf and /api/v1/travellers.pdf: printed job travellers, one page per order.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { MAX_TRAVELLERS, type PrintedTravellers, printTravellers } from '../../app/travellers.ts';
import { PAPER_SIZES } from '../../domain/traveller.ts';
import { actorOf } from '../auth.ts';
import * as S from '../schemas.ts';

const errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem };
const Paper = z.enum(PAPER_SIZES).default('a4').meta({ description: 'a4 (the default) or letter (US Letter)' });
const Pdf = z.string().meta({ description: 'application/pdf: one page per order' });
const OrderRef = z.string().min(1).max(100);

function sendPdf(request: FastifyRequest, reply: FastifyReply, result: PrintedTravellers, name: string) {
  // Printing changes nothing, so it is no event in the history; the log says who printed which versions.
  request.log.info({ actor: actorOf(request).id, printed: result.printed }, 'travellers printed');
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${name}.pdf"`)
    .header('cache-control', 'no-store')
    .send(result.pdf);
}

export function travellerRoutes(app: AppContext): FastifyPluginAsyncZod {
  return async (server) => {
    server.get(
      '/orders/:id/traveller.pdf',
      {
        schema: {
          tags: ['orders'],
          summary: "An order's job traveller as a PDF (fields hidden from the shop floor and amounts are left out)",
          params: S.IdParam,
          querystring: z.strictObject({ paper: Paper }),
          produces: ['application/pdf'],
          response: { 200: Pdf, ...errors },
        },
      },
      async (request, reply) => {
        const result = await printTravellers(app, actorOf(request), [request.params.id], request.query.paper);
        return sendPdf(request, reply, result, `traveller-${result.printed[0]!.number}`);
      },
    );

    server.post(
      '/travellers.pdf',
      {
        schema: {
          tags: ['orders'],
          summary: 'The job travellers of several orders as one PDF, a page each in the order given',
          body: z.strictObject({
            orders: z
              .array(OrderRef)
              .min(1)
              .max(MAX_TRAVELLERS)
              .meta({ description: `Order ids or numbers, 1 to ${MAX_TRAVELLERS}` }),
            paper: Paper,
          }),
          produces: ['application/pdf'],
          response: { 200: Pdf, ...errors },
        },
      },
      async (request, reply) => {
        const result = await printTravellers(app, actorOf(request), request.body.orders, request.body.paper);
        return sendPdf(request, reply, result, `travellers-${result.printed.length}`);
      },
    );
  };
}
