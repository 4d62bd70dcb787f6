// /api/v1/invites: an admin invites people by e-mail and role; the person opens the link (public) and accepts it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { acceptInvite, invitePeople, invites, previewInvite, withdrawInvite } from '../../app/invites.ts';
import { workspaceDates } from '../../app/settings.ts';
import { actorOf, sendSession } from '../auth.ts';
import * as S from '../schemas.ts';

const errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem, 409: S.Problem, 429: S.Problem };

export const Invite = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role: S.Role,
    invitedBy: z.string().nullable(),
    createdAt: S.Timestamp,
    expiresAt: S.Timestamp,
    acceptedAt: S.Timestamp.nullable(),
    userId: z.string().nullable(),
    revokedAt: S.Timestamp.nullable(),
    status: z.enum(['pending', 'accepted', 'expired', 'revoked']),
  })
  .meta({ id: 'Invite' });

export const IssuedInvite = Invite.extend({
  link: z.string().nullable().meta({ description: 'The one-time link to pass on; null when it went out by e-mail' }),
  emailed: z.boolean(),
  emailError: z.string().nullable(),
}).meta({ id: 'IssuedInvite' });

const NewInvites = z.strictObject({
  invites: z
    .array(z.strictObject({ email: z.email().max(254), role: S.Role, name: z.string().trim().max(200).optional() }))
    .min(1)
    .max(100),
});

export const InvitePreview = z
  .object({ email: z.string(), name: z.string().nullable(), role: S.Role, shopName: z.string(), expiresAt: S.Timestamp })
  .meta({ id: 'InvitePreview' });

const TokenParam = z.object({ token: z.string().min(1).max(200) });

/** Links are guessed at no faster than this per address; 256 random bits make guessing hopeless anyway. */
const LINK_LIMIT = { max: 30, timeWindow: '1 minute' };

export function inviteRoutes(app: AppContext, opts: { secureCookies: boolean }): FastifyPluginAsyncZod {
  return async (server) => {
    server.post(
      '/invites',
      {
        schema: {
          tags: ['users'],
          summary:
            'Invite people by e-mail and role (admin): all or none; e-mailed when SMTP is set, else the links are returned',
          body: NewInvites,
          response: { 201: z.object({ items: z.array(IssuedInvite) }), ...errors },
        },
      },
      async (request, reply) => reply.code(201).send({ items: await invitePeople(app, actorOf(request), request.body.invites) }),
    );

    server.get(
      '/invites',
      {
        schema: {
          tags: ['users'],
          summary: 'Invites, newest first (admin); links are never shown again',
          response: { 200: z.object({ items: z.array(Invite) }), ...errors },
        },
      },
      async (request) => ({ items: await invites(app, actorOf(request)) }),
    );

    server.delete(
      '/invites/:id',
      {
        schema: {
          tags: ['users'],
          summary: 'Withdraw an invite (admin): its link stops working',
          params: S.IdParam,
          response: { 200: Invite, ...errors },
        },
      },
      async (request) => withdrawInvite(app, actorOf(request), request.params.id),
    );

    server.get(
      '/invites/:token',
      {
        config: { public: true, rateLimit: LINK_LIMIT },
        schema: {
          tags: ['users'],
          summary: 'What an invite link is for (public): 404 alike for a link unknown, used, withdrawn or expired',
          params: TokenParam,
          response: { 200: InvitePreview, ...errors },
        },
      },
      async (request) => previewInvite(app, request.params.token),
    );

    server.post(
      '/invites/:token/accept',
      {
        config: { public: true, rateLimit: LINK_LIMIT },
        schema: {
          tags: ['users'],
          summary: 'Accept an invite (public): choose your name and password; the link is used up and you are signed in',
          params: TokenParam,
          body: z.strictObject({ name: S.Text(200), password: z.string().min(8).max(200) }),
          response: { 201: S.Me, ...errors },
        },
      },
      async (request, reply) => {
        const session = await acceptInvite(app, request.params.token, request.body);
        return reply.code(201).send(sendSession(request, reply, session, opts.secureCookies, await workspaceDates(app)));
      },
    );
  };
}
