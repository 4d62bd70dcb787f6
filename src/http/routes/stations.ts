// Shared station tablets: an admin registers, lists and revokes stations; the tablet itself (holding the station's
// device token in a cookie) lists the people who have a PIN, switches to one by PIN, and signs them out.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { signOut } from '../../app/manage-access.ts';
import { workspaceDates } from '../../app/settings.ts';
import {
  createStation,
  hasOwnPin,
  revokeStationFor,
  setOwnPin,
  stationOfToken,
  stationPeople,
  stationsFor,
  switchAtStation,
} from '../../app/stations.ts';
import { PIN_MAX_DIGITS, STATION_IDLE_MAX_SECONDS, STATION_IDLE_MIN_SECONDS } from '../../domain/station-pin.ts';
import { actorOf, originOf, SESSION_COOKIE, sendSession } from '../auth.ts';
import * as S from '../schemas.ts';
import { overTls } from '../security.ts';

export const STATION_COOKIE = 'fb_station';

const errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem, 409: S.Problem, 429: S.Problem };

const Station = z
  .object({
    id: z.string(),
    name: z.string(),
    idleSeconds: z.number().int(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'Station' });
const StationToken = z.string().min(1).max(200);
/** The tablet's routes take a PIN: a few tries a minute from one address, besides the per-person lock. */
const PIN_LIMIT = { max: 20, timeWindow: '1 minute' };

export function stationRoutes(app: AppContext, opts: { secureCookies: boolean }): FastifyPluginAsyncZod {
  return async (server) => {
    server.post(
      '/stations',
      {
        schema: {
          tags: ['stations'],
          summary: "Register a shared station tablet (admin); the station's link is shown only in this answer",
          body: z.strictObject({
            name: z.string().min(1).max(100),
            idleSeconds: z.number().int().min(STATION_IDLE_MIN_SECONDS).max(STATION_IDLE_MAX_SECONDS),
          }),
          response: { 201: Station.extend({ token: z.string(), link: z.string() }), ...errors },
        },
      },
      async (request, reply) => {
        const { station, token } = await createStation(app, actorOf(request), request.body);
        return reply.code(201).send({ ...station, token, link: `/tablet#${token}` });
      },
    );

    server.get(
      '/stations',
      {
        schema: {
          tags: ['stations'],
          summary: 'List stations, revoked ones too (admin)',
          response: { 200: z.object({ items: z.array(Station) }), ...errors },
        },
      },
      async (request) => ({ items: await stationsFor(app, actorOf(request)) }),
    );

    server.delete(
      '/stations/:id',
      {
        schema: {
          tags: ['stations'],
          summary: 'Revoke a station (admin): its link stops working and every session switched to on it ends at once',
          params: S.IdParam,
          response: { 200: z.object({ sessionsEnded: z.number().int() }), ...errors },
        },
      },
      async (request) => revokeStationFor(app, actorOf(request), request.params.id),
    );

    server.post(
      '/station/pair',
      {
        config: { public: true, rateLimit: PIN_LIMIT },
        schema: {
          tags: ['stations'],
          summary: "Make this device a station: keeps the station's token from its link in a cookie",
          body: z.strictObject({ token: StationToken }),
          response: { 200: z.object({ name: z.string(), idleSeconds: z.number().int() }), ...errors },
        },
      },
      async (request, reply) => {
        const station = await stationOfToken(app, request.body.token);
        reply.setCookie(STATION_COOKIE, request.body.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: overTls(request, opts.secureCookies),
          maxAge: 400 * 24 * 3600,
        });
        return { name: station.name, idleSeconds: station.idleSeconds };
      },
    );

    server.get(
      '/station/people',
      {
        config: { public: true },
        schema: {
          tags: ['stations'],
          summary: 'On a station: its name and idle time, and the people who have set a station PIN',
          response: {
            200: z.object({
              station: z.object({ name: z.string(), idleSeconds: z.number().int() }),
              people: z.array(z.object({ id: z.string(), name: z.string() })),
            }),
            ...errors,
          },
        },
      },
      async (request) => stationPeople(app, request.cookies[STATION_COOKIE]),
    );

    server.post(
      '/station/switch',
      {
        config: { public: true, rateLimit: PIN_LIMIT },
        schema: {
          tags: ['stations'],
          summary:
            'On a station: switch to a person by their PIN; sets their session cookie (it ends after the idle time). Five wrong PINs lock them there',
          body: z.strictObject({ userId: z.string().min(1).max(100), pin: z.string().min(1).max(PIN_MAX_DIGITS) }),
          response: { 200: S.Me, ...errors },
        },
      },
      async (request, reply) => {
        // Whoever was on the tablet before is signed out first.
        const previous = request.cookies[SESSION_COOKIE];
        if (previous) await signOut(app, previous);
        const session = await switchAtStation(app, request.cookies[STATION_COOKIE], request.body, originOf(request));
        return sendSession(request, reply, session, opts.secureCookies, await workspaceDates(app));
      },
    );

    server.post(
      '/station/sign-out',
      {
        config: { public: true },
        schema: {
          tags: ['stations'],
          summary: 'On a station: sign the current person out; the tablet stays a station',
          response: { 204: z.null(), ...errors },
        },
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
      '/auth/pin',
      {
        schema: {
          tags: ['auth'],
          summary: 'Whether you have set a station PIN',
          response: { 200: z.object({ hasPin: z.boolean() }), ...errors },
        },
      },
      async (request) => ({ hasPin: await hasOwnPin(app, actorOf(request)) }),
    );

    server.put(
      '/auth/pin',
      {
        schema: {
          tags: ['auth'],
          summary:
            'Set your own station PIN (4 to 8 digits, not trivial like 0000 or 1234; the current password required), or remove it with pin: null',
          body: z.strictObject({ currentPassword: z.string().min(1).max(200), pin: z.string().max(20).nullable() }),
          response: { 200: z.object({ hasPin: z.boolean() }), ...errors },
        },
      },
      async (request) => setOwnPin(app, actorOf(request), request.body),
    );
  };
}
