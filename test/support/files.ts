// Files for tests: small real pictures and PDFs, and the multipart body an upload sends.
import { randomBytes } from 'node:crypto';

/** A real 1×1 PNG: browsers draw it. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** A small but complete PDF with one empty page. */
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

/** An SVG that would run script on the app's origin, were it ever served as a picture. */
export const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><script>alert(1)</script></svg>',
);

/** A PNG of `size` bytes: the signature, then noise. */
export function pngOfSize(size: number): Buffer {
  return Buffer.concat([PNG.subarray(0, 8), randomBytes(Math.max(0, size - 8))]);
}

export interface UploadParts {
  file?: { name: string; type?: string; bytes: Buffer };
  kind?: string;
  visibility?: string;
}

/** A multipart/form-data body as a browser sends it, and its content-type header. */
export function multipartBody(parts: UploadParts): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----floorboard${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  const field = (name: string, value: string) =>
    chunks.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (parts.kind !== undefined) field('kind', parts.kind);
  if (parts.visibility !== undefined) field('visibility', parts.visibility);
  if (parts.file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${parts.file.name}"\r\n` +
          `content-type: ${parts.file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      parts.file.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
