// The QR code and the Code 128 barcode of a traveller, drawn as vector shapes so they stay sharp at any printer's resolution.
import bwipjs from 'bwip-js';
import QRCode from 'qrcode';

/** Draws the QR code of `text` as a `size`-point square (quiet zone included) with its top left at x, y. */
export function drawQrCode(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 4;
  const cell = size / (n + 2 * quiet);
  doc.save().fillColor('black');
  for (let row = 0; row < n; row++) {
    // One rectangle per run of dark modules: far fewer drawing operations than one per module.
    let start = -1;
    for (let col = 0; col <= n; col++) {
      const dark = col < n && qr.modules.data[row * n + col] === 1;
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        doc.rect(x + (quiet + start) * cell, y + (quiet + row) * cell, (col - start) * cell, cell);
        start = -1;
      }
    }
  }
  doc.fill().restore();
}

/**
 * Draws `text` as a Code 128 barcode `height` points tall with its top left at x, y (a quiet zone of ten
 * modules each side included); returns the width it took.
 */
export function drawCode128(doc: PDFKit.PDFDocument, text: string, x: number, y: number, height: number, module = 1.4): number {
  const [symbol] = bwipjs.raw('code128', text, {}) as Array<{ sbs: number[] }>;
  const widths = symbol?.sbs ?? [];
  const quiet = 10 * module;
  let at = x + quiet;
  doc.save().fillColor('black');
  // sbs alternates bar and space widths in modules, starting with a bar.
  widths.forEach((w, i) => {
    if (i % 2 === 0) doc.rect(at, y, w * module, height);
    at += w * module;
  });
  doc.fill().restore();
  return at + quiet - x;
}
