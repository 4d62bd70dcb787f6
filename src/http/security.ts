// Security headers on every answer, and the rate limits that are not a single route's own: writes, and tracking links.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * What the staff app needs and no more: its own scripts, styles, images and API. React sets styles
 * through the DOM, which a policy without 'unsafe-inline' allows. Pages with other needs (the tracking
 * page's logo and accent colour) set their own policy, and this one is not put over it.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** HSTS asks browsers to use TLS for a year: sent only when the request came over TLS (directly or via the proxy). */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** True when the browser reached us over TLS: itself, or through a trusted proxy that says so. */
export function overTls(request: FastifyRequest, alwaysSecure: boolean): boolean {
  return alwaysSecure || request.protocol === 'https';
}

/** Adds the standard headers to every answer sent through Fastify (streams set their own). */
export function installSecurityHeaders(server: FastifyInstance, opts: { secure: boolean }): void {
  server.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', APP_CSP);
    if (!reply.hasHeader('referrer-policy')) reply.header('referrer-policy', 'same-origin');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    // The camera only for Floorboard's own pages: the scan page reads travellers' codes with it.
    reply.header('permissions-policy', 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()');
    if (overTls(request, opts.secure)) reply.header('strict-transport-security', HSTS);
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Writes to the API are limited per user (or token, or address when anonymous), shared across every
 * write route: a runaway script slows down, people at work never notice. Routes with a limit of their
 * own (signing in, customer approval) keep theirs. 0 turns the limit off (benchmarks).
 */
export function installWriteRateLimit(server: FastifyInstance, perMinute: number): void {
  if (!(perMinute > 0)) return;
  const limit = server.rateLimit({
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const actor = request.actor;
      return actor ? `write:${actor.kind}:${actor.userId ?? actor.id ?? actor.name}` : `write:ip:${request.ip}`;
    },
  });
  server.addHook('onRequest', async (request, reply) => {
    if (SAFE_METHODS.has(request.method) || !request.url.startsWith('/api/')) return;
    if (request.routeOptions.config?.rateLimit) return;
    await limit.call(server, request, reply);
  });
}

/** Writes per minute per user when nothing says otherwise: twenty a second, far more than hands make. */
export const DEFAULT_WRITES_PER_MINUTE = 1200;

/** Tracking lookups (page, API, live stream together) per minute per address: plenty for a customer, too few to guess. */
export const TRACKING_LOOKUPS_PER_MINUTE = 120;
/** Approvals and change requests per minute per address. */
export const TRACKING_REPLIES_PER_MINUTE = 10;

export type RequestLimiter = ReturnType<FastifyInstance['rateLimit']>;

/** One budget for every tracking lookup from an address, whichever route it comes through. */
export function trackingLookupLimiter(server: FastifyInstance, perMinute = TRACKING_LOOKUPS_PER_MINUTE): RequestLimiter {
  return server.rateLimit({ max: perMinute, timeWindow: 60_000, keyGenerator: (request) => `track:${request.ip}` });
}

/** A path as logs may show it: tracking and invite links have their token replaced. */
export function redactTracking(url: string): string {
  // Invite and password-reset links are secrets too (whoever holds one can take the account): page and API alike.
  return url
    .replace(/\/track\/[^/?#]+/g, '/track/<token>')
    .replace(/\/(invites?)\/[^/?#]+/g, '/$1/<token>')
    .replace(/\/(reset-password|password-reset)\/[^/?#]+/g, '/$1/<token>');
}
