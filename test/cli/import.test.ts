// `floorboard import` as an operator runs it: a summary on success, every row error listed and exit 1 on a bad file.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/floorboard.js');
const TRELLO = join(import.meta.dirname, '../../../shared/fixtures/trello/trello-notes-test-board-export.json');

let dir: string;
let env: Record<string, string>;

async function floorboard(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const WORKFLOW = {
  key: 'joinery',
  name: 'Joinery',
  orderPrefix: 'JN',
  stages: [
    { key: 'drawing', label: 'Drawing', ownerRole: 'sales', nextAction: 'Draw it' },
    { key: 'cutting', label: 'Cutting', ownerRole: 'production', nextAction: 'Cut it' },
    { key: 'delivered', label: 'Delivered', ownerRole: 'fulfillment', nextAction: 'Confirm delivery' },
  ],
  fields: [],
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'floorboard-import-'));
  env = { DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` };
  writeFileSync(join(dir, 'wf.json'), JSON.stringify(WORKFLOW));
  expect((await floorboard(['workflow', 'create', '--file', join(dir, 'wf.json')])).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('floorboard import', () => {
  it('dry-runs, imports, and prints what it did; the same file again changes nothing', async () => {
    const file = join(dir, 'orders.csv');
    writeFileSync(
      file,
      'Ref,Customer,Status,Drawing,Cutting\nA-1,Oak & Co,Cutting,2026-11-02,2026-11-05\nA-2,Birch Ltd,Drawing,2026-11-20,\n',
    );
    const dry = await floorboard(['import', 'csv', file, '--workflow', 'joinery', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('would create 2 orders');
    const real = await floorboard(['import', 'csv', file, '--workflow', 'joinery']);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/Imported orders\.csv .*created 2 orders/);
    const again = await floorboard(['import', 'csv', file, '--workflow', 'joinery', '--json']);
    expect(JSON.parse(again.stdout).orders).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect((await floorboard(['audit', 'verify'])).code).toBe(0);
  }, 120_000);

  it('takes a mapping file, and imports a Trello export', async () => {
    const map = join(dir, 'map.json');
    writeFileSync(map, JSON.stringify({ lists: { 'List A': 'drawing', 'List B': 'cutting' } }));
    const res = await floorboard(['import', 'trello', TRELLO, '--workflow', 'joinery', '--map', map]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('created 4 orders');
  }, 60_000);

  it('exits 1 listing every row error, and writes nothing', async () => {
    const count = async () => JSON.parse((await floorboard(['order', 'list', '--workflow', 'joinery', '--json'])).stdout).length;
    const before = await count();
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      'Ref,Customer,Status,Drawing,Cutting\nB-1,Oak & Co,Sanding,2026-11-02,31/02/2026\nB-2,,Drawing,2026-11-20,\n',
    );
    const res = await floorboard(['import', 'csv', file, '--workflow', 'joinery']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('nothing was imported');
    expect(res.stderr).toContain('row 2, column "Cutting"');
    expect(res.stderr).toContain('row 2, column "Status": "Sanding" matches no stage');
    expect(res.stderr).toContain(`row 3, column "Customer": The customer's name is empty`);
    expect(await count()).toBe(before);
  }, 60_000);
});
