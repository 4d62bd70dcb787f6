// The one place errors become HTTP answers: problem+json with a stable type, never a stack trace.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { PROBLEM_TITLES, Problem, type ProblemCode } from '../app/problem.ts';
import { BadCursorError } from '../store/orders.ts';
import { fieldName, whatIsWrong } from './field-words.ts';

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
        const parts = v.instancePath.split('/').filter(Boolean);
        const path = parts.join('.');
        const wrong = whatIsWrong(v.keyword, v.message ?? 'is not valid', (v.params ?? {}) as Record<string, unknown>);
        // A schema's own sentence ("Use a stage key...") stands alone; a phrase gets the field's name before it.
        const message = /^[A-Z]/.test(wrong) ? wrong : `${fieldName(parts)} ${wrong}`;
        return { path: path ? `${where}.${path}` : where, message };
      })
    : [{ path: where, message: err.message }];
  const first = errors[0];
  return new Problem('validation-failed', first ? first.message : 'The request is not valid', { errors });
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

/** A lone UTF-16 surrogate: JSON can carry one ("\ud800"), but it is not a character and no database stores it. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** What no text column can hold: PostgreSQL refuses NUL, and neither database stores half a character. */
function unstorable(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode text (it holds half of a surrogate pair)';
  return null;
}

/**
 * Where the first text that cannot be stored sits in parsed input (a NUL character, a lone surrogate),
 * and why; null when there is none. Iterative: deep JSON cannot overflow the stack.
 */
export function unstorableTextAt(value: unknown, root: string): { path: string; message: string } | null {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const message = unstorable(v);
      if (message) return { path, message };
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const at = `${path}.${k}`;
        const message = unstorable(k);
        if (message) return { path: at, message };
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
  // Text no database can store is refused up front for every route, as bad input, before anything is written.
  app.addHook('preValidation', async (request) => {
    const found =
      unstorableTextAt(request.params, 'params') ??
      unstorableTextAt(request.query, 'querystring') ??
      unstorableTextAt(request.body, 'body');
    if (found) {
      throw new Problem('validation-failed', `${found.path}: ${found.message}`, { errors: [found] });
    }
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new Problem('not-found', `No route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
