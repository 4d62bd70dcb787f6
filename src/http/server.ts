// The HTTP server: Fastify with Zod schemas, auth, problem answers, OpenAPI, metrics, and the API routes.
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app/context.ts';
import { changesTokens, forgetTokens } from '../app/manage-access.ts';
import { LiveFeed } from '../jobs/live-feed.ts';
import { installAuth } from './auth.ts';
import { installUtf8JsonParser } from './body-text.ts';
import { installMetrics } from './metrics.ts';
import { frameworkProblem, installProblemHandlers } from './problems.ts';
import { accessRoutes } from './routes/access.ts';
import { accountRoutes } from './routes/account.ts';
import { alertRoutes } from './routes/alerts.ts';
import { auditRoutes } from './routes/audit.ts';
import { customerUpdateRoutes } from './routes/customer-updates.ts';
import { customerRoutes } from './routes/customers.ts';
import { exportRoutes } from './routes/exports.ts';
import { fileRoutes } from './routes/files.ts';
import { financeRoutes } from './routes/finance.ts';
import { importRoutes } from './routes/imports.ts';
import { inviteRoutes } from './routes/invites.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { orderRoutes } from './routes/orders.ts';
import { reportRoutes } from './routes/reports.ts';
import { settingsRoutes } from './routes/settings.ts';
import { setupRoutes } from './routes/setup.ts';
import { stationRoutes } from './routes/stations.ts';
import { streamRoutes } from './routes/stream.ts';
import { trackingRoutes } from './routes/tracking.ts';
import { travellerRoutes } from './routes/travellers.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { workflowRoutes } from './routes/workflows.ts';
import {
  DEFAULT_WRITES_PER_MINUTE,
  installSecurityHeaders,
  installWriteRateLimit,
  redactTracking,
  trackingLookupLimiter,
} from './security.ts';
import { installTrackingPage } from './track-page.ts';
import { installWebApp } from './web.ts';

export interface ServerOptions {
  /** A pino logger; none means silent (tests). */
  logger?: FastifyBaseLogger;
  /** Set the Secure flag on cookies (when served over TLS). */
  secureCookies?: boolean;
  /** Trust X-Forwarded-* from a proxy in front. */
  trustProxy?: boolean;
  /** How often the live feed looks for events nobody told it about (ms); tests stretch it. */
  livePollMs?: number;
  /** Writes per minute per user or token across the API (default 1200; 0: no limit, for benchmarks). */
  writesPerMinute?: number;
  /** Tracking-link lookups per minute per address (default 120). */
  trackingLookupsPerMinute?: number;
}

export const API_PREFIX = '/api/v1';

/** Never let a secret reach the log. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

/** Zod schemas to OpenAPI, with error answers documented as what they are: application/problem+json. */
const documentProblems: typeof jsonSchemaTransform = (input) => {
  const out = jsonSchemaTransform(input);
  const response = (out.schema as { response?: Record<string, unknown> } | undefined)?.response;
  for (const code of Object.keys(response ?? {})) {
    if (response && /^[45]\d\d$/.test(code)) {
      response[code] = {
        description: 'A problem (RFC 9457)',
        content: { 'application/problem+json': { schema: response[code] } },
      };
    }
  }
  return out;
};

/** Longer than any id, number or tracking token (128) the routes take; longer parameters match no route. */
const MAX_PARAM_LENGTH = 256;

export async function buildServer(app: AppContext, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const server = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: opts.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
    // A tracking token may be 128 characters; past the router's limit a path would stop matching its route.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkProblem,
  }).withTypeProvider<ZodTypeProvider>();

  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // One log line per request, at info, without headers or tracking tokens: secrets never reach it.
  server.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: redactTracking(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });

  installProblemHandlers(server);
  installUtf8JsonParser(server);
  await server.register(cookie);
  await server.register(rateLimit, { global: false });
  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Floorboard API',
        version: '1.0.0',
        description: 'Production-order tracking: workflows, orders, enforced stage moves, audit trail, board.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'fb_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: documentProblems,
    // Fills components.schemas with the schemas the routes $ref (Order, Problem, ...).
    transformObject: jsonSchemaTransformObject,
  });
  installAuth(server, app);
  installWriteRateLimit(server, opts.writesPerMinute ?? DEFAULT_WRITES_PER_MINUTE);
  installSecurityHeaders(server, { secure: opts.secureCookies ?? false });
  const trackingLookups = trackingLookupLimiter(server, opts.trackingLookupsPerMinute);
  installMetrics(server, app);

  const feed = new LiveFeed(app.db, {
    pollMs: opts.livePollMs,
    onError: (err) => server.log.error({ err }, 'live feed failed to read events'),
  });
  app.afterCommit = () => feed.poke();
  // A user or token changed, here or in another process: remembered bearer tokens are read afresh.
  feed.subscribe((events) => {
    if (events.some((e) => changesTokens(e.type))) forgetTokens(app.db);
  });
  server.addHook('onReady', () => feed.start());
  server.addHook('onClose', () => feed.stop());

  server.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'Ready when migrations ran and the database answers',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => {
      await app.db.kysely.selectFrom('chain_head').select('seq').limit(1).execute();
      return { status: 'ok' as const };
    },
  );

  await server.register(
    async (api) => {
      api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => server.swagger());
      await api.register(orderRoutes(app));
      await api.register(workflowRoutes(app));
      await api.register(accessRoutes(app, { secureCookies: opts.secureCookies ?? false }));
      await api.register(accountRoutes(app, { secureCookies: opts.secureCookies ?? false }));
      await api.register(setupRoutes(app, { secureCookies: opts.secureCookies ?? false }));
      await api.register(inviteRoutes(app, { secureCookies: opts.secureCookies ?? false }));
      await api.register(auditRoutes(app));
      await api.register(streamRoutes(feed));
      await api.register(alertRoutes(app));
      await api.register(notificationRoutes(app));
      await api.register(webhookRoutes(app));
      await api.register(settingsRoutes(app));
      await api.register(customerUpdateRoutes(app));
      await api.register(customerRoutes(app));
      await api.register(reportRoutes(app));
      await api.register(financeRoutes(app));
      await api.register(exportRoutes(app));
      await api.register(importRoutes(app));
      await api.register(trackingRoutes(app, feed, trackingLookups));
      await api.register(fileRoutes(app, trackingLookups));
      await api.register(travellerRoutes(app));
      await api.register(stationRoutes(app, { secureCookies: opts.secureCookies ?? false }));
    },
    { prefix: API_PREFIX },
  );
  installTrackingPage(server, app, trackingLookups);
  await installWebApp(server);
  return server;
}
