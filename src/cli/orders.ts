// `floorboard order ...` and `floorboard board`: the order engine from the command line.
import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { SYSTEM_ACTOR } from '../app/context.ts';
import type { NewOrder } from '../app/create-order.ts';
import type { OrderView } from '../app/order-view.ts';
import type { OrderQuery } from '../app/read-orders.ts';
import { FLAGS, ORDER_STATES } from '../domain/order.ts';
import { actingUser, print, withApp } from './app.ts';

// The use cases load when a command runs, not when the command line is parsed.
const readOrders = () => import('../app/read-orders.ts');

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new InvalidArgumentError('must be a whole number from 1 to 500');
  return n;
}

function oneOf<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${values.join(', ')}`);
    return value as T;
  };
}

/** `key=value` pairs for fields: numbers and true/false become such; `key=` clears the field. */
function fieldValue(pair: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const at = pair.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('write fields as key=value');
  const key = pair.slice(0, at);
  const raw = pair.slice(at + 1);
  let value: unknown = raw;
  if (raw === '') value = null;
  else if (raw === 'true' || raw === 'false') value = raw === 'true';
  else if (/^-?\d+(\.\d+)?$/.test(raw) && !/^0\d/.test(raw)) value = Number(raw);
  return { ...previous, [key]: value };
}

function orderRows(orders: OrderView[]): string[][] {
  return [
    ['NUMBER', 'STAGE', 'STATE', 'DUE', 'PRIORITY', 'FLAGS', 'TITLE'],
    ...orders.map((o) => [
      o.number,
      o.stage,
      o.state,
      o.dueDate ?? '-',
      o.priority,
      o.flags.join(',') || '-',
      `${o.title} (${o.customer.name})`,
    ]),
  ];
}

function orderDetail(o: OrderView): string[][] {
  return [
    ['number', o.number],
    ['title', o.title],
    ['customer', [o.customer.name, o.customer.email].filter(Boolean).join(' <') + (o.customer.email ? '>' : '')],
    ['state', o.state + (o.holdReason ? ` (${o.holdReason})` : '')],
    ['stage', `${o.stageLabel} since ${o.stageEnteredAt}`],
    ['next action', o.nextAction ? `${o.nextAction} (${o.ownerRole})` : '-'],
    ['due', o.dueDate ?? '-'],
    ['priority', o.priority],
    ['flags', o.flags.join(', ') || '-'],
    ['version', String(o.version)],
    ...Object.entries(o.fields).map(([k, v]) => [`field ${k}`, String(v)]),
    ['tracking', o.trackingUrl],
  ];
}

export function registerOrderCommands(program: Command): void {
  const order = program
    .command('order')
    .description('Find, read, create, edit, move, hold, resume, cancel and comment on orders');
  const asOption = ['--as <email>', 'the user the change is made as (their role decides what is allowed)'] as const;

  order
    .command('list')
    .description('Orders, newest first')
    .option('--workflow <key>')
    .option('--stage <key>')
    .option('--state <state>', ORDER_STATES.join(' | '), oneOf(ORDER_STATES))
    .option('--flag <flag>', FLAGS.join(' | '), oneOf(FLAGS))
    .option('--q <text>', 'number, title, customer name or e-mail contains')
    .option('--mine <email>', "orders whose current stage this user's role owns")
    .option('--limit <n>', 'at most this many', positive, 50)
    .option('--json', 'print JSON')
    .action(async (opts: Omit<OrderQuery, 'owner' | 'limit'> & { mine?: string; limit: number; json?: boolean }) => {
      const { findOrders } = await readOrders();
      const page = await withApp(async (app) => {
        const actor = opts.mine ? await actingUser(app, opts.mine) : SYSTEM_ACTOR;
        const { mine: _m, json: _j, ...query } = opts;
        return findOrders(app, actor, { ...query, owner: opts.mine ? 'me' : undefined });
      });
      print(page.items, opts, () => orderRows(page.items));
    });

  order
    .command('show <order>')
    .description('One order by number or id')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const { getOrder } = await readOrders();
      const o = await withApp((app) => getOrder(app, SYSTEM_ACTOR, ref));
      print(o, opts, () => orderDetail(o));
    });

  order
    .command('history <order>')
    .description("An order's events, oldest first")
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const { orderHistory } = await readOrders();
      const page = await withApp((app) => orderHistory(app, SYSTEM_ACTOR, ref, { limit: 500 }));
      print(page.items, opts, () => [
        ['SEQ', 'AT', 'TYPE', 'BY', 'DATA'],
        ...page.items.map((e) => [String(e.seq), e.at, e.type, e.actor.name, JSON.stringify(e.data)]),
      ]);
    });

  order
    .command('create')
    .description('Create an order from a JSON file (the body of POST /api/v1/orders)')
    .requiredOption('--file <path>', 'JSON file, or - for standard input')
    .requiredOption(...asOption)
    .option('--json', 'print JSON')
    .action(async (opts: { file: string; as: string; json?: boolean }) => {
      const input = JSON.parse(readFileSync(opts.file === '-' ? 0 : opts.file, 'utf8')) as NewOrder;
      const { createOrder } = await import('../app/create-order.ts');
      const o = await withApp(async (app) => createOrder(app, await actingUser(app, opts.as), input));
      print(o, opts, () => orderDetail(o));
    });

  order
    .command('edit <order>')
    .description('Edit details: --title, --due, --priority, --field key=value (repeatable; key= clears)')
    .requiredOption(...asOption)
    .option('--title <title>')
    .option('--due <date>', 'YYYY-MM-DD, or "none"')
    .option('--priority <priority>', 'low | normal | high | rush', oneOf(['low', 'normal', 'high', 'rush'] as const))
    .option('--field <key=value>', 'a field value', fieldValue)
    .option('--json', 'print JSON')
    .action(
      async (
        ref: string,
        opts: {
          as: string;
          title?: string;
          due?: string;
          priority?: 'low' | 'normal' | 'high' | 'rush';
          field?: Record<string, unknown>;
          json?: boolean;
        },
      ) => {
        const { editOrder } = await import('../app/edit-order.ts');
        const o = await withApp(async (app) =>
          editOrder(app, await actingUser(app, opts.as), ref, {
            title: opts.title,
            dueDate: opts.due === undefined ? undefined : opts.due === 'none' ? null : opts.due,
            priority: opts.priority,
            fields: opts.field,
          }),
        );
        print(o, opts, () => orderDetail(o));
      },
    );

  order
    .command('move <order> <stage>')
    .description('Move an order to a stage (a reason is needed to go back, or for a manager to skip)')
    .requiredOption(...asOption)
    .option('--reason <text>')
    .option('--json', 'print JSON')
    .action(async (ref: string, stage: string, opts: { as: string; reason?: string; json?: boolean }) => {
      const { moveOrder } = await import('../app/move-order.ts');
      const o = await withApp(async (app) =>
        moveOrder(app, await actingUser(app, opts.as), ref, { to: stage, reason: opts.reason }),
      );
      print(o, opts, () => orderDetail(o));
    });

  for (const [name, useCase, what] of [
    ['hold', 'holdOrder', 'Put an order on hold'],
    ['resume', 'resumeOrder', 'Resume an order that is on hold'],
    ['cancel', 'cancelOrder', 'Cancel an order'],
  ] as const) {
    order
      .command(`${name} <order>`)
      .description(what)
      .requiredOption(...asOption)
      .option('--reason <text>')
      .option('--json', 'print JSON')
      .action(async (ref: string, opts: { as: string; reason?: string; json?: boolean }) => {
        const change = (await import('../app/hold-order.ts'))[useCase];
        const o = await withApp(async (app) => change(app, await actingUser(app, opts.as), ref, { reason: opts.reason }));
        print(o, opts, () => orderDetail(o));
      });
  }

  order
    .command('comment <order> <text>')
    .description('Comment on an order')
    .requiredOption(...asOption)
    .action(async (ref: string, text: string, opts: { as: string }) => {
      const { commentOnOrder } = await import('../app/comment-order.ts');
      const e = await withApp(async (app) => commentOnOrder(app, await actingUser(app, opts.as), ref, text));
      console.log(`Comment #${e.seq} added to ${ref}`);
    });

  program
    .command('board <workflow>')
    .description('The board of a workflow: each stage with its open orders')
    .option('--json', 'print JSON')
    .action(async (workflow: string, opts: { json?: boolean }) => {
      const { readBoard } = await import('../app/board.ts');
      const board = await withApp((app) => readBoard(app, SYSTEM_ACTOR, workflow));
      if (opts.json) return print(board, opts);
      for (const column of board.columns) {
        const wip = column.wipLimit ? ` / WIP ${column.wipLimit}${column.overWipLimit ? ' OVER' : ''}` : '';
        console.log(`\n${column.stage.label} (${column.stage.ownerRole}) ${column.count}${wip}`);
        for (const c of column.cards) {
          const flags = c.flags.length ? `  [${c.flags.join(', ')}]` : '';
          console.log(
            `  ${c.number.padEnd(10)} ${c.priority.padEnd(6)} due ${c.dueDate ?? '-'}  ${c.title} (${c.customerName})${flags}`,
          );
        }
      }
    });
}
