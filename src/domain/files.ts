// Files on an order (artwork, proofs, photos): what kinds there are, who may see and change them, and what a file
// is, read from its own first bytes. The client's name and Content-Type are never trusted for the type.
import type { Role } from './roles.ts';
import { mayEditOrders } from './roles.ts';

export const FILE_KINDS = ['artwork', 'proof', 'photo', 'other'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** internal: the shop alone; customer: also on the order's tracking page. */
export const FILE_VISIBILITIES = ['internal', 'customer'] as const;
export type FileVisibility = (typeof FILE_VISIBILITIES)[number];

/**
 * The types a file may be: pictures a browser shows and PDF. SVG is left out on purpose (it can carry script),
 * and so is everything a browser might run or a desktop might open as a program.
 */
export const FILE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'application/pdf'] as const;
export type FileType = (typeof FILE_TYPES)[number];

/** In words, for refusals and the docs. */
export const FILE_TYPES_TEXT = 'PNG, JPEG, WebP, GIF or PDF';

const EXTENSIONS: Record<FileType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'application/pdf': 'pdf',
};

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  return signature.every((b, i) => bytes[at + i] === b);
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The type a file is by its magic number, or null when it is none of the allowed types. */
export function detectFileType(bytes: Uint8Array): FileType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(bytes, ascii('%PDF-'))) return 'application/pdf';
  return null;
}

export function isImage(type: string): boolean {
  return type.startsWith('image/');
}

/**
 * The name a file is kept under: the last part of what the uploader's computer called it, without control
 * characters, at most 200 characters; a file with no usable name is named after its kind and type.
 */
export function fileNameOf(given: string | null | undefined, kind: FileKind, type: FileType): string {
  const base = (given ?? '').split(/[\\/]/).pop() ?? '';
  const clean = [...base]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f && c !== '"')
    .join('')
    .trim()
    .slice(0, 200);
  return clean && clean !== '.' && clean !== '..' ? clean : `${kind}.${EXTENSIONS[type]}`;
}

/**
 * Who may attach a file. Everyone who may comment on an order (all but viewers) may attach one for the shop:
 * the floor photographs work, sales attach artwork. What reaches the customer is chosen by the people who speak
 * to the customer: attaching a customer-visible file, or changing what the customer sees, takes an order editor.
 */
export function mayAttachFile(role: Role, visibility: FileVisibility): boolean {
  if (role === 'viewer') return false;
  return visibility === 'internal' || mayEditOrders(role);
}

/** Changing a file's visibility: the order editors (admin, manager, sales, service). */
export function mayChangeFileVisibility(role: Role): boolean {
  return mayEditOrders(role);
}

/** Removing a file: the order editors, or whoever attached it. Its record and history stay. */
export function mayRemoveFile(role: Role, actorUserId: string | null, uploaderId: string | null): boolean {
  if (mayEditOrders(role)) return true;
  return role !== 'viewer' && actorUserId !== null && actorUserId === uploaderId;
}
