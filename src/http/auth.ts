// Who is calling: a bearer token, or the web app's session cookie (whose writes must carry the CSRF token).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, AppContext } from '../app/context.ts';
import { actorForToken, actorForUser, type Session, sessionUser } from '../app/manage-access.ts';
import { Problem } from '../app/problem.ts';
import type { DateStyle } from '../domain/date-format.ts';
import { overTls } from './security.ts';

export const SESSION_COOKIE = 'fb_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Routes anyone may call without signing in. */
    public?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The acting user of a signed-in request; routes marked public never call this. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Problem('unauthenticated', 'Sign in or send Authorization: Bearer <token>');
  return request.actor;
}

export function installAuth(server: FastifyInstance, app: AppContext): void {
  server.decorateRequest('actor', null);
  server.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.public) return;
    if (!request.url.startsWith('/api/')) return;
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const actor = match ? await actorForToken(app, match[1]!) : null;
      if (!actor) throw new Problem('unauthenticated', 'The token is not valid, has expired or was revoked');
      request.actor = actor;
      return;
    }
    const sessionId = request.cookies[SESSION_COOKIE];
    if (sessionId) {
      const session = await sessionUser(app, sessionId);
      if (!session) throw new Problem('unauthenticated', 'Your session has ended: sign in again');
      if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.csrfToken) {
        throw new Problem('forbidden', `Writes from the web app must carry the ${CSRF_HEADER} header`);
      }
      request.actor = actorForUser(session.user);
      return;
    }
    throw new Problem('unauthenticated', 'Sign in or send Authorization: Bearer <token>');
  });
}

/** Where a request came from, for the sign-in log. */
export function originOf(request: FastifyRequest): { ip: string | null; userAgent: string | null } {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

/** Sets the session cookie of a session just started (sign-in, setup, an accepted invite); answers who is signed in. */
/** Sets the session cookie; the answer carries who signed in, the CSRF token and how the workspace writes dates. */
export function sendSession(
  request: FastifyRequest,
  reply: FastifyReply,
  session: Session,
  secureCookies: boolean,
  workspace: DateStyle,
) {
  reply.setCookie(SESSION_COOKIE, session.id, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    // Secure whenever the browser came over TLS, even if nobody said so.
    secure: overTls(request, secureCookies),
    expires: new Date(session.expiresAt),
  });
  return { user: session.user, csrfToken: session.csrfToken, workspace };
}
