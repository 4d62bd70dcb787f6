// /api/v1/audit/verify: walks the whole hash chain (admin); /api/v1/audit/sign-ins: the sign-in log (admin).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { signInLog } from '../../app/manage-access.ts';
import { forbidden } from '../../app/problem.ts';
import { verifyAudit } from '../../app/verify-audit.ts';
import { mayAdminister } from '../../domain/roles.ts';
import { SIGN_IN_OUTCOMES } from '../../store/sign-ins.ts';
import { actorOf } from '../auth.ts';
import * as S from '../schemas.ts';

const AuditReport = z.object({
  ok: z.boolean(),
  events: z.number().int(),
  lastSeq: z.number().int(),
  lastHash: z.string(),
  broken: z.object({ seq: z.number().int(), problem: z.string(), detail: z.string() }).catchall(z.unknown()).nullable(),
});

const SignIn = z
  .object({
    id: z.number().int(),
    at: S.Timestamp,
    email: z.string().meta({ description: 'The e-mail as typed' }),
    userId: z.string().nullable().meta({ description: 'The user with that e-mail, if there is one' }),
    outcome: z.enum(SIGN_IN_OUTCOMES).meta({ description: 'failed: wrong e-mail or password; disabled: the user is disabled' }),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
  })
  .meta({ id: 'SignIn' });

export function auditRoutes(app: AppContext): FastifyPluginAsyncZod {
  return async (server) => {
    server.get(
      '/audit/verify',
      {
        schema: {
          tags: ['audit'],
          summary: 'Verify the audit hash chain (admin)',
          response: { 200: AuditReport, 401: S.Problem, 403: S.Problem },
        },
      },
      async (request) => {
        if (!mayAdminister(actorOf(request).role)) throw forbidden('Only an admin may verify the audit chain');
        return verifyAudit(app);
      },
    );

    server.get(
      '/audit/sign-ins',
      {
        schema: {
          tags: ['audit'],
          summary: 'The sign-in log, newest first: who signed in when, and failed attempts (admin)',
          querystring: z.strictObject({
            userId: z.string().max(100).optional(),
            outcome: z.enum(SIGN_IN_OUTCOMES).optional(),
            limit: S.Limit,
            cursor: z.string().max(20).optional(),
          }),
          response: { 200: S.pageOf(SignIn), 400: S.Problem, 401: S.Problem, 403: S.Problem },
        },
      },
      async (request) => signInLog(app, actorOf(request), request.query),
    );
  };
}
