// `floorboard export orders|events`: the exports of the API, to a file or stdout, as everything or as one user sees it.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { type Command, InvalidArgumentError } from 'commander';
import { SYSTEM_ACTOR } from '../app/context.ts';
import type { ExportFormat } from '../app/exports.ts';
import { isCalendarDate } from '../domain/fields.ts';
import { ORDER_STATES, type OrderState } from '../domain/order.ts';
import { actingUser, withApp } from './app.ts';

function oneOf<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${values.join(', ')}`);
    return value as T;
  };
}

function date(value: string): string {
  if (!isCalendarDate(value)) throw new InvalidArgumentError('must be a date written YYYY-MM-DD');
  return value;
}

async function writeAll(out: Writable, chunks: AsyncGenerator<string>): Promise<void> {
  for await (const chunk of chunks) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
}

interface ExportOptions {
  format: ExportFormat;
  workflow?: string;
  state?: OrderState;
  from?: string;
  to?: string;
  out?: string;
  as?: string;
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('Export orders or events as CSV or JSON (everything by default; with --as, what that user may see)')
    .argument('<what>', 'orders or events', oneOf(['orders', 'events'] as const))
    .option('--format <format>', 'csv or json', oneOf(['csv', 'json'] as const), 'csv')
    .option('--workflow <key>', 'only this workflow')
    .option('--state <state>', `orders only: ${ORDER_STATES.join(', ')}`, oneOf(ORDER_STATES))
    .option('--from <date>', 'orders created / events on or after this day (UTC)', date)
    .option('--to <date>', 'on or before this day (UTC)', date)
    .option('--out <file>', 'write here instead of to stdout')
    .option('--as <email>', "only what this user's role may see")
    .action(async (what: 'orders' | 'events', opts: ExportOptions) => {
      const { exportEvents, exportOrders } = await import('../app/exports.ts');
      await withApp(async (app) => {
        const actor = opts.as ? await actingUser(app, opts.as) : SYSTEM_ACTOR;
        const query = { workflow: opts.workflow, state: opts.state, from: opts.from, to: opts.to };
        const chunks =
          what === 'orders' ? exportOrders(app, actor, query, opts.format) : exportEvents(app, actor, query, opts.format);
        if (!opts.out) return writeAll(process.stdout, chunks);
        const file = createWriteStream(opts.out);
        try {
          await writeAll(file, chunks);
        } finally {
          file.end();
          await once(file, 'close');
        }
        console.error(`Wrote ${what} to ${opts.out}`);
      });
    });
}
