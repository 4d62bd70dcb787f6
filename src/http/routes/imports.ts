// /api/v1/imports: bring a shop's orders and their history in from CSV, event logs, XLSX workbooks and Trello boards.
import multipart from '@fastify/multipart';
import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { checkSize, MAX_IMPORT_BYTES, megabytes } from '../../app/imports/files.ts';
import { listImportsFor, readImport, undoImport } from '../../app/imports/manage-imports.ts';
import { type ImportInput, runImport } from '../../app/imports/run-import.ts';
import { Problem, validationFailed } from '../../app/problem.ts';
import { actorOf } from '../auth.ts';
import * as I from '../import-schemas.ts';
import * as S from '../schemas.ts';

const errors = {
  400: S.Problem,
  401: S.Problem,
  403: S.Problem,
  404: S.Problem,
  409: S.Problem,
  413: S.Problem,
  415: S.Problem,
  422: S.Problem,
};

/** A JSON body carries the file as text or base64 (a third larger), with room for the options around it. */
const JSON_BODY_LIMIT = Math.ceil((MAX_IMPORT_BYTES * 4) / 3) + 1024 * 1024;

function tooLarge(): Problem {
  return new Problem(
    'payload-too-large',
    `The file is larger than an import takes: up to ${megabytes(MAX_IMPORT_BYTES)}. Split it and import the parts one after the other.`,
    {
      limit: MAX_IMPORT_BYTES,
    },
  );
}

function parseOptions<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  throw validationFailed(`${errors[0]?.path}: ${errors[0]?.message}`, errors);
}

/** The multipart form: a `file` part and an `options` part holding the JSON options. */
async function fromMultipart(request: import('fastify').FastifyRequest): Promise<ImportInput> {
  let file: Buffer | undefined;
  let fileName: string | undefined;
  let options: unknown;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname === 'file') {
          file = bytes;
          fileName = part.filename || undefined;
        }
      } else if (part.fieldname === 'options') {
        try {
          options = JSON.parse(String(part.value));
        } catch {
          throw validationFailed('The options part is not JSON', [{ path: 'options', message: 'must be JSON' }]);
        }
      }
    }
  } catch (err) {
    if ((err as FastifyError).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    if (err instanceof Problem) throw err;
    throw validationFailed(`The upload could not be read: ${(err as Error).message}`, [
      { path: 'body', message: 'is not a readable multipart form' },
    ]);
  }
  if (!file)
    throw validationFailed('The upload has no file: send it as the part named "file"', [
      { path: 'file', message: 'is required' },
    ]);
  const o = parseOptions(I.ImportOptions, options ?? {}, 'options');
  return {
    workflow: o.workflow,
    source: o.source,
    content: file,
    mapping: o.mapping,
    dryRun: o.dryRun,
    fileName: o.fileName ?? fileName ?? null,
  };
}

function fromJson(body: unknown): ImportInput {
  const b = parseOptions(I.ImportRequest, body ?? {}, 'body');
  const encoding = b.encoding ?? (b.source === 'xlsx' ? 'base64' : 'text');
  if (encoding === 'base64' && !/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(b.content))
    throw validationFailed('content is not base64', [
      { path: 'body.content', message: 'must be base64 (xlsx content is base64 unless encoding says text)' },
    ]);
  const content = encoding === 'base64' ? Buffer.from(b.content, 'base64') : Buffer.from(b.content, 'utf8');
  checkSize(content.length);
  return { workflow: b.workflow, source: b.source, content, mapping: b.mapping, dryRun: b.dryRun, fileName: b.fileName ?? null };
}

export function importRoutes(app: AppContext): FastifyPluginAsyncZod {
  return async (server) => {
    await server.register(multipart, {
      limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 4, fieldSize: 1024 * 1024, parts: 8 },
    });
    // The body limit of this scope speaks of the file, not of a generic body.
    server.setErrorHandler((err: FastifyError) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw tooLarge();
      throw err;
    });

    server.post(
      '/imports',
      {
        bodyLimit: JSON_BODY_LIMIT,
        schema: {
          tags: ['imports'],
          summary:
            'Import orders and their history (admin, manager): JSON {workflow, source, content, mapping?, dryRun?, fileName?}, or multipart/form-data with a `file` part and an `options` part holding the same JSON without content. 201 with the summary; a dry run answers 200 with the same shape and writes nothing',
          response: { 201: I.ImportSummary, ...errors },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const input = request.isMultipart() ? await fromMultipart(request) : fromJson(request.body);
        const summary = await runImport(app, actor, input);
        return reply.code(summary.dryRun ? 200 : 201).send(summary);
      },
    );

    server.get(
      '/imports',
      {
        schema: {
          tags: ['imports'],
          summary: 'Imports, newest first (admin, manager)',
          querystring: z.strictObject({ limit: S.Limit, cursor: z.string().max(500).optional() }),
          response: { 200: S.pageOf(I.ImportRecord), ...errors },
        },
      },
      async (request) => listImportsFor(app, actorOf(request), request.query),
    );

    server.get(
      '/imports/:id',
      {
        schema: {
          tags: ['imports'],
          summary: 'One import: who, when, file name, sha256, counts',
          params: S.IdParam,
          response: { 200: I.ImportRecord, ...errors },
        },
      },
      async (request) => readImport(app, actorOf(request), request.params.id),
    );

    server.post(
      '/imports/:id/undo',
      {
        schema: {
          tags: ['imports'],
          summary: 'Undo an import: cancels the orders it created that nobody changed since, with the reason recorded',
          params: S.IdParam,
          body: z.strictObject({ reason: z.string().max(2000).optional() }),
          response: { 200: I.UndoResult, ...errors },
        },
      },
      async (request) => undoImport(app, actorOf(request), request.params.id, request.body.reason),
    );
  };
}
