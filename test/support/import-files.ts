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
