// Files on an order: attaching, listing, downloading, changing what the customer sees, removing. Each upload,
// download and change is an event in the order's history, written in the same transaction as what it records.
// Who may read an order may read its files; every read goes through the order, never by file id alone.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { EventType } from '../domain/events.ts';
import {
  detectFileType,
  FILE_TYPES,
  FILE_TYPES_TEXT,
  type FileKind,
  type FileType,
  type FileVisibility,
  fileNameOf,
  mayAttachFile,
  mayChangeFileVisibility,
  mayRemoveFile,
} from '../domain/files.ts';
import { appendEvents } from '../store/events.ts';
import { fileBytes, findFile, insertFile, orderFiles, removeFile, type StoredFile, setFileVisibility } from '../store/files.ts';
import type { StoredOrder } from '../store/orders.ts';
import type { Database } from '../store/schema.ts';
import { type Actor, type AppContext, eventActor, transact } from './context.ts';
import { megabytes } from './imports/files.ts';
import { loadOrder } from './load.ts';
import { forbidden, notFound, Problem, validationFailed } from './problem.ts';

/** The largest file an order takes unless FLOORBOARD_FILE_LIMIT_MB says otherwise. */
export const DEFAULT_FILE_LIMIT_BYTES = 20 * 1024 * 1024;

/** The size limit of this server: FLOORBOARD_FILE_LIMIT_MB (1 to 200), else 20 MB. */
export function fileSizeLimit(env: Record<string, string | undefined> = process.env): number {
  const mb = Number(env.FLOORBOARD_FILE_LIMIT_MB);
  return Number.isFinite(mb) && mb >= 1 && mb <= 200 ? Math.floor(mb * 1024 * 1024) : DEFAULT_FILE_LIMIT_BYTES;
}

/** A file as the API shows it (never its bytes). */
export interface FileView {
  id: string;
  orderId: string;
  kind: FileKind;
  visibility: FileVisibility;
  name: string;
  type: FileType;
  size: number;
  sha256: string;
  uploadedAt: string;
  /** `id` is the user's, also when they used an API token. */
  uploadedBy: { kind: string; id: string | null; name: string };
  removedAt: string | null;
  /** Where its bytes are read (signed in). */
  url: string;
}

export function presentFile(f: StoredFile): FileView {
  return {
    id: f.id,
    orderId: f.orderId,
    kind: f.kind,
    visibility: f.visibility,
    name: f.name,
    type: f.type,
    size: f.size,
    sha256: f.sha256,
    uploadedAt: f.uploadedAt,
    uploadedBy: f.uploadedBy,
    removedAt: f.removedAt,
    url: `/api/v1/files/${f.id}`,
  };
}

/** File ids: 192 random bits, base64url. Anything of another shape is not worth a database read. */
const FILE_ID_SHAPE = /^[A-Za-z0-9_-]{32}$/;

function newFileId(): string {
  return randomBytes(24).toString('base64url');
}

function noSuchFile(): Problem {
  return notFound('This file');
}

export function fileTooLarge(limit: number, size?: number): Problem {
  const what = size === undefined ? 'The file is larger than' : `The file is ${megabytes(size)}, more than`;
  return new Problem('payload-too-large', `${what} an order takes: up to ${megabytes(limit)} per file.`, { limit });
}

export interface NewFile {
  kind: FileKind;
  visibility: FileVisibility;
  /** What the uploader's computer called it. */
  name: string | null;
  bytes: Buffer;
}

/** Attaches a file to an order; its type is read from its bytes. */
export async function attachFile(
  app: AppContext,
  actor: Actor,
  idOrNumber: string,
  input: NewFile,
  limit = fileSizeLimit(),
): Promise<FileView> {
  if (!mayAttachFile(actor.role, input.visibility)) {
    throw forbidden(
      actor.role === 'viewer'
        ? 'A viewer may read orders and their files but not attach files'
        : `A ${actor.role} may attach files for the shop (internal) but not files the customer sees`,
    );
  }
  if (input.bytes.length === 0) throw validationFailed('The file is empty', [{ path: 'file', message: 'is empty' }]);
  if (input.bytes.length > limit) throw fileTooLarge(limit, input.bytes.length);
  const type = detectFileType(input.bytes);
  if (!type) {
    throw new Problem('unsupported-media-type', `The file is not a ${FILE_TYPES_TEXT} file: an order takes those alone.`, {
      allowed: FILE_TYPES,
    });
  }
  const file = await transact(app, async (tx) => {
    const order = await loadOrder(tx, idOrNumber, { forUpdate: app.db.dialect === 'postgres' });
    const file: StoredFile = {
      id: newFileId(),
      orderId: order.id,
      kind: input.kind,
      visibility: input.visibility,
      name: fileNameOf(input.name, input.kind, type),
      type,
      size: input.bytes.length,
      sha256: createHash('sha256').update(input.bytes).digest('hex'),
      uploadedAt: app.clock.now().toISOString(),
      // The person, also when they used an API token: who may remove their own file.
      uploadedBy: { kind: actor.kind, id: actor.userId, name: actor.name },
      removedAt: null,
      removedBy: null,
    };
    await insertFile(tx, file, input.bytes);
    await record(app, tx, actor, order, 'file.attached', file, {
      kind: file.kind,
      visibility: file.visibility,
      type: file.type,
      size: file.size,
      sha256: file.sha256,
    });
    return file;
  });
  return presentFile(file);
}

/** Writes one file event on the order; the order's version stays (what the order is has not changed). */
async function record(
  app: AppContext,
  tx: Kysely<Database>,
  actor: Actor,
  order: StoredOrder,
  type: EventType,
  file: StoredFile,
  data: Record<string, unknown> = {},
): Promise<void> {
  await appendEvents(tx, app.db.dialect, [
    {
      type,
      at: app.clock.now().toISOString(),
      orderId: order.id,
      orderVersion: order.version,
      actor: eventActor(actor),
      data: { fileId: file.id, name: file.name, ...data },
    },
  ]);
}

/** An order's files, newest first (with the removed ones when asked: their records stay). */
export async function listOrderFiles(
  app: AppContext,
  _actor: Actor,
  idOrNumber: string,
  opts: { removed?: boolean } = {},
): Promise<FileView[]> {
  const db = app.db.kysely;
  const order = await loadOrder(db, idOrNumber);
  return (await orderFiles(db, order.id, opts)).map(presentFile);
}

/** A file that exists, is not removed, and belongs to the order; a plain 404 otherwise (guessing learns nothing). */
async function fileOf(db: Kysely<Database>, fileId: string, orderId?: string): Promise<StoredFile> {
  const file = FILE_ID_SHAPE.test(fileId) ? await findFile(db, fileId) : undefined;
  if (!file || file.removedAt !== null || (orderId !== undefined && file.orderId !== orderId)) throw noSuchFile();
  return file;
}

export interface Download {
  file: StoredFile;
  bytes: Buffer;
}

/** Reads a file for someone signed in: they may read its order, so they may read it. The read is recorded. */
export async function downloadFile(app: AppContext, actor: Actor, fileId: string, via: 'staff' | 'tracking' = 'staff') {
  const db = app.db.kysely;
  const file = await fileOf(db, fileId);
  return readRecorded(app, actor, file, via);
}

async function readRecorded(app: AppContext, actor: Actor, file: StoredFile, via: 'staff' | 'tracking'): Promise<Download> {
  return transact(app, async (tx) => {
    // Read the order the file belongs to: whoever may not read it may not read the file.
    const order = await loadOrder(tx, file.orderId);
    const bytes = await fileBytes(tx, file.id);
    if (!bytes) throw noSuchFile();
    await record(app, tx, actor, order, 'file.downloaded', file, { via });
    return { file, bytes };
  });
}

/**
 * Reads a file through a tracking link: only a customer-visible file of that link's order. Anything else (an
 * internal file, another order's, a removed one) answers exactly as an unknown file does.
 */
export async function downloadTrackedFile(
  app: AppContext,
  customer: Actor,
  order: StoredOrder,
  fileId: string,
): Promise<Download> {
  const file = await fileOf(app.db.kysely, fileId, order.id);
  if (file.visibility !== 'customer') throw noSuchFile();
  return readRecorded(app, customer, file, 'tracking');
}

/** The newest customer-visible proof of an order: what the tracking page asks the customer to approve. */
export async function customerProof(db: Kysely<Database>, orderId: string): Promise<StoredFile | null> {
  const files = await orderFiles(db, orderId, { visibility: 'customer' });
  return files.find((f) => f.kind === 'proof') ?? null;
}

/** Shows a file to the customer on the tracking page, or takes it back to the shop alone. */
export async function changeFileVisibility(
  app: AppContext,
  actor: Actor,
  idOrNumber: string,
  fileId: string,
  visibility: FileVisibility,
): Promise<FileView> {
  if (!mayChangeFileVisibility(actor.role)) {
    throw forbidden(`A ${actor.role} may not change what the customer sees: ask sales or customer service`);
  }
  const file = await transact(app, async (tx) => {
    const order = await loadOrder(tx, idOrNumber, { forUpdate: app.db.dialect === 'postgres' });
    const file = await fileOf(tx, fileId, order.id);
    if (file.visibility === visibility) return file;
    await setFileVisibility(tx, file.id, visibility);
    await record(app, tx, actor, order, 'file.visibility_changed', file, { from: file.visibility, to: visibility });
    return { ...file, visibility };
  });
  return presentFile(file);
}

/** Removes a file: its bytes are deleted, its record and history stay. */
export async function removeOrderFile(app: AppContext, actor: Actor, idOrNumber: string, fileId: string): Promise<FileView> {
  if (actor.role === 'viewer') throw forbidden('A viewer may not remove files');
  const file = await transact(app, async (tx) => {
    const order = await loadOrder(tx, idOrNumber, { forUpdate: app.db.dialect === 'postgres' });
    const file = await fileOf(tx, fileId, order.id);
    if (!mayRemoveFile(actor.role, actor.userId, file.uploadedBy.id)) {
      throw forbidden(`A ${actor.role} may remove the files they attached; ask sales or a manager to remove this one`);
    }
    const at = app.clock.now().toISOString();
    await removeFile(tx, file.id, at, actor.name);
    await record(app, tx, actor, order, 'file.removed', file);
    return { ...file, removedAt: at, removedBy: actor.name };
  });
  return presentFile(file);
}
