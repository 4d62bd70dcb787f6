// Reading the import fixtures, and the stage timelines a test works out from a file itself to compare with what Floorboard recorded.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export const FIXTURES = new URL('../fixtures/import/', import.meta.url);
export const TRELLO = new URL('../../../shared/fixtures/trello/', import.meta.url);

export function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

export function trelloFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, TRELLO), 'utf8'));
}

/** The rows of a comma-separated fixture as objects keyed by header. */
export function csvRecords(text: string): Array<Record<string, string>> {
  return parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Array<Record<string, string>>;
}

/** "2026-10-01 09:15" in UTC as the ISO instant Floorboard returns. */
export function utc(value: string): string {
  return new Date(`${value.replace(' ', 'T')}${value.length <= 10 ? 'T00:00' : ''}Z`).toISOString();
}

/** An API answer read loosely: the import tests look into nested JSON whose schema the OpenAPI tests check. */
// biome-ignore lint/suspicious/noExplicitAny: the one place the import tests name an unchecked shape
export type Loose = any;

/** A Trello board export, as far as the import tests read it. */
export interface TrelloBoard {
  lists: Array<{ id: string; name: string }>;
  cards: Array<{ id: string; name: string; idList: string; closed: boolean; due: string | null; dateLastActivity?: string }>;
  actions: Array<{ type: string; date: string; data: Loose; memberCreator?: { fullName?: string } }>;
}

const ENTERING = ['createCard', 'copyCard', 'moveCardToBoard', 'convertToCardFromCheckItem', 'emailCard'];

/** When Trello made a card: the first four bytes of its id are seconds since 1970. */
const idTime = (id: string) =>
  /^[0-9a-f]{24}$/.test(id) ? new Date(Number.parseInt(id.slice(0, 8), 16) * 1000).toISOString() : null;

/** A card's lists and the dates it entered each, read from the file: where it was made, then every list move. */
export function trelloListMoves(board: TrelloBoard, cardId: string): Array<{ list: string; at: string }> {
  const actions = board.actions.filter((a) => a.data?.card?.id === cardId);
  const made = actions.filter((a) => ENTERING.includes(a.type)).sort((a, b) => a.date.localeCompare(b.date))[0];
  const moves = actions.filter((a) => a.type === 'updateCard' && a.data.listAfter).sort((a, b) => a.date.localeCompare(b.date));
  const card = board.cards.find((c) => c.id === cardId)!;
  const start = made
    ? { list: made.data.list.id, at: new Date(made.date).toISOString() }
    : { list: moves[0]?.data.listBefore.id ?? card.idList, at: idTime(cardId) ?? new Date(card.dateLastActivity!).toISOString() };
  return [start, ...moves.map((m) => ({ list: m.data.listAfter.id, at: new Date(m.date).toISOString() }))];
}
