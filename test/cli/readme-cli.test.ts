// README's list of commands names every command and subcommand `floorboard --help` prints, and nothing else.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { floorboard } from '../support/cli.ts';

/** The commands a `--help` lists under "Commands:", without commander's own `help`. */
async function commandsIn(args: string[]): Promise<string[]> {
  const r = await floorboard([...args, '--help'], {});
  expect(r.code, r.stderr).toBe(0);
  const section = r.stdout.split(/^Commands:$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]!).filter((name) => name !== 'help');
}

/** `npx floorboard <command> [<subcommand>]` lines of README's CLI block. */
function readmeLines(): string[][] {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  const block = readme.split('## The CLI')[1]!.split('```sh')[1]!.split('```')[0]!;
  return [...block.matchAll(/^npx floorboard (.*)$/gm)].map((m) => m[1]!.split(/\s+/));
}

it('README names every command and subcommand of the CLI, and only those', async () => {
  const lines = readmeLines();
  const top = await commandsIn([]);
  expect([...new Set(lines.map((l) => l[0]!))].sort()).toEqual([...top].sort());
  for (const command of top) {
    const subs = await commandsIn([command]);
    if (subs.length === 0) continue;
    const named = lines.filter((l) => l[0] === command).map((l) => l[1]!);
    expect([...new Set(named)].sort(), `subcommands of ${command}`).toEqual([...subs].sort());
  }
}, 120_000);
