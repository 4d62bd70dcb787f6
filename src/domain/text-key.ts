// Text as searches and filters compare it: the same key on every database, computed here rather than by SQL's lower().
//
// SQLite's lower() changes ASCII letters only and PostgreSQL's follows the server's locale, so a comparison in SQL
// gave different answers on the two ("Ölmühle" matched on one and not the other). Keys are computed in JavaScript
// on both sides instead, and the SQL compares them as plain text.

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * A case-folded key: Unicode compatibility-normalised (NFKC: a decomposed "é" and a composed one, a ligature
 * and its letters, full-width and ASCII are the same), lower-cased, and folded where lower case alone keeps two
 * spellings of one word apart: ß and ss, final ς and σ, İ lower-cased to i with a dot above and i. Accents stay:
 * "Köln" and "Koln" are different names. Dotless ı stays ı (Turkish I/ı is a matter of language, not case).
 */
export function foldCase(text: string): string {
  // Printable ASCII, most names: NFKC and the special folds change nothing there (reports fold every visit's name).
  if (PRINTABLE_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ς/g, 'σ')
    .replace(/i\u0307/g, 'i')
    .normalize('NFC');
}

/** Separates an order's fields in its search key: nobody types it, so a search never matches across two fields. */
export const SEARCH_FIELD_SEPARATOR = '\u001f';

/** The key an order is found by in a search: its number, title, customer name and e-mail, folded. */
export function orderSearchKey(o: { number: string; title: string; customer: { name: string; email: string | null } }): string {
  return [o.number, o.title, o.customer.name, o.customer.email ?? ''].map(foldCase).join(SEARCH_FIELD_SEPARATOR);
}
