// What a scan gives: the order number from a Code 128 barcode, or the station address from a traveller's QR code.

/**
 * The order number in a scanned text: a station address (`.../station/ORD-1042`, from the QR code) gives the number
 * in it; anything else is taken as the number itself (a handheld scanner types the barcode). Null for nothing usable.
 */
export function orderNumberIn(scanned: string): string | null {
  const text = scanned.trim();
  if (!text) return null;
  const station = /\/station\/([^/?#\s]+)/.exec(text);
  if (station) {
    try {
      return decodeURIComponent(station[1]!);
    } catch {
      return null;
    }
  }
  return /^[\w.-]{1,100}$/.test(text) ? text : null;
}
