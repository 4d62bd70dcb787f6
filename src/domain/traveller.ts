// What a printed job traveller carries: the order as the shop floor may read it, its stages as a checklist.
import { DateTime } from 'luxon';
import { hasValue, maySeeField } from './fields.ts';
import type { Order } from './order.ts';
import type { Role } from './roles.ts';
import { stageIndex, type Workflow } from './workflow.ts';

/**
 * The roles a traveller is printed for. The paper travels with the job past every bench, so a field
 * prints only when all of them may see it: whoever picks the sheet up reads nothing their role may not.
 */
export const FLOOR_ROLES: readonly Role[] = ['production', 'procurement', 'fulfillment'];

export const PAPER_SIZES = ['a4', 'letter'] as const;
export type PaperSize = (typeof PAPER_SIZES)[number];

export type StageMark = 'done' | 'current' | 'to-do';

export interface TravellerStage {
  label: string;
  ownerRole: Role;
  nextAction: string;
  mark: StageMark;
}

export interface Traveller {
  number: string;
  title: string;
  workflowName: string;
  customer: string;
  /** YYYY-MM-DD, or null when the order has no due date. */
  dueDate: string | null;
  /** The due date in words for the floor ("Fri 18 Dec 2026"). */
  dueWords: string | null;
  priority: string;
  /** "On hold: waiting for blanks", "Cancelled"... null while the order is simply active. */
  stateNote: string | null;
  /** Label and value; a field without a value prints as an empty line to write on. */
  fields: Array<{ label: string; value: string }>;
  items: Array<{ sku: string | null; description: string; quantity: number }>;
  stages: TravellerStage[];
  /** The absolute address of the order's station view: the QR code opens it. */
  stationUrl: string;
  version: number;
  /** When and by whom it was printed, in the shop's time zone ("2026-11-24 10:00"). */
  printedAt: string;
  printedBy: string;
}

/** A field's key and whether it belongs on a traveller: seen by every floor role and the printer, and never money. */
export function printsField(wf: Workflow, key: string, printer: Role): boolean {
  const def = wf.fields.find((f) => f.key === key);
  if (!def || def.type === 'money') return false;
  return maySeeField(wf, key, printer) && FLOOR_ROLES.every((role) => maySeeField(wf, key, role));
}

/** The station view's address for an order, under the server's public address. */
export function stationUrl(publicUrl: string, number: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/station/${encodeURIComponent(number)}`;
}

function fieldText(type: string, value: unknown): string {
  if (type === 'checkbox') return value === true ? 'Yes' : 'No';
  return String(value);
}

function stageMark(order: Order, index: number, current: number): StageMark {
  if (order.state === 'completed' || index < current) return 'done';
  return index === current ? 'current' : 'to-do';
}

function stateNote(order: Order): string | null {
  if (order.state === 'on_hold') return order.holdReason ? `On hold: ${order.holdReason}` : 'On hold';
  if (order.state === 'cancelled') return 'Cancelled';
  if (order.state === 'completed') return 'Completed';
  return null;
}

/**
 * The traveller of one order as `printer` prints it at `now`. Fields hidden from any floor role are left
 * out whoever prints, and so is every amount of money: a traveller is read on the floor, not at the desk.
 */
export function travellerOf(
  order: Order,
  wf: Workflow,
  opts: { publicUrl: string; now: Date; timeZone: string; printer: { role: Role; name: string } },
): Traveller {
  const current = stageIndex(wf, order.stage);
  const due = order.dueDate ? DateTime.fromISO(order.dueDate, { zone: 'utc' }) : null;
  return {
    number: order.number,
    title: order.title,
    workflowName: wf.name,
    customer: order.customer.name,
    dueDate: order.dueDate,
    dueWords: due?.isValid ? due.setLocale('en-GB').toFormat('ccc d LLL yyyy') : null,
    priority: order.priority,
    stateNote: stateNote(order),
    fields: wf.fields
      .filter((def) => printsField(wf, def.key, opts.printer.role))
      .map((def) => {
        const value = order.fields[def.key];
        return {
          label: def.label,
          value: hasValue(def, value) || def.type === 'checkbox' ? fieldText(def.type, value ?? false) : '',
        };
      }),
    items: order.items.map((i) => ({ sku: i.sku, description: i.description, quantity: i.quantity })),
    stages: wf.stages.map((s, i) => ({
      label: s.label,
      ownerRole: s.ownerRole,
      nextAction: s.nextAction,
      mark: stageMark(order, i, current),
    })),
    stationUrl: stationUrl(opts.publicUrl, order.number),
    version: order.version,
    printedAt: DateTime.fromJSDate(opts.now).setZone(opts.timeZone).toFormat('yyyy-MM-dd HH:mm'),
    printedBy: opts.printer.name,
  };
}
