// Files on orders: upload (multipart), list, download, show to the customer or not, remove; and the customer's read
// of a customer-visible file through their tracking link. Bytes are answered with the type read from them, as a
// download unless asked inline (pictures only), under a policy that lets nothing in them run.
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { megabytes } from '../../app/imports/files.ts';
import {
  attachFile,
  changeFileVisibility,
  type Download,
  downloadFile,
  downloadTrackedFile,
  fileSizeLimit,
  fileTooLarge,
  listOrderFiles,
  type NewFile,
  removeOrderFile,
} from '../../app/order-files.ts';
import { Problem, validationFailed } from '../../app/problem.ts';
import { customerActor, trackedOrder } from '../../app/tracking.ts';
import { FILE_KINDS, FILE_TYPES, FILE_TYPES_TEXT, FILE_VISIBILITIES, isImage } from '../../domain/files.ts';
import { actorOf } from '../auth.ts';
import * as S from '../schemas.ts';
import type { RequestLimiter } from '../security.ts';

const errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem, 404: S.Problem, 413: S.Problem, 415: S.Problem };

const FileView = z
  .object({
    id: z.string().meta({ description: '192 random bits: knowing one still takes the right to read its order' }),
    orderId: z.string(),
    kind: z.enum(FILE_KINDS),
    visibility: z.enum(FILE_VISIBILITIES).meta({ description: 'customer: also shown on the tracking page' }),
    name: z.string(),
    type: z.enum(FILE_TYPES).meta({ description: 'Read from the file itself, never from what the uploader said' }),
    size: z.number().int().meta({ description: 'Bytes' }),
    sha256: z.string(),
    uploadedAt: S.Timestamp,
    uploadedBy: z.object({ kind: z.string(), id: z.string().nullable(), name: z.string() }),
    removedAt: S.Timestamp.nullable(),
    url: z.string().meta({ example: '/api/v1/files/3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
  })
  .meta({ id: 'OrderFile' });

const FileParams = z.object({ id: z.string().min(1).max(100), fileId: z.string().min(1).max(100) });
const Disposition = z.strictObject({
  disposition: z
    .enum(['attachment', 'inline'])
    .default('attachment')
    .meta({ description: 'inline shows a picture in the browser; a PDF is always a download' }),
});

/** Nothing in a served file may run, load anything, or be framed: it is shown, or saved, and that is all. */
const FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox";

/** `attachment; filename="..."; filename*=UTF-8''...` (RFC 6266): an ASCII name for old clients, the real one for the rest. */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function sendFile(reply: FastifyReply, { file, bytes }: Download, want: 'attachment' | 'inline', cache: string) {
  const disposition = want === 'inline' && isImage(file.type) ? 'inline' : 'attachment';
  return reply
    .type(file.type)
    .header('content-length', bytes.length)
    .header('content-disposition', contentDisposition(disposition, file.name))
    .header('content-security-policy', FILE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', cache)
    .header('etag', `"${file.sha256}"`)
    .send(bytes);
}

/** The upload: a `file` part, and `kind` and `visibility` fields (before or after it). */
async function readUpload(request: FastifyRequest, limit: number): Promise<NewFile> {
  let bytes: Buffer | undefined;
  let name: string | null = null;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const content = await part.toBuffer();
        if (part.fieldname === 'file') {
          bytes = content;
          name = part.filename || null;
        }
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (err) {
    if ((err as FastifyError).code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge(limit);
    if (err instanceof Problem) throw err;
    throw validationFailed(`The upload could not be read: ${(err as Error).message}`, [
      { path: 'body', message: 'is not a readable multipart form' },
    ]);
  }
  const kind = z.enum(FILE_KINDS).safeParse(fields.kind ?? 'other');
  if (!kind.success) {
    throw validationFailed(`kind must be one of ${FILE_KINDS.join(', ')}`, [
      { path: 'kind', message: `must be one of ${FILE_KINDS.join(', ')}` },
    ]);
  }
  const visibility = z.enum(FILE_VISIBILITIES).safeParse(fields.visibility ?? 'internal');
  if (!visibility.success) {
    throw validationFailed('visibility must be internal or customer', [
      { path: 'visibility', message: 'must be internal or customer' },
    ]);
  }
  if (!bytes) {
    throw validationFailed('The upload has no file: send it as the part named "file"', [
      { path: 'file', message: 'is required' },
    ]);
  }
  return { kind: kind.data, visibility: visibility.data, name, bytes };
}

export function fileRoutes(app: AppContext, lookups: RequestLimiter): FastifyPluginAsyncZod {
  const limit = fileSizeLimit();
  return async (server) => {
    await server.register(multipart, {
      limits: { fileSize: limit, files: 1, fields: 4, fieldSize: 1024, parts: 6 },
    });
    server.setErrorHandler((err: FastifyError) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw fileTooLarge(limit);
      throw err;
    });

    server.post(
      '/orders/:id/files',
      {
        bodyLimit: limit + 1024 * 1024,
        schema: {
          tags: ['files'],
          summary: `Attach a file to an order: multipart/form-data with a \`file\` part, \`kind\` (${FILE_KINDS.join(' | ')}; default other) and \`visibility\` (internal | customer; default internal). ${FILE_TYPES_TEXT}, up to ${megabytes(limit)} (413 payload-too-large beyond; 415 unsupported-media-type for any other type, read from the bytes). Everyone but viewers may attach internal files; customer-visible ones take admin, manager, sales or service`,
          params: S.IdParam,
          consumes: ['multipart/form-data'],
          response: { 201: FileView, ...errors },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        if (!request.isMultipart()) {
          throw new Problem('unsupported-media-type', 'Send the file as multipart/form-data with a part named "file"');
        }
        const input = await readUpload(request, limit);
        return reply.code(201).send(await attachFile(app, actor, request.params.id, input, limit));
      },
    );

    server.get(
      '/orders/:id/files',
      {
        schema: {
          tags: ['files'],
          summary:
            "An order's files, newest first (everyone who may read the order); `removed=true` adds the removed ones' records",
          params: S.IdParam,
          querystring: z.strictObject({ removed: z.enum(['true', 'false']).default('false') }),
          response: {
            200: S.pageOf(FileView).extend({
              limit: z.number().int().meta({ description: 'The largest file this server takes, in bytes' }),
            }),
            ...errors,
          },
        },
      },
      async (request) => ({
        items: await listOrderFiles(app, actorOf(request), request.params.id, { removed: request.query.removed === 'true' }),
        nextCursor: null,
        limit,
      }),
    );

    server.patch(
      '/orders/:id/files/:fileId',
      {
        schema: {
          tags: ['files'],
          summary: 'Show a file to the customer on the tracking page, or keep it for the shop (admin, manager, sales, service)',
          params: FileParams,
          body: z.strictObject({ visibility: z.enum(FILE_VISIBILITIES) }),
          response: { 200: FileView, ...errors },
        },
      },
      async (request) =>
        changeFileVisibility(app, actorOf(request), request.params.id, request.params.fileId, request.body.visibility),
    );

    server.delete(
      '/orders/:id/files/:fileId',
      {
        schema: {
          tags: ['files'],
          summary:
            'Remove a file (admin, manager, sales, service, or whoever attached it): its bytes are deleted, its record and history stay',
          params: FileParams,
          response: { 200: FileView, ...errors },
        },
      },
      async (request) => removeOrderFile(app, actorOf(request), request.params.id, request.params.fileId),
    );

    server.get(
      '/files/:fileId',
      {
        schema: {
          tags: ['files'],
          summary:
            'Download a file (everyone who may read its order); recorded in the order history. Served with its detected type, nosniff and a sandboxing policy',
          params: z.object({ fileId: z.string().min(1).max(100) }),
          querystring: Disposition,
          produces: [...FILE_TYPES],
          response: { 200: z.string().meta({ description: 'The file' }), ...errors },
        },
      },
      async (request, reply) => {
        const download = await downloadFile(app, actorOf(request), request.params.fileId);
        // The bytes under an id never change: the browser may keep them a while (a fetch that reaches us is recorded).
        return sendFile(reply, download, request.query.disposition, 'private, max-age=600');
      },
    );

    server.get(
      '/track/:token/files/:fileId',
      {
        config: { public: true },
        onRequest: lookups,
        schema: {
          tags: ['tracking'],
          summary:
            "A customer-visible file of the tracking link's order (no sign-in; rate-limited); any other file is unknown here. Recorded in the order history",
          security: [],
          params: z.object({ token: z.string().min(1), fileId: z.string().min(1).max(100) }),
          querystring: Disposition,
          produces: [...FILE_TYPES],
          response: { 200: z.string().meta({ description: 'The file' }), 400: S.Problem, 404: S.Problem, 429: S.Problem },
        },
      },
      async (request, reply) => {
        const order = await trackedOrder(app, request.params.token);
        const download = await downloadTrackedFile(app, customerActor(order), order, request.params.fileId);
        reply.header('referrer-policy', 'no-referrer');
        return sendFile(reply, download, request.query.disposition, 'no-store');
      },
    );
  };
}
