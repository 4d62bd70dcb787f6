// /api/v1/setup (public while nobody exists): the first-run screen's templates, and setting the workspace up.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { BLANK_TEMPLATE, completeSetup, setupState } from '../../app/first-run.ts';
import { workspaceDates } from '../../app/settings.ts';
import { sendSession } from '../auth.ts';
import * as S from '../schemas.ts';
import { BusinessCalendar } from './settings.ts';

const errors = { 400: S.Problem, 409: S.Problem, 429: S.Problem };

const Template = z.object({
  trade: z.string(),
  summary: z.string(),
  workflow: S.WorkflowInput,
});

export const SetupState = z
  .object({
    needed: z.boolean().meta({ description: 'True while the workspace has nobody in it: the web app shows setup' }),
    templates: z.array(Template),
  })
  .meta({ id: 'SetupState' });

export const SetupInput = z
  .strictObject({
    admin: z.strictObject({ name: S.Text(200), email: z.email().max(254), password: z.string().min(8).max(200) }),
    shopName: S.Text(200),
    calendar: BusinessCalendar.omit({ holidays: true }),
    template: z
      .string()
      .min(1)
      .max(40)
      .meta({ description: `A template's workflow key, or "${BLANK_TEMPLATE}"` }),
  })
  .meta({ id: 'SetupInput' });

export function setupRoutes(app: AppContext, opts: { secureCookies: boolean }): FastifyPluginAsyncZod {
  return async (server) => {
    server.get(
      '/setup',
      {
        config: { public: true },
        schema: {
          tags: ['setup'],
          summary: 'Whether the workspace still needs setting up, and the workflow templates to start from',
          response: { 200: SetupState },
        },
      },
      async () => setupState(app),
    );

    server.post(
      '/setup',
      {
        config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags: ['setup'],
          summary:
            'Set the workspace up (only while nobody exists): the first admin, the shop, its calendar and first workflow; signs the admin in',
          body: SetupInput,
          response: { 201: S.Me, ...errors },
        },
      },
      async (request, reply) => {
        const { session } = await completeSetup(app, request.body);
        return reply.code(201).send(sendSession(request, reply, session, opts.secureCookies, await workspaceDates(app)));
      },
    );
  };
}
