// README's route table names every part of the API the OpenAPI document describes, and nothing it does not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, json, startHarness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** `/orders/{id}/hold` → `orders`: the first segment after /api/v1. */
const prefix = (path: string) => path.replace(/^\/api\/v1/, '').split('/')[1]!;

/** Rows of README's "resource | routes" table: the first segment of every path written in backticks. */
function readmePrefixes(): Map<string, string> {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  const table = readme.split('| resource | routes |')[1]!.split(/\n\n/)[0]!;
  const named = new Map<string, string>();
  for (const row of table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))) {
    const resource = row.split('|')[1]!.trim();
    for (const code of row.matchAll(/`([^`]*)`/g))
      for (const path of code[1]!.matchAll(/(?:^|[\s(])\/([a-z][\w.-]*)/g)) named.set(path[1]!, resource);
  }
  return named;
}

it('README route table names every path prefix of the OpenAPI document, and only those', async () => {
  const doc = json<{ paths: Record<string, unknown> }>(await h.as(null).get('/openapi.json'));
  const documented = new Set(Object.keys(doc.paths).map(prefix));
  const named = readmePrefixes();
  expect([...documented].filter((p) => !named.has(p))).toEqual([]);
  // The operations row lists the routes at the root, outside /api/v1 and its document.
  const extra = [...named].filter(([p, resource]) => resource !== 'operations' && !documented.has(p));
  expect(extra).toEqual([]);
});
