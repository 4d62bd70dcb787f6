// Files on orders: their records and their bytes (see migration 016). Reads of the bytes go by file id alone;
// the app layer decides who may ask.
import type { Kysely } from 'kysely';
import type { EventActor } from '../domain/events.ts';
import type { FileKind, FileType, FileVisibility } from '../domain/files.ts';
import type { Database, OrderFileTable } from './schema.ts';

export interface StoredFile {
  id: string;
  orderId: string;
  kind: FileKind;
  visibility: FileVisibility;
  name: string;
  type: FileType;
  size: number;
  sha256: string;
  uploadedAt: string;
  uploadedBy: EventActor;
  removedAt: string | null;
  removedBy: string | null;
}

function fileFromRow(r: OrderFileTable): StoredFile {
  return {
    id: r.id,
    orderId: r.order_id,
    kind: r.kind as FileKind,
    visibility: r.visibility as FileVisibility,
    name: r.name,
    type: r.content_type as FileType,
    size: Number(r.size),
    sha256: r.sha256,
    uploadedAt: r.uploaded_at,
    uploadedBy: { kind: r.uploaded_by_kind as EventActor['kind'], id: r.uploaded_by_id, name: r.uploaded_by_name },
    removedAt: r.removed_at,
    removedBy: r.removed_by_name,
  };
}

export async function insertFile(db: Kysely<Database>, file: StoredFile, bytes: Uint8Array): Promise<void> {
  await db
    .insertInto('order_files')
    .values({
      id: file.id,
      order_id: file.orderId,
      kind: file.kind,
      visibility: file.visibility,
      name: file.name,
      content_type: file.type,
      size: file.size,
      sha256: file.sha256,
      uploaded_at: file.uploadedAt,
      uploaded_by_kind: file.uploadedBy.kind,
      uploaded_by_id: file.uploadedBy.id,
      uploaded_by_name: file.uploadedBy.name,
      removed_at: null,
      removed_by_name: null,
    })
    .execute();
  await db.insertInto('order_file_contents').values({ file_id: file.id, bytes }).execute();
}

/** An order's files, newest first; removed ones only when asked for. */
export async function orderFiles(
  db: Kysely<Database>,
  orderId: string,
  opts: { removed?: boolean; visibility?: FileVisibility } = {},
): Promise<StoredFile[]> {
  let query = db.selectFrom('order_files').selectAll().where('order_id', '=', orderId);
  if (!opts.removed) query = query.where('removed_at', 'is', null);
  if (opts.visibility) query = query.where('visibility', '=', opts.visibility);
  const rows = await query.orderBy('uploaded_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(fileFromRow);
}

export async function findFile(db: Kysely<Database>, id: string): Promise<StoredFile | undefined> {
  const row = await db.selectFrom('order_files').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fileFromRow(row) : undefined;
}

export async function fileBytes(db: Kysely<Database>, id: string): Promise<Buffer | undefined> {
  const row = await db.selectFrom('order_file_contents').select('bytes').where('file_id', '=', id).executeTakeFirst();
  return row ? Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) : undefined;
}

export async function setFileVisibility(db: Kysely<Database>, id: string, visibility: FileVisibility): Promise<void> {
  await db.updateTable('order_files').set({ visibility }).where('id', '=', id).execute();
}

/** Marks a file removed and deletes its bytes: the record and its history stay. */
export async function removeFile(db: Kysely<Database>, id: string, at: string, by: string): Promise<void> {
  await db.updateTable('order_files').set({ removed_at: at, removed_by_name: by }).where('id', '=', id).execute();
  await db.deleteFrom('order_file_contents').where('file_id', '=', id).execute();
}
