// Files on an order as the order page uses them: the list, an upload, showing one to the customer, removing one.
import { useQuery } from '@tanstack/react-query';
import { ApiProblem, currentCsrfToken, del, get, patch } from '../api/client.ts';

export type FileKind = 'artwork' | 'proof' | 'photo' | 'other';
export type FileVisibility = 'internal' | 'customer';

export interface OrderFile {
  id: string;
  orderId: string;
  kind: FileKind;
  visibility: FileVisibility;
  name: string;
  type: string;
  size: number;
  uploadedAt: string;
  uploadedBy: { kind: string; id: string | null; name: string };
  removedAt: string | null;
  url: string;
}

export interface OrderFiles {
  items: OrderFile[];
  /** The largest file the server takes, in bytes. */
  limit: number;
}

export const KIND_NAMES: Record<FileKind, string> = { artwork: 'Artwork', proof: 'Proof', photo: 'Photo', other: 'Other' };

/** What the server takes, by the type the browser guesses from the name (the server reads the bytes itself). */
export const ACCEPT = '.png,.jpg,.jpeg,.webp,.gif,.pdf,image/png,image/jpeg,image/webp,image/gif,application/pdf';

export const filesKey = (orderId: string) => ['files', orderId] as const;

export function useOrderFiles(orderId: string) {
  return useQuery({
    queryKey: filesKey(orderId),
    queryFn: ({ signal }) => get<OrderFiles>(`/orders/${orderId}/files`, signal),
  });
}

/** Uploads one file as multipart/form-data; refusals arrive as ApiProblem with the server's words. */
export async function uploadFile(orderId: string, file: File, kind: FileKind, visibility: FileVisibility): Promise<OrderFile> {
  const form = new FormData();
  form.append('kind', kind);
  form.append('visibility', visibility);
  form.append('file', file, file.name);
  const headers: Record<string, string> = { accept: 'application/json' };
  const csrf = currentCsrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(`/api/v1/orders/${orderId}/files`, { method: 'POST', body: form, headers, credentials: 'same-origin' });
  } catch {
    throw new ApiProblem(0, {
      type: 'network',
      detail: 'Could not reach the Floorboard server. Check the network and try again.',
    });
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new ApiProblem(res.status, body);
  return body as unknown as OrderFile;
}

export const setFileVisibility = (orderId: string, fileId: string, visibility: FileVisibility) =>
  patch<OrderFile>(`/orders/${orderId}/files/${fileId}`, { visibility });

export const removeFile = (orderId: string, fileId: string) => del<OrderFile>(`/orders/${orderId}/files/${fileId}`);

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
