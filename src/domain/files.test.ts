import { describe, expect, it } from 'vitest';
import { detectFileType, fileNameOf, mayAttachFile, mayChangeFileVisibility, mayRemoveFile } from './files.ts';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('what a file is, read from its bytes', () => {
  it('knows PNG, JPEG, GIF, WebP and PDF by their signatures', () => {
    expect(detectFileType(bytes([0x89], 'PNG\r\n\x1a\n', 'rest'))).toBe('image/png');
    expect(detectFileType(bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'))).toBe('image/jpeg');
    expect(detectFileType(bytes('GIF89a', [1, 0, 1, 0]))).toBe('image/gif');
    expect(detectFileType(bytes('GIF87a'))).toBe('image/gif');
    expect(detectFileType(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))).toBe('image/webp');
    expect(detectFileType(bytes('%PDF-1.7\n'))).toBe('application/pdf');
  });

  it('refuses SVG, HTML, a WAV (RIFF but not WebP), a cut-short signature and an empty file', () => {
    expect(detectFileType(bytes('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBeNull();
    expect(detectFileType(bytes('<!doctype html><script>alert(1)</script>'))).toBeNull();
    expect(detectFileType(bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '))).toBeNull();
    expect(detectFileType(bytes([0x89], 'PNG'))).toBeNull();
    expect(detectFileType(bytes(' %PDF-1.4'))).toBeNull();
    expect(detectFileType(Buffer.alloc(0))).toBeNull();
  });
});

describe('the name a file is kept under', () => {
  it('keeps the last part of the path, without control characters or quotes', () => {
    expect(fileNameOf('C:\\Users\\sam\\proof "final".pdf', 'proof', 'application/pdf')).toBe('proof final.pdf');
    expect(fileNameOf('../../etc/passwd', 'other', 'image/png')).toBe('passwd');
    expect(fileNameOf('a\u0000b\nc.png', 'photo', 'image/png')).toBe('abc.png');
    expect(fileNameOf('x'.repeat(300), 'photo', 'image/png')).toHaveLength(200);
  });

  it('names a file with no usable name after its kind and type', () => {
    expect(fileNameOf('', 'proof', 'application/pdf')).toBe('proof.pdf');
    expect(fileNameOf(null, 'photo', 'image/jpeg')).toBe('photo.jpg');
    expect(fileNameOf('..', 'artwork', 'image/webp')).toBe('artwork.webp');
  });
});

describe('who may do what with files', () => {
  it('lets all but viewers attach for the shop, and only order editors attach for the customer', () => {
    expect(mayAttachFile('production', 'internal')).toBe(true);
    expect(mayAttachFile('production', 'customer')).toBe(false);
    expect(mayAttachFile('service', 'customer')).toBe(true);
    expect(mayAttachFile('viewer', 'internal')).toBe(false);
    expect(mayChangeFileVisibility('sales')).toBe(true);
    expect(mayChangeFileVisibility('fulfillment')).toBe(false);
  });

  it('lets order editors remove any file, others only their own, viewers none', () => {
    expect(mayRemoveFile('manager', 'u1', 'u2')).toBe(true);
    expect(mayRemoveFile('production', 'u1', 'u1')).toBe(true);
    expect(mayRemoveFile('production', 'u1', 'u2')).toBe(false);
    expect(mayRemoveFile('production', null, null)).toBe(false);
    expect(mayRemoveFile('viewer', 'u1', 'u1')).toBe(false);
  });
});
