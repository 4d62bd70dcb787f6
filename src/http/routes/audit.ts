// /api/v1/audit/verify: walks the whole hash chain (admin).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { forbidden } from '../../app/problem.ts';
import { verifyAudit } from '../../app/verify-audit.ts';
import { mayAdminister } from '../../domain/roles.ts';
import { actorOf } from '../auth.ts';
import * as S from '../schemas.ts';

const AuditReport = z.object({
  ok: z.boolean(),
  events: z.number().int(),
  lastSeq: z.number().int(),
  lastHash: z.string(),
  broken: z.object({ seq: z.number().int(), problem: z.string(), detail: z.string() }).catchall(z.unknown()).nullable(),
});

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
  };
}
