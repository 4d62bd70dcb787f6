// /api/v1/customers: the customer records orders belong to: find (autocomplete), create, read, edit, merge, their orders.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { createCustomer, editCustomer } from '../../app/customers/manage-customers.ts';
import { mergeCustomers } from '../../app/customers/merge-customers.ts';
import { customerOrders, getCustomer, listCustomers } from '../../app/customers/read-customers.ts';
import { actorOf } from '../auth.ts';
import * as C from '../customer-schemas.ts';
import * as S from '../schemas.ts';

const errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem, 409: S.Problem };

export function customerRoutes(app: AppContext): FastifyPluginAsyncZod {
  return async (server) => {
    server.get(
      '/customers',
      {
        schema: {
          tags: ['customers'],
          summary: 'Find customers by name or e-mail (the new-order form completes names from it)',
          querystring: C.CustomerQuery,
          response: { 200: S.pageOf(C.CustomerSummary), ...errors },
        },
      },
      async (request) => listCustomers(app, actorOf(request), request.query),
    );

    server.post(
      '/customers',
      {
        schema: {
          tags: ['customers'],
          summary: 'Create a customer record',
          body: C.CustomerInput,
          response: { 201: C.Customer, ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(await createCustomer(app, actorOf(request), request.body)),
    );

    server.get(
      '/customers/:id',
      {
        schema: {
          tags: ['customers'],
          summary: 'A customer record with its delivery record (a record merged away: 404 naming mergedInto)',
          params: S.IdParam,
          response: { 200: C.Customer, ...errors },
        },
      },
      async (request) => getCustomer(app, actorOf(request), request.params.id),
    );

    server.patch(
      '/customers/:id',
      {
        schema: {
          tags: ['customers'],
          summary: 'Edit a customer record (name, e-mail, contacts, addresses, notes)',
          params: S.IdParam,
          body: C.CustomerEdit,
          response: { 200: C.Customer, ...errors },
        },
      },
      async (request) => editCustomer(app, actorOf(request), request.params.id, request.body),
    );

    server.get(
      '/customers/:id/orders',
      {
        schema: {
          tags: ['customers'],
          summary: "A customer's orders, newest first: open, done or all",
          params: S.IdParam,
          querystring: C.CustomerOrdersQuery,
          response: { 200: S.pageOf(S.Order), ...errors },
        },
      },
      async (request) => customerOrders(app, actorOf(request), request.params.id, request.query),
    );

    server.post(
      '/customers/:id/merge',
      {
        schema: {
          tags: ['customers'],
          summary: 'Merge another record of the same customer into this one: its orders move here, it answers 404 after',
          params: S.IdParam,
          body: C.MergeBody,
          response: { 200: C.Customer, ...errors },
        },
      },
      async (request) => mergeCustomers(app, actorOf(request), request.params.id, request.body.from),
    );
  };
}
