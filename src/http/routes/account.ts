// Looking after one's own sign-in: the second step of a sign-in, changing one's password, "forgot password" links,
// an admin's reset, and two-factor sign-in (enrol, confirm, turn off, new recovery codes).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { changeOwnPassword } from '../../app/own-password.ts';
import { completeReset, previewReset, requestPasswordReset, sendPasswordReset } from '../../app/password-resets.ts';
import { hashSecret } from '../../app/secrets.ts';
import { workspaceDates } from '../../app/settings.ts';
import { completeSecondStep } from '../../app/sign-in.ts';
import { confirmEnrolment, renewRecoveryCodes, startEnrolment, turnOffTwoFactor, twoFactorStatus } from '../../app/two-factor.ts';
import { actorOf, originOf, SESSION_COOKIE, sendSession } from '../auth.ts';
import * as S from '../schemas.ts';

const errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem, 409: S.Problem, 429: S.Problem };

const Password = z.string().min(1).max(200);
const NewPassword = z.string().min(8).max(200);
const Code = z.string().regex(/^\d{6}$/, 'must be the 6 digits the app shows');
const TokenParam = z.object({ token: z.string().min(1).max(200) });
const RecoveryCodes = z
  .object({ recoveryCodes: z.array(z.string()).meta({ description: 'Shown this once; each works once' }) })
  .meta({ id: 'RecoveryCodes' });

/** Public routes that take a secret or send e-mail: a few tries a minute from one address. */
const SECRET_LIMIT = { max: 10, timeWindow: '1 minute' };
const MAIL_LIMIT = { max: 5, timeWindow: '1 minute' };

export function accountRoutes(app: AppContext, opts: { secureCookies: boolean }): FastifyPluginAsyncZod {
  return async (server) => {
    server.post(
      '/auth/login/second-step',
      {
        config: { public: true, rateLimit: SECRET_LIMIT },
        schema: {
          tags: ['auth'],
          summary: 'Complete a two-factor sign-in with a code from the app, or a recovery code: sets the session cookie',
          body: z.union([
            z.strictObject({ challenge: z.string().min(1).max(200), code: Code }),
            z.strictObject({ challenge: z.string().min(1).max(200), recoveryCode: z.string().min(1).max(40) }),
          ]),
          response: { 200: S.Me, ...errors },
        },
      },
      async (request, reply) => {
        const session = await completeSecondStep(app, request.body, originOf(request));
        return sendSession(request, reply, session, opts.secureCookies, await workspaceDates(app));
      },
    );

    server.post(
      '/auth/password',
      {
        schema: {
          tags: ['auth'],
          summary: 'Change your own password (the current one required); every other session of yours ends',
          body: z.strictObject({ currentPassword: Password, newPassword: NewPassword }),
          response: { 200: z.object({ sessionsEnded: z.number().int() }), ...errors },
        },
      },
      async (request) => {
        const sessionId = request.cookies[SESSION_COOKIE];
        const actor = actorOf(request);
        const keep = actor.kind === 'user' && sessionId ? hashSecret(sessionId) : undefined;
        return changeOwnPassword(app, actor, request.body, keep, originOf(request));
      },
    );

    server.post(
      '/auth/password-reset',
      {
        config: { public: true, rateLimit: MAIL_LIMIT },
        schema: {
          tags: ['auth'],
          summary:
            'Forgot password: e-mails a link to choose a new one when the address has an account; the same answer either way',
          body: z.strictObject({ email: z.email().max(254) }),
          response: { 202: z.object({ detail: z.string() }), ...errors },
        },
      },
      async (request, reply) => {
        await requestPasswordReset(app, request.body.email, originOf(request));
        return reply.code(202).send({
          detail: 'If an account uses that address, a link to choose a new password is on its way. It works once, for an hour.',
        });
      },
    );

    server.get(
      '/auth/password-reset/:token',
      {
        config: { public: true, rateLimit: SECRET_LIMIT },
        schema: {
          tags: ['auth'],
          summary: 'Whose password a reset link changes (public): 404 alike for a link unknown, used, replaced or expired',
          params: TokenParam,
          response: { 200: z.object({ email: z.string(), expiresAt: S.Timestamp }), ...errors },
        },
      },
      async (request) => previewReset(app, request.params.token),
    );

    server.post(
      '/auth/password-reset/:token',
      {
        config: { public: true, rateLimit: SECRET_LIMIT },
        schema: {
          tags: ['auth'],
          summary: 'Choose a new password with a reset link (public): the link is used up and every session of the person ends',
          params: TokenParam,
          body: z.strictObject({ password: NewPassword }),
          response: { 200: z.object({ email: z.string() }), ...errors },
        },
      },
      async (request) => completeReset(app, request.params.token, request.body.password, originOf(request)),
    );

    server.post(
      '/users/:id/password-reset',
      {
        schema: {
          tags: ['users'],
          summary:
            "Reset someone's password (admin): the old one stops working, their sessions end, and they get a link to choose a new one",
          params: S.IdParam,
          response: {
            200: z.object({
              expiresAt: S.Timestamp,
              emailed: z.boolean(),
              link: z.string().nullable().meta({ description: 'The one-time link to pass on; null when it went out by e-mail' }),
              emailError: z.string().nullable(),
            }),
            ...errors,
          },
        },
      },
      async (request) => sendPasswordReset(app, actorOf(request), request.params.id),
    );

    server.get(
      '/auth/two-factor',
      {
        schema: {
          tags: ['auth'],
          summary: 'Whether your two-factor sign-in is on, and how many recovery codes are left',
          response: { 200: z.object({ enabled: z.boolean(), recoveryCodesLeft: z.number().int() }), ...errors },
        },
      },
      async (request) => twoFactorStatus(app, actorOf(request)),
    );

    server.post(
      '/auth/two-factor/setup',
      {
        schema: {
          tags: ['auth'],
          summary:
            'Start enrolling an authenticator app (your password again): its secret and QR code, not in use until confirmed',
          body: z.strictObject({ password: Password }),
          response: {
            200: z.object({ secret: z.string(), otpauthUrl: z.string(), qrSvg: z.string() }),
            ...errors,
          },
        },
      },
      async (request) => startEnrolment(app, actorOf(request), request.body.password),
    );

    server.post(
      '/auth/two-factor/confirm',
      {
        schema: {
          tags: ['auth'],
          summary: 'Confirm the app with a code from it: two-factor sign-in is on; the recovery codes are in this answer only',
          body: z.strictObject({ code: Code }),
          response: { 200: RecoveryCodes, ...errors },
        },
      },
      async (request) => confirmEnrolment(app, actorOf(request), request.body.code),
    );

    server.post(
      '/auth/two-factor/disable',
      {
        schema: {
          tags: ['auth'],
          summary: 'Turn two-factor sign-in off (your password again)',
          body: z.strictObject({ password: Password }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await turnOffTwoFactor(app, actorOf(request), request.body.password);
        return reply.code(204).send(null);
      },
    );

    server.post(
      '/auth/two-factor/recovery-codes',
      {
        schema: {
          tags: ['auth'],
          summary: 'New recovery codes in place of the old ones (your password again); in this answer only',
          body: z.strictObject({ password: Password }),
          response: { 200: RecoveryCodes, ...errors },
        },
      },
      async (request) => renewRecoveryCodes(app, actorOf(request), request.body.password),
    );
  };
}
