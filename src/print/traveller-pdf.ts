// Job travellers as a PDF: one page per order, in A4 or US Letter, laid out to be read at arm's length on the floor.
import PDFDocument from 'pdfkit';
import type { PaperSize, Traveller, TravellerStage } from '../domain/traveller.ts';
import { drawCode128, drawQrCode } from './codes.ts';

const PAGE: Record<PaperSize, string> = { a4: 'A4', letter: 'LETTER' };
const MARGIN = 36;
const GREY = '#555555';
const LINE = '#999999';

/**
 * The built-in Helvetica writes WinAnsi (Latin-1 and a few more) alone; other characters print as "?" rather
 * than as garbage. Embedding a font for every script would make each page heavy for the rare name that needs it.
 */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e\xa0-\xff\u20ac\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026]/g, '?');
}

/** The travellers as one PDF, one page each, in the order given. */
export function travellersPdf(travellers: Traveller[], paper: PaperSize): Promise<Buffer> {
  const doc = new PDFDocument({
    size: PAGE[paper],
    margin: MARGIN,
    autoFirstPage: false,
    info: {
      Title: travellers.length === 1 ? `Traveller ${travellers[0]!.number}` : `Travellers (${travellers.length})`,
      Creator: 'Floorboard',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const t of travellers) {
    doc.addPage();
    drawTraveller(doc, t);
  }
  doc.end();
  return done;
}

/** Writes one line that never wraps nor spills onto a new page: too long a text ends in "...". */
function line(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number, font: string, size: number): void {
  doc
    .font(font)
    .fontSize(size)
    .text(printable(text), x, y, { width, height: size * 1.3, lineBreak: false, ellipsis: true });
}

function heading(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number): number {
  line(doc, text.toUpperCase(), x, y, width, 'Helvetica-Bold', 9);
  doc
    .moveTo(x, y + 12)
    .lineTo(x + width, y + 12)
    .lineWidth(0.5)
    .strokeColor(LINE)
    .stroke();
  return y + 17;
}

function drawTraveller(doc: PDFKit.PDFDocument, t: Traveller): void {
  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;
  const bottom = doc.page.height - MARGIN;
  const qrSize = 118;
  const textWidth = width - qrSize - 12;

  // Header: the number big enough to read across the shop, the QR code beside it.
  doc.fillColor('black');
  line(doc, t.number, left, MARGIN, textWidth, 'Helvetica-Bold', 40);
  line(doc, t.title, left, MARGIN + 46, textWidth, 'Helvetica-Bold', 15);
  doc.fillColor(GREY);
  line(doc, `${t.workflowName} · job traveller`, left, MARGIN + 66, textWidth, 'Helvetica', 10);
  doc.fillColor('black');
  drawQrCode(doc, t.stationUrl, left + width - qrSize, MARGIN - 6, qrSize);
  drawCode128(doc, t.number, left - 14, MARGIN + 84, 34);

  // The facts a person on the floor asks first.
  let y = MARGIN + 130;
  const facts: Array<[string, string]> = [
    ['Customer', t.customer],
    ['Due', t.dueDate ? `${t.dueDate} (${t.dueWords})` : 'no due date'],
    ['Priority', t.priority.toUpperCase()],
  ];
  const shares = [0.4, 0.4, 0.2];
  let x = left;
  facts.forEach(([label, value], i) => {
    const w = width * shares[i]!;
    doc.fillColor(GREY);
    line(doc, label, x, y, w - 8, 'Helvetica', 9);
    doc.fillColor('black');
    line(doc, value, x, y + 11, w - 8, 'Helvetica-Bold', 13);
    x += w;
  });
  y += 32;
  if (t.stateNote) {
    doc.fillColor('#b00020');
    line(doc, t.stateNote, left, y, width, 'Helvetica-Bold', 12);
    doc.fillColor('black');
    y += 18;
  }

  // Spec fields in two columns; an empty one is a line to write on.
  y = heading(doc, 'Specification', left, y + 4, width);
  const colWidth = (width - 16) / 2;
  t.fields.forEach((f, i) => {
    const x = left + (i % 2) * (colWidth + 16);
    const rowY = y + Math.floor(i / 2) * 17;
    doc.fillColor(GREY);
    line(doc, f.label, x, rowY, colWidth * 0.45, 'Helvetica', 10);
    doc.fillColor('black');
    if (f.value) line(doc, f.value, x + colWidth * 0.45, rowY, colWidth * 0.55, 'Helvetica-Bold', 10);
    else
      doc
        .moveTo(x + colWidth * 0.45, rowY + 10)
        .lineTo(x + colWidth, rowY + 10)
        .lineWidth(0.5)
        .strokeColor(LINE)
        .stroke();
  });
  y += Math.ceil(t.fields.length / 2) * 17 + 4;

  // Items: as many as fit in a fixed share of the page, then a count of the rest.
  if (t.items.length) {
    y = heading(doc, 'Items', left, y, width);
    const room = Math.max(1, Math.min(t.items.length, 8));
    const shown = t.items.length > room ? t.items.slice(0, room - 1) : t.items;
    for (const item of shown) {
      line(doc, String(item.quantity), left, y, 40, 'Helvetica-Bold', 10);
      line(doc, item.sku ?? '', left + 44, y, 110, 'Helvetica', 10);
      line(doc, item.description, left + 158, y, width - 158, 'Helvetica', 10);
      y += 14;
    }
    if (shown.length < t.items.length) {
      doc.fillColor(GREY);
      line(doc, `+ ${t.items.length - shown.length} more items: see the order`, left + 44, y, width - 44, 'Helvetica', 10);
      doc.fillColor('black');
      y += 14;
    }
    y += 4;
  }

  // Stages as a checklist: tick, stage, who owns it, and room for initials and a date.
  y = heading(doc, 'Stages', left, y, width);
  const rowHeight = Math.min(22, Math.max(15, (bottom - 110 - y) / Math.max(1, t.stages.length)));
  for (const stage of t.stages) {
    drawStage(doc, stage, left, y, width);
    y += rowHeight;
  }

  // Whatever is left above the footer is for hand notes.
  y = heading(doc, 'Notes', left, y + 4, width);
  doc.lineWidth(0.4).strokeColor('#bbbbbb');
  for (let ny = y + 20; ny < bottom - 24; ny += 20)
    doc
      .moveTo(left, ny)
      .lineTo(left + width, ny)
      .stroke();

  doc.fillColor(GREY);
  line(
    doc,
    `${t.number} · version ${t.version} · printed ${t.printedAt} by ${t.printedBy} · ${t.stationUrl}`,
    left,
    bottom - 10,
    width,
    'Helvetica',
    8,
  );
  doc.fillColor('black');
}

function drawStage(doc: PDFKit.PDFDocument, stage: TravellerStage, x: number, y: number, width: number): void {
  doc.lineWidth(1).strokeColor('black').rect(x, y, 11, 11).stroke();
  if (stage.mark === 'done') {
    doc
      .moveTo(x + 2, y + 6)
      .lineTo(x + 4.5, y + 9)
      .lineTo(x + 9.5, y + 2)
      .lineWidth(1.5)
      .stroke();
  }
  const font = stage.mark === 'current' ? 'Helvetica-Bold' : 'Helvetica';
  line(doc, stage.mark === 'current' ? `${stage.label}  (now)` : stage.label, x + 18, y, width * 0.45, font, 11);
  doc.fillColor(GREY);
  line(doc, `owner: ${stage.ownerRole}`, x + 18 + width * 0.45, y + 1, width * 0.25, 'Helvetica', 10);
  line(doc, 'initials ______   date ________', x + width * 0.71, y + 1, width * 0.29, 'Helvetica', 10);
  doc.fillColor('black');
}
