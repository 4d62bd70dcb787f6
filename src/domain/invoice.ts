// What an order is invoiced for: its money fields, each a price per unit (key starting `unit_`) or an amount as it stands.
import type { FieldValues } from './fields.ts';
import { formatMinor, type Minor, sumMinor, timesQuantity, toMinor } from './money.ts';
import type { OrderItem } from './order.ts';
import type { FieldDef, WorkflowDefinition } from './workflow.ts';

export interface InvoiceLine {
  field: string;
  label: string;
  /** The field's value as entered. */
  value: string;
  /** The quantity a unit price is multiplied by; null for an amount taken as it is. */
  quantity: number | null;
  amount: string;
}

export interface InvoiceAmount {
  lines: InvoiceLine[];
  /** The lines added up; null when the order has no money field filled in. */
  total: string | null;
  totalMinor: Minor;
}

/** The invoice stage of a workflow and every stage after it: an order there has shipped. None without an invoice stage. */
export function invoiceStages(wf: WorkflowDefinition): string[] {
  const at = wf.stages.findIndex((s) => s.invoiceTrigger);
  return at < 0 ? [] : wf.stages.slice(at).map((s) => s.key);
}

/** A unit price is a money field whose key starts with `unit_` (unit_price, unit_cost). */
export function isUnitPrice(field: FieldDef): boolean {
  return field.type === 'money' && field.key.startsWith('unit_');
}

/**
 * The order's quantity for unit prices: its `quantity` number field when set, else the sum of its
 * items' quantities.
 */
export function orderQuantity(fields: FieldValues, items: OrderItem[]): number {
  const q = fields.quantity;
  if (typeof q === 'number' && Number.isFinite(q)) return q;
  return items.reduce((a, i) => a + i.quantity, 0);
}

/**
 * The order's invoice amount from the money fields it may show (`visible`: the reader's own view
 * of the fields). A unit price counts times the order's quantity; any other money field as it is.
 * @example unit_price "18.50" and quantity 40 → total "740.00"
 */
export function invoiceAmount(wf: WorkflowDefinition, visible: FieldValues, items: OrderItem[]): InvoiceAmount {
  const lines: InvoiceLine[] = [];
  const amounts: Minor[] = [];
  const quantity = orderQuantity(visible, items);
  for (const f of wf.fields) {
    if (f.type !== 'money') continue;
    const raw = visible[f.key];
    if (typeof raw !== 'string') continue;
    const minor = toMinor(raw);
    if (minor === null) continue;
    const unit = isUnitPrice(f);
    const amount = unit ? timesQuantity(minor, quantity) : minor;
    amounts.push(amount);
    lines.push({ field: f.key, label: f.label, value: raw, quantity: unit ? quantity : null, amount: formatMinor(amount) });
  }
  const totalMinor = sumMinor(amounts);
  return { lines, total: lines.length ? formatMinor(totalMinor) : null, totalMinor };
}
