// /api/v1/finance: orders ready to invoice (JSON and CSV), and marking an order invoiced.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { markInvoiced, markManyInvoiced, readyToInvoice, readyToInvoicePage } from '../../app/finance.ts';
import { toCsv } from '../../domain/exports/csv.ts';
import { actorOf } from '../auth.ts';
import * as R from '../report-schemas.ts';
import * as S from '../schemas.ts';
import { sendCsv } from './reports.ts';

const errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem, 409: S.Problem };

export function financeRoutes(app: AppContext): FastifyPluginAsyncZod {
  return async (server) => {
    server.get(
      '/finance/ready-to-invoice',
      {
        schema: {
          tags: ['finance'],
          summary: 'Orders that reached the invoice stage and are not marked invoiced, with amounts (finance, manager, admin)',
          querystring: R.ReadyQuery,
          response: { 200: R.ReadyList, ...errors },
        },
      },
      async (request) => readyToInvoicePage(app, actorOf(request), request.query),
    );

    server.get(
      '/finance/ready-to-invoice.csv',
      {
        schema: {
          tags: ['finance'],
          summary: 'Orders ready to invoice, as CSV (finance, manager, admin)',
          querystring: R.ReadyQuery.pick({ workflow: true }),
          produces: ['text/csv'],
          response: { 200: R.Csv, ...errors },
        },
      },
      async (request, reply) => {
        const rows = await readyToInvoice(app, actorOf(request), request.query);
        const csv = toCsv(
          [
            'number',
            'workflow',
            'title',
            'customer',
            'customer_email',
            'stage',
            'ready_since',
            'completed_at',
            'due_date',
            'amount',
            'lines',
          ],
          rows.map((r) => [
            r.number,
            r.workflow,
            r.title,
            r.customer.name,
            r.customer.email,
            r.stage,
            r.readySince,
            r.completedAt,
            r.dueDate,
            r.amount,
            r.lines
              .map((l) =>
                l.quantity === null ? `${l.label}: ${l.amount}` : `${l.label}: ${l.value} x ${l.quantity} = ${l.amount}`,
              )
              .join('; '),
          ]),
        );
        return sendCsv(reply, 'ready-to-invoice', csv);
      },
    );

    server.post(
      '/finance/invoiced',
      {
        schema: {
          tags: ['finance'],
          summary:
            'Mark several orders invoiced at once: each gets its order.invoiced event; all or none (finance, manager, admin)',
          body: R.BulkInvoiceBody,
          response: { 201: R.BulkInvoiceMarks, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send({ marked: await markManyInvoiced(app, actorOf(request), request.body.orders, request.body) }),
    );

    server.post(
      '/orders/:id/invoiced',
      {
        schema: {
          tags: ['finance'],
          summary:
            'Mark an order invoiced (an order.invoiced event; the order version does not change) (finance, manager, admin)',
          params: S.IdParam,
          body: R.InvoiceBody.nullish(),
          response: { 201: R.InvoiceMark, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await markInvoiced(app, actorOf(request), request.params.id, request.body ?? {})),
    );
  };
}
