// Reading printed PDFs back as a person and a scanner would: Poppler's text and page sizes, and each page
// rendered at 150 dpi with its QR code (jsQR) and Code 128 barcode (ZXing) decoded from the pixels.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  MultiFormatReader,
  RGBLuminanceSource,
} from '@zxing/library';
import jsqr from 'jsqr';

// jsQR is a CommonJS bundle typed as an ES module: its function is the export itself or its `default`.
const jsQR = ((jsqr as unknown as { default?: unknown }).default ?? jsqr) as typeof jsqr.default;

/** Runs `work` with the PDF written to a fresh folder; the folder is removed after. */
function withPdf<T>(pdf: Buffer, work: (dir: string, file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'floorboard-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return work(dir, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of every page (pdftotext), pages separated by form feeds. */
export function pdfText(pdf: Buffer): string {
  return withPdf(pdf, (_, file) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }));
}

/** The number of pages and the first page's size in points (pdfinfo). */
export function pdfInfo(pdf: Buffer): { pages: number; width: number; height: number } {
  const out = withPdf(pdf, (_, file) => execFileSync('pdfinfo', [file], { encoding: 'utf8' }));
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(out);
  const pages = /Pages:\s+(\d+)/.exec(out);
  return { pages: Number(pages?.[1]), width: Number(size?.[1]), height: Number(size?.[2]) };
}

export interface PageImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  luminance: Uint8ClampedArray;
}

/** Reads a binary PPM (P6, 8 bits), as `pdftoppm` writes without -png: no image library needed. */
function readPpm(bytes: Buffer): PageImage {
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a binary PPM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const pixels = bytes.subarray(header[0].length);
  const rgba = new Uint8ClampedArray(width * height * 4);
  const luminance = new Uint8ClampedArray(width * height);
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = [pixels[i * 3]!, pixels[i * 3 + 1]!, pixels[i * 3 + 2]!];
    rgba.set([r, g, b, 255], i * 4);
    luminance[i] = (r * 299 + g * 587 + b * 114) / 1000;
  }
  return { width, height, rgba, luminance };
}

/** Every page rendered at 150 dpi (pdftoppm), as pixels. */
export function renderPages(pdf: Buffer): PageImage[] {
  return withPdf(pdf, (dir, file) => {
    execFileSync('pdftoppm', ['-r', '150', file, join(dir, 'page')]);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.ppm'))
      .sort()
      .map((f) => readPpm(readFileSync(join(dir, f))));
  });
}

/** What the page's QR code says, or null when none is found. */
export function readQrCode(page: PageImage): string | null {
  return jsQR(page.rgba, page.width, page.height)?.data ?? null;
}

/** What the Code 128 barcode at the top of the page says, as a handheld scanner would read it; null when none is found. */
export function readCode128(page: PageImage): string | null {
  const reader = new MultiFormatReader();
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128]],
    [DecodeHintType.TRY_HARDER, true],
  ]);
  try {
    // A traveller's barcode sits in the top third of its page: reading only that keeps ZXing quick.
    const rows = Math.floor(page.height / 3);
    const source = new RGBLuminanceSource(page.luminance.subarray(0, page.width * rows), page.width, rows);
    return reader.decode(new BinaryBitmap(new HybridBinarizer(source)), hints).getText();
  } catch {
    return null;
  }
}
