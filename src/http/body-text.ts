// Request bodies are UTF-8 or refused: bytes that are not would otherwise be stored as U+FFFD, changing what was sent.
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Problem } from '../app/problem.ts';

const MESSAGE = 'must be valid UTF-8 text (it holds bytes that are not UTF-8)';

/**
 * Where the first byte that does not start a well-formed UTF-8 sequence is (Unicode, table 3-7:
 * no overlong forms, no encoded surrogates, nothing above U+10FFFF, nothing cut short); -1 when none.
 * Only run on a body `isUtf8` already refused, to say where the fault is.
 */
export function firstBadByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // The length of the sequence and the range its second byte must fall in.
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    if (i + length > bytes.length) return i;
    const second = bytes[i + 1]!;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      const next = bytes[i + k]!;
      if (next < 0x80 || next > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

/** Marks the bad bytes' place in the text, so the parsed JSON shows which member holds them. */
const MARK = '\u{10FFFD}not-utf8\u{10FFFD}';

/** The member of a JSON body holding bytes that are not UTF-8, e.g. `body.customer.name`; `body` when none can be named. */
export function badBytesPath(bytes: Buffer): string {
  const at = firstBadByte(bytes);
  const text = bytes.subarray(0, at).toString('utf8') + MARK + bytes.subarray(at + 1).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'body';
  }
  const stack: Array<[unknown, string]> = [[parsed, 'body']];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string' && value.includes(MARK)) return path;
    if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childPath = `${path}.${key.replaceAll(MARK, '\uFFFD')}`;
        if (key.includes(MARK)) return childPath;
        stack.push([child, childPath]);
      }
    }
  }
  return 'body';
}

function notUtf8(path: string): Problem {
  return new Problem('validation-failed', `${path}: ${MESSAGE}`, { errors: [{ path, message: MESSAGE }] });
}

type Done = (err: Error | null, body?: unknown) => void;

/** JSON bodies: checked for UTF-8 as bytes, then parsed by Fastify's own parser (prototype poisoning refused). */
export function installUtf8JsonParser(server: FastifyInstance): void {
  const parseJson = server.getDefaultJsonParser('error', 'error');
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (request: FastifyRequest, body: string | Buffer, done: Done) => {
      const bytes = body as Buffer;
      if (!isUtf8(bytes)) return done(notUtf8(badBytesPath(bytes)));
      parseJson(request, bytes.toString('utf8'), done);
    },
  );
}

/** Other text bodies (a form post) refused the same way; the body as a whole is named. */
export function utf8Text(bytes: Buffer): string {
  if (!isUtf8(bytes)) throw notUtf8('body');
  return bytes.toString('utf8');
}
