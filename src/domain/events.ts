// The history of an order as events: their types, their data, and how state is rebuilt from them.
import type { FieldValues } from './fields.ts';
import type { MoveKind } from './moves.ts';
import type { Customer, Order, OrderItem, Priority } from './order.ts';

export const ORDER_EVENT_TYPES = [
  'order.created',
  'order.updated',
  'order.stage_changed',
  'order.held',
  'order.resumed',
  'order.cancelled',
  'order.completed',
  'comment.added',
  'order.stalled',
  'order.escalated',
  'order.at_risk',
  'order.overdue',
  'order.ready_to_invoice',
  'order.invoiced',
  'order.due_soon',
  'order.customer_updates_changed',
  'order.customer_approved',
  'order.changes_requested',
  'order.tracking_changed',
  'file.attached',
  'file.visibility_changed',
  'file.removed',
  'order.customer_merged',
] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

/**
 * Reads an order's history records without them being news: no webhook offers them, and the live feed's
 * listeners (the staff app, the tracking page) do not act on them.
 */
export const ORDER_READ_EVENT_TYPES = ['file.downloaded'] as const;
export type OrderReadEventType = (typeof ORDER_READ_EVENT_TYPES)[number];

export const SYSTEM_EVENT_TYPES = [
  'workflow.created',
  'workflow.updated',
  'user.created',
  'user.updated',
  'token.created',
  'token.revoked',
  'workspace.set_up',
  'invite.created',
  'invite.revoked',
  'import.completed',
  'import.undone',
  'settings.changed',
  'webhook.created',
  'webhook.updated',
  'webhook.removed',
  'customer.created',
  'customer.updated',
  'customer.merged',
  'station.created',
  'station.revoked',
] as const;
export type SystemEventType = (typeof SYSTEM_EVENT_TYPES)[number];
export type EventType = OrderEventType | OrderReadEventType | SystemEventType;

/** Who did it: a user, a user's API token, Floorboard itself, or the order's customer on their tracking page. */
export const ACTOR_KINDS = ['user', 'token', 'system', 'customer'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];
export interface EventActor {
  kind: ActorKind;
  id: string | null;
  name: string;
}

export interface OrderCreatedData {
  number: string;
  workflow: string;
  title: string;
  customer: Customer;
  /** The customer record the order was linked to when created (absent before records existed). */
  customerId?: string | null;
  stage: string;
  dueDate: string | null;
  priority: Priority;
  fields: FieldValues;
  items: OrderItem[];
}

export interface DetailChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface StageChangedData {
  from: string;
  to: string;
  reason: string | null;
  override: boolean;
  kind: MoveKind;
  skipped?: string[];
}

/** An event as stored: `orderVersion` is the order's version once the event applied. */
export interface RecordedEvent {
  seq: number;
  type: EventType;
  at: string;
  orderId: string | null;
  orderVersion: number | null;
  actor: EventActor;
  data: Record<string, unknown>;
}

/**
 * Rebuilds an order from its own events, oldest first. Flags are not state (they are
 * computed for a moment), and the tracking token never enters the history.
 */
export function rebuildOrder(events: readonly RecordedEvent[]): Omit<Order, 'id'> | null {
  let order: Omit<Order, 'id'> | null = null;
  for (const e of events) {
    if (e.type === 'order.created') {
      const d = e.data as unknown as OrderCreatedData;
      order = {
        number: d.number,
        workflow: d.workflow,
        title: d.title,
        customer: d.customer,
        customerId: d.customerId ?? null,
        state: 'active',
        stage: d.stage,
        stageEnteredAt: e.at,
        dueDate: d.dueDate,
        priority: d.priority,
        fields: d.fields,
        items: d.items,
        version: 1,
        createdAt: e.at,
        updatedAt: e.at,
        completedAt: null,
        holdReason: null,
      };
      continue;
    }
    if (!order) continue;
    switch (e.type) {
      case 'order.updated':
        for (const change of e.data.changes as DetailChange[]) applyDetail(order, change);
        break;
      case 'order.stage_changed': {
        const d = e.data as unknown as StageChangedData;
        order.stage = d.to;
        order.stageEnteredAt = e.at;
        break;
      }
      case 'order.customer_merged':
        // The order went to the record its customer was merged into; nothing else about it changed.
        order.customerId = String(e.data.into);
        continue;
      case 'order.completed':
        order.state = 'completed';
        order.completedAt = e.at;
        break;
      case 'order.held':
        order.state = 'on_hold';
        order.holdReason = String(e.data.reason ?? '');
        break;
      case 'order.resumed':
        order.state = 'active';
        order.holdReason = null;
        break;
      case 'order.cancelled':
        order.state = 'cancelled';
        order.holdReason = null;
        break;
      default:
        // Comments and flag events annotate the order without changing it.
        continue;
    }
    if (e.orderVersion !== null) order.version = e.orderVersion;
    order.updatedAt = e.at;
  }
  return order;
}

function applyDetail(order: Omit<Order, 'id'>, change: DetailChange): void {
  const [head, key] = change.field.split('.', 2) as [string, string | undefined];
  switch (head) {
    case 'title':
      order.title = change.after as string;
      return;
    case 'customer':
      order.customer = change.after as Customer;
      return;
    case 'dueDate':
      order.dueDate = change.after as string | null;
      return;
    case 'priority':
      order.priority = change.after as Priority;
      return;
    case 'items':
      order.items = change.after as OrderItem[];
      return;
    case 'fields':
      if (key === undefined) return;
      if (change.after === null || change.after === undefined) {
        const { [key]: _removed, ...rest } = order.fields;
        order.fields = rest;
      } else {
        order.fields = { ...order.fields, [key]: change.after as FieldValues[string] };
      }
  }
}
