// /api/v1/workflows and /api/v1/board.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readBoard } from '../../app/board.ts';
import type { AppContext } from '../../app/context.ts';
import { loadWorkflow } from '../../app/load.ts';
import { createWorkflow, reviseWorkflow } from '../../app/manage-workflows.ts';
import { listWorkflows } from '../../store/workflows.ts';
import { actorOf } from '../auth.ts';
import * as S from '../schemas.ts';

const errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem, 409: S.Problem };

export function workflowRoutes(app: AppContext): FastifyPluginAsyncZod {
  return async (server) => {
    server.get(
      '/workflows',
      {
        schema: {
          tags: ['workflows'],
          summary: 'List workflows',
          response: { 200: z.object({ items: z.array(S.Workflow) }), ...errors },
        },
      },
      async (request) => {
        actorOf(request);
        return { items: await listWorkflows(app.db.kysely) };
      },
    );

    server.get(
      '/workflows/:key',
      {
        schema: { tags: ['workflows'], summary: 'Read a workflow', params: S.KeyParam, response: { 200: S.Workflow, ...errors } },
      },
      async (request) => {
        actorOf(request);
        return loadWorkflow(app.db.kysely, request.params.key);
      },
    );

    server.post(
      '/workflows',
      {
        schema: {
          tags: ['workflows'],
          summary: 'Create a workflow (admin)',
          body: S.WorkflowInput,
          response: { 201: S.Workflow, ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(await createWorkflow(app, actorOf(request), request.body)),
    );

    server.put(
      '/workflows/:key',
      {
        schema: {
          tags: ['workflows'],
          summary: 'Revise a workflow (admin): a new version; a removed stage that still holds orders is refused',
          params: S.KeyParam,
          body: S.WorkflowInput,
          response: { 200: S.Workflow, ...errors },
        },
      },
      async (request) => reviseWorkflow(app, actorOf(request), request.params.key, request.body),
    );

    server.get(
      '/board',
      {
        schema: {
          tags: ['board'],
          summary: 'The board of a workflow: a column per stage, a card per open order',
          querystring: z.strictObject({ workflow: z.string().min(1).max(40) }),
          response: { 200: S.Board, ...errors },
        },
      },
      async (request) => readBoard(app, actorOf(request), request.query.workflow),
    );
  };
}
