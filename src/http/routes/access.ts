// /api/v1/auth, /api/v1/users and /api/v1/tokens: signing in, people and their API tokens.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import {
  createUser,
  editUser,
  getUser,
  issueToken,
  revokeToken,
  sessionUser,
  signOut,
  tokens,
  users,
} from '../../app/manage-access.ts';
import { Problem } from '../../app/problem.ts';
import { hashSecret } from '../../app/secrets.ts';
import { workspaceDates } from '../../app/settings.ts';
import { signIn } from '../../app/sign-in.ts';
import { actorOf, originOf, SESSION_COOKIE, sendSession } from '../auth.ts';
import * as S from '../schemas.ts';
import { overTls } from '../security.ts';

const FAILED_SIGN_IN_DELAY_MS = 500;

export const SecondStep = z
  .object({
    twoFactorRequired: z.literal(true),
    challenge: z.string().meta({ description: 'Send it with a code to POST /auth/login/second-step; it works for 5 minutes' }),
    expiresAt: S.Timestamp,
  })
  .meta({ id: 'SecondStep' });

const errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem, 409: S.Problem, 429: S.Problem };

export function accessRoutes(app: AppContext, opts: { secureCookies: boolean }): FastifyPluginAsyncZod {
  return async (server) => {
    server.post(
      '/auth/login',
      {
        config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags: ['auth'],
          summary:
            'Sign in: sets the session cookie; with two-factor sign-in on, answers the second step to complete instead (no session yet)',
          body: S.Login,
          response: { 200: z.union([S.Me, SecondStep]), ...errors },
        },
      },
      async (request, reply) => {
        const result = await signIn(app, request.body.email, request.body.password, originOf(request));
        if (!result) {
          // A wrong password is answered slowly, so guessing is slow even under the rate limit.
          await new Promise((resolve) => setTimeout(resolve, FAILED_SIGN_IN_DELAY_MS + Math.random() * 250));
          throw new Problem('unauthenticated', 'E-mail or password is wrong');
        }
        if (result.kind === 'second-step') {
          return { twoFactorRequired: true as const, challenge: result.challenge, expiresAt: result.expiresAt };
        }
        return sendSession(request, reply, result.session, opts.secureCookies, await workspaceDates(app));
      },
    );

    server.post(
      '/auth/logout',
      {
        config: { public: true },
        schema: { tags: ['auth'], summary: 'Sign out: ends the session', response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        const sessionId = request.cookies[SESSION_COOKIE];
        if (sessionId) await signOut(app, sessionId);
        reply.clearCookie(SESSION_COOKIE, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: overTls(request, opts.secureCookies),
        });
        return reply.code(204).send(null);
      },
    );

    server.get(
      '/auth/me',
      {
        schema: {
          tags: ['auth'],
          summary: 'Who am I; the CSRF token for cookie-authenticated writes',
          response: { 200: S.Me, ...errors },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const user = await getUser(app, actor, actor.userId ?? '');
        const sessionId = request.cookies[SESSION_COOKIE];
        const session = actor.kind === 'user' && sessionId ? await sessionUser(app, sessionId) : null;
        return { user, csrfToken: session?.csrfToken ?? null, workspace: await workspaceDates(app) };
      },
    );

    server.get(
      '/auth/session',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Whether the web app is signed in: the user and CSRF token, or nulls (200 either way, unlike /auth/me)',
          response: {
            200: z.object({ user: S.User.nullable(), csrfToken: z.string().nullable(), workspace: S.WorkspaceDates.nullable() }),
          },
        },
      },
      async (request) => {
        // The sign-in page asks this on every load: "nobody" is an answer, not an error in the browser's console.
        const sessionId = request.cookies[SESSION_COOKIE];
        const session = sessionId ? await sessionUser(app, sessionId) : null;
        // How the workspace writes dates is told only to someone signed in.
        return session
          ? { user: session.user, csrfToken: session.csrfToken, workspace: await workspaceDates(app) }
          : { user: null, csrfToken: null, workspace: null };
      },
    );

    server.get(
      '/users',
      {
        schema: {
          tags: ['users'],
          summary: 'List users (admin)',
          response: { 200: z.object({ items: z.array(S.User) }), ...errors },
        },
      },
      async (request) => ({ items: await users(app, actorOf(request)) }),
    );

    server.post(
      '/users',
      {
        schema: { tags: ['users'], summary: 'Create a user (admin)', body: S.NewUser, response: { 201: S.User, ...errors } },
      },
      async (request, reply) => reply.code(201).send(await createUser(app, actorOf(request), request.body)),
    );

    server.get(
      '/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: 'Read a user (yourself, or anyone for an admin)',
          params: S.IdParam,
          response: { 200: S.User, ...errors },
        },
      },
      async (request) => getUser(app, actorOf(request), request.params.id),
    );

    server.patch(
      '/users/:id',
      {
        schema: {
          tags: ['users'],
          summary:
            "Change a user: your own name, or (admin) anyone's name, role, disabled (ends their sessions and API tokens at once), password, twoFactor: false",
          params: S.IdParam,
          body: S.UserEdit,
          response: { 200: S.User, ...errors },
        },
      },
      async (request) => {
        const sessionId = request.cookies[SESSION_COOKIE];
        return editUser(app, actorOf(request), request.params.id, request.body, sessionId ? hashSecret(sessionId) : undefined);
      },
    );

    server.get(
      '/tokens',
      {
        schema: {
          tags: ['tokens'],
          summary: "Your API tokens; an admin may ask for anyone's with ?userId=",
          querystring: z.strictObject({ userId: z.string().max(100).optional() }),
          response: { 200: z.object({ items: z.array(S.ApiToken) }), ...errors },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        return { items: await tokens(app, actor, request.query.userId ?? actor.userId ?? undefined) };
      },
    );

    server.post(
      '/tokens',
      {
        schema: {
          tags: ['tokens'],
          summary: 'Create an API token (for yourself, or anyone for an admin); the token is shown only in this answer',
          body: S.NewToken,
          response: { 201: S.ApiToken.extend({ token: z.string() }), ...errors },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const { token, record } = await issueToken(
          app,
          actor,
          request.body.userId ?? actor.userId ?? '',
          request.body.label ?? null,
          request.body.expiresAt ?? null,
        );
        return reply.code(201).send({ ...record, token });
      },
    );

    server.delete(
      '/tokens/:id',
      {
        schema: { tags: ['tokens'], summary: 'Revoke an API token', params: S.IdParam, response: { 200: S.ApiToken, ...errors } },
      },
      async (request) => revokeToken(app, actorOf(request), request.params.id),
    );
  };
}
