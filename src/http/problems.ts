// The one place errors become HTTP answers: problem+json with a stable type, never a stack trace.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { PROBLEM_TITLES, Problem, type ProblemCode } from '../app/problem.ts';
import { BadCursorError } from '../store/orders.ts';

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send({
      type: problem.code,
      title: PROBLEM_TITLES[problem.code],
      status: problem.status,
      detail: problem.detail,
      ...problem.extra,
    });
}

function validationProblem(err: FastifyError): Problem {
  const where = err.validationContext ?? 'body';
  const errors = hasZodFastifySchemaValidationErrors(err)
    ? err.validation.map((v) => {
        const path = v.instancePath.split('/').filter(Boolean).join('.');
        return { path: path ? `${where}.${path}` : where, message: v.message ?? 'is not valid' };
      })
    : [{ path: where, message: err.message }];
  const first = errors[0];
  return new Problem('validation-failed', first ? `${first.path}: ${first.message}` : 'The request is not valid', { errors });
}

const FASTIFY_CODES: Record<string, [ProblemCode, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ['validation-failed', 'The body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['validation-failed', 'The body is empty but JSON was announced'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload-too-large', 'The body is larger than this server accepts'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported-media-type', 'Send JSON with Content-Type: application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['validation-failed', 'Content-Length does not match the body'],
  FST_ERR_CTP_INVALID_TYPE: ['unsupported-media-type', 'Content-Type is not valid'],
};

/**
 * Fastify's own answers before routing (a URL that does not decode, a path segment longer than
 * the router accepts) bypass the error handler: `frameworkErrors` sends them here.
 */
export function frameworkProblem(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const detail =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'A part of the path is longer than this server accepts'
      : 'The URL is not valid: check its percent-encoding';
  return sendProblem(reply, new Problem('validation-failed', detail, { errors: [{ path: 'url', message: detail }] }));
}

/** Where the first NUL character (U+0000) sits in parsed input, or null. Iterative: deep JSON cannot overflow the stack. */
export function nulCharacterAt(value: unknown, root: string): string | null {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const at = `${path}.${k}`;
        if (k.includes('\u0000')) return at;
        stack.push([child, at]);
      }
    }
  }
  return null;
}

/** Maps anything thrown in a request to a problem answer; only real bugs become 500s (and get logged). */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof Problem) return sendProblem(reply, err);
    if (err.validation) return sendProblem(reply, validationProblem(err));
    if (err instanceof BadCursorError) {
      return sendProblem(
        reply,
        new Problem('validation-failed', err.message, { errors: [{ path: 'querystring.cursor', message: err.message }] }),
      );
    }
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) return sendProblem(reply, new Problem(known[0], known[1]));
    if (err.statusCode === 429)
      return sendProblem(reply, new Problem('rate-limited', 'Too many requests: wait a little and try again'));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendProblem(reply, new Problem('validation-failed', err.message));
    }
    request.log.error({ err }, 'request failed');
    return reply.code(500).type('application/problem+json').send({
      type: 'internal-error',
      title: 'Something went wrong',
      status: 500,
      detail: 'The server could not finish this request; it has been logged',
    });
  });
  // PostgreSQL text cannot hold U+0000, and no one means to send it: refuse it up front for every route.
  app.addHook('preValidation', async (request) => {
    const at =
      nulCharacterAt(request.params, 'params') ??
      nulCharacterAt(request.query, 'querystring') ??
      nulCharacterAt(request.body, 'body');
    if (at) {
      throw new Problem('validation-failed', `${at}: must not contain the NUL character`, {
        errors: [{ path: at, message: 'must not contain the NUL character' }],
      });
    }
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new Problem('not-found', `No route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
