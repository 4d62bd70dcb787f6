// The floorboard command runs compiled JavaScript, and a checkout whose sources changed (a `git pull`) never runs the old build.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '../..');
let checkout: string;

beforeAll(() => {
  // A checkout of its own, so editing its sources does not touch the one the other tests run.
  checkout = mkdtempSync(join(tmpdir(), 'floorboard-build-'));
  for (const part of ['bin', 'scripts', 'src', 'package.json'])
    cpSync(join(REPO, part), join(checkout, part), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(checkout, 'node_modules'));
});
afterAll(() => rmSync(checkout, { recursive: true, force: true }));

const help = () => run(process.execPath, [join(checkout, 'bin/floorboard.js'), '--help'], { cwd: checkout, timeout: 60_000 });

it('compiles once, runs the build after that, and compiles again when a source file changes', async () => {
  const first = await help();
  expect(first.stderr).toContain('compiling once');
  expect(first.stdout).toContain('Usage: floorboard');
  expect(readFileSync(join(checkout, 'dist/cli/build-stamp.json'), 'utf8')).toContain('sources');

  const second = await help();
  expect(second.stderr).toBe('');
  expect(second.stdout).toBe(first.stdout);

  // As a `git pull` would: the new description is what runs, after one rebuild.
  const main = join(checkout, 'src/cli/main.ts');
  writeFileSync(main, readFileSync(main, 'utf8').replace('Floorboard: production-order tracking.', 'Floorboard, pulled.'));
  const pulled = await help();
  expect(pulled.stderr).toContain('compiling once');
  expect(pulled.stdout).toContain('Floorboard, pulled.');
  expect((await help()).stderr).toBe('');
  // Two compiles and four runs: on a busy two-core machine that takes longer than the 30 s a test gets by default.
}, 240_000);
