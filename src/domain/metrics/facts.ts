// The history as facts reports read fast: one row per stage visit, one per order, counts and durations per stage and day.
// Built from the event log alone, oldest first; the calendar (working time, local dates) is the only setting it depends on.

import type { DetailChange, RecordedEvent, StageChangedData } from '../events.ts';
import type { MoveKind } from '../moves.ts';
import type { Priority } from '../order.ts';
import { foldCase } from '../text-key.ts';
import type { WorkingTime } from './working-time.ts';

export type VisitEntry = 'created' | MoveKind;

/** One stay of an order in one stage. `seq` is the event that brought the order in. */
export interface VisitFact {
  seq: number;
  orderId: string;
  workflow: string;
  stage: string;
  /** The order's priority and customer now (filters go by them). */
  priority: Priority;
  customerKey: string;
  via: VisitEntry;
  fromStage: string | null;
  enteredMs: number;
  enteredDate: string;
  exitedMs: number | null;
  exitedDate: string | null;
  /** How the visit ended: moved on (or back), or the order was cancelled; null while it lasts. */
  ended: 'moved' | 'cancelled' | null;
  exitKind: MoveKind | null;
  nextStage: string | null;
  calendarMs: number | null;
  workingMs: number | null;
}

export interface OrderFact {
  orderId: string;
  number: string;
  workflow: string;
  priority: Priority;
  customer: string;
  /** The stage the order is in now. */
  stage: string;
  createdMs: number;
  createdDate: string;
  dueDate: string | null;
  /** When the order first entered each stage (epoch ms): cycle time starts at a stage a workflow names. */
  firstEntries: Record<string, number>;
  completedMs: number | null;
  completedDate: string | null;
  cancelledMs: number | null;
  invoicedMs: number | null;
  /** Calendar days from the due date to the completion date: 0 or less is on time. */
  daysLate: number | null;
  reworks: number;
}

export interface StageDayKey {
  workflow: string;
  stage: string;
  priority: Priority;
  day: string;
}

/** What a batch of events adds to (or, on a priority change, takes from) one stage-day. */
export interface StageDayDelta extends StageDayKey {
  entered: number;
  exited: number;
  cancelled: number;
  reworked: number;
  addWorking: number[];
  addCalendar: number[];
  removeWorking: number[];
  removeCalendar: number[];
}

/** What one stage did on one day: the unit the flow, stage-time and rework reports add up. */
export interface StageDay {
  stage: string;
  priority: Priority;
  day: string;
  entered: number;
  /** Left by a move (forward, skip or back). */
  exited: number;
  cancelled: number;
  /** Left by a move back to an earlier stage. */
  reworked: number;
  /** Working and calendar ms of each visit that left by a move this day (empty when not asked for). */
  working: ArrayLike<number>;
  calendar: ArrayLike<number>;
}

/** Stage-days made from single visits: what the stored aggregate holds, for a subset of orders (one customer). */
export function stageDaysFromVisits(visits: Iterable<VisitFact>): StageDay[] {
  const days = new Map<string, StageDay>();
  const at = (v: VisitFact, day: string): StageDay => {
    const id = stageDayId({ workflow: v.workflow, stage: v.stage, priority: v.priority, day });
    let d = days.get(id);
    if (!d) {
      d = {
        stage: v.stage,
        priority: v.priority,
        day,
        entered: 0,
        exited: 0,
        cancelled: 0,
        reworked: 0,
        working: [] as number[],
        calendar: [] as number[],
      };
      days.set(id, d);
    }
    return d;
  };
  for (const v of visits) {
    at(v, v.enteredDate).entered += 1;
    if (v.ended === null || v.exitedDate === null) continue;
    const d = at(v, v.exitedDate);
    if (v.ended === 'cancelled') {
      d.cancelled += 1;
      continue;
    }
    d.exited += 1;
    if (v.exitKind === 'rework') d.reworked += 1;
    (d.working as number[]).push(v.workingMs ?? 0);
    (d.calendar as number[]).push(v.calendarMs ?? 0);
  }
  return [...days.values()];
}

/** Lead and cycle times of the orders of one workflow and priority completed on one day (ms; cycle NaN when unknown). */
export interface CompletionDay {
  workflow: string;
  priority: Priority;
  day: string;
  lead: ArrayLike<number>;
  leadWorking: ArrayLike<number>;
  cycle: ArrayLike<number>;
  cycleWorking: ArrayLike<number>;
}

/** When cycle time began for an order: its first entry into any of `stages` (the cycle-start stage and later ones). */
export function cycleStartAmong(firstEntries: Record<string, number>, stages: ReadonlySet<string>): number | null {
  let first: number | null = null;
  for (const [stage, at] of Object.entries(firstEntries)) if (stages.has(stage) && (first === null || at < first)) first = at;
  return first;
}

/** An order's lead and cycle time once it is complete. */
export function completionOf(order: OrderFact, cycleStages: ReadonlySet<string> | undefined, time: WorkingTime) {
  const completed = order.completedMs!;
  const start = cycleStages ? cycleStartAmong(order.firstEntries, cycleStages) : null;
  return {
    lead: completed - order.createdMs,
    leadWorking: time.msBetween(order.createdMs, completed),
    cycle: start === null ? Number.NaN : completed - start,
    cycleWorking: start === null ? Number.NaN : time.msBetween(start, completed),
  };
}

/** The events the facts are made of; others (comments, flags, holds) do not change them. */
export const FACT_EVENT_TYPES = [
  'order.created',
  'order.stage_changed',
  'order.completed',
  'order.cancelled',
  'order.updated',
  'order.invoiced',
] as const;

/** A customer's name as reports group and filter by it: trimmed and case-folded. */
export function customerKey(name: string): string {
  return foldCase(name.trim());
}

export function stageDayId(k: StageDayKey): string {
  return `${k.workflow}\u0000${k.stage}\u0000${k.priority}\u0000${k.day}`;
}

/**
 * Applies events to facts held in memory. Load the facts the events touch first (`load`), then
 * `apply` events oldest first, then write `changes()`. An order whose priority changes needs all
 * of its visits loaded: their per-day counts move to the new priority.
 */
export class FactProjector {
  readonly orders = new Map<string, OrderFact>();
  readonly visits = new Map<number, VisitFact>();
  readonly #openVisit = new Map<string, number>();
  readonly #visitsOf = new Map<string, number[]>();
  readonly #dirtyOrders = new Set<string>();
  readonly #dirtyVisits = new Set<number>();
  readonly #days = new Map<string, StageDayDelta>();
  readonly #completions = new Map<
    string,
    CompletionDay & { lead: number[]; leadWorking: number[]; cycle: number[]; cycleWorking: number[] }
  >();

  /** `cycleStages`: per workflow, the stages its cycle time starts at. */
  constructor(
    private readonly time: WorkingTime,
    private readonly cycleStages: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
  ) {}

  load(orders: OrderFact[], visits: VisitFact[]): void {
    for (const o of orders) this.orders.set(o.orderId, o);
    for (const v of visits) this.#remember(v);
  }

  #remember(v: VisitFact): void {
    if (this.visits.has(v.seq)) return;
    this.visits.set(v.seq, v);
    const list = this.#visitsOf.get(v.orderId) ?? [];
    list.push(v.seq);
    this.#visitsOf.set(v.orderId, list);
    if (v.ended === null) this.#openVisit.set(v.orderId, v.seq);
  }

  #day(workflow: string, stage: string, priority: Priority, day: string): StageDayDelta {
    const id = `${workflow}\u0000${stage}\u0000${priority}\u0000${day}`;
    let d = this.#days.get(id);
    if (!d) {
      d = {
        workflow,
        stage,
        priority,
        day,
        entered: 0,
        exited: 0,
        cancelled: 0,
        reworked: 0,
        addWorking: [],
        addCalendar: [],
        removeWorking: [],
        removeCalendar: [],
      };
      this.#days.set(id, d);
    }
    return d;
  }

  /** Adds (sign 1) or takes away (sign -1) what a visit counts for, under its priority. */
  #count(v: VisitFact, sign: 1 | -1, what: 'entry' | 'exit' | 'both'): void {
    if (what !== 'exit') this.#day(v.workflow, v.stage, v.priority, v.enteredDate).entered += sign;
    if (what === 'entry' || v.ended === null || v.exitedDate === null) return;
    const d = this.#day(v.workflow, v.stage, v.priority, v.exitedDate);
    if (v.ended === 'cancelled') {
      d.cancelled += sign;
      return;
    }
    d.exited += sign;
    if (v.exitKind === 'rework') d.reworked += sign;
    if (sign > 0) {
      d.addWorking.push(v.workingMs ?? 0);
      d.addCalendar.push(v.calendarMs ?? 0);
    } else {
      d.removeWorking.push(v.workingMs ?? 0);
      d.removeCalendar.push(v.calendarMs ?? 0);
    }
  }

  #enter(order: OrderFact, seq: number, stage: string, ms: number, via: VisitEntry, from: string | null): void {
    const v: VisitFact = {
      seq,
      orderId: order.orderId,
      workflow: order.workflow,
      stage,
      priority: order.priority,
      customerKey: customerKey(order.customer),
      via,
      fromStage: from,
      enteredMs: ms,
      enteredDate: this.time.localDate(ms),
      exitedMs: null,
      exitedDate: null,
      ended: null,
      exitKind: null,
      nextStage: null,
      calendarMs: null,
      workingMs: null,
    };
    this.#remember(v);
    this.#dirtyVisits.add(seq);
    this.#count(v, 1, 'entry');
    order.stage = stage;
    this.#dirtyOrders.add(order.orderId);
    if (order.firstEntries[stage] === undefined) {
      order.firstEntries = { ...order.firstEntries, [stage]: ms };
      this.#dirtyOrders.add(order.orderId);
    }
  }

  #leave(orderId: string, ms: number, ended: 'moved' | 'cancelled', kind: MoveKind | null, next: string | null): void {
    const seq = this.#openVisit.get(orderId);
    const v = seq === undefined ? undefined : this.visits.get(seq);
    if (!v) return;
    this.#openVisit.delete(orderId);
    v.exitedMs = ms;
    v.exitedDate = this.time.localDate(ms);
    v.ended = ended;
    v.exitKind = kind;
    v.nextStage = next;
    v.calendarMs = Math.max(0, ms - v.enteredMs);
    v.workingMs = this.time.msBetween(v.enteredMs, ms);
    this.#dirtyVisits.add(v.seq);
    this.#count(v, 1, 'exit');
  }

  apply(e: Pick<RecordedEvent, 'seq' | 'type' | 'at' | 'orderId' | 'data'>): void {
    const orderId = e.orderId;
    if (!orderId) return;
    const ms = Date.parse(e.at);
    if (e.type === 'order.created') {
      if (this.orders.has(orderId)) return;
      const d = e.data as {
        number: string;
        workflow: string;
        stage: string;
        priority: Priority;
        customer: { name: string };
        dueDate: string | null;
      };
      const order: OrderFact = {
        orderId,
        number: d.number,
        workflow: d.workflow,
        priority: d.priority,
        customer: d.customer.name,
        stage: d.stage,
        createdMs: ms,
        createdDate: this.time.localDate(ms),
        dueDate: d.dueDate ?? null,
        firstEntries: {},
        completedMs: null,
        completedDate: null,
        cancelledMs: null,
        invoicedMs: null,
        daysLate: null,
        reworks: 0,
      };
      this.orders.set(orderId, order);
      this.#dirtyOrders.add(orderId);
      this.#enter(order, e.seq, d.stage, ms, 'created', null);
      return;
    }
    const order = this.orders.get(orderId);
    if (!order) return;
    switch (e.type) {
      case 'order.stage_changed': {
        const d = e.data as unknown as StageChangedData;
        this.#leave(orderId, ms, 'moved', d.kind, d.to);
        if (d.kind === 'rework') {
          order.reworks += 1;
          this.#dirtyOrders.add(orderId);
        }
        this.#enter(order, e.seq, d.to, ms, d.kind, d.from);
        return;
      }
      case 'order.completed': {
        order.completedMs = ms;
        order.completedDate = this.time.localDate(ms);
        order.daysLate = lateness(order.dueDate, order.completedDate);
        this.#dirtyOrders.add(orderId);
        const id = `${order.workflow}\u0000${order.priority}\u0000${order.completedDate}`;
        let day = this.#completions.get(id);
        if (!day) {
          day = {
            workflow: order.workflow,
            priority: order.priority,
            day: order.completedDate,
            lead: [],
            leadWorking: [],
            cycle: [],
            cycleWorking: [],
          };
          this.#completions.set(id, day);
        }
        const c = completionOf(order, this.cycleStages.get(order.workflow), this.time);
        day.lead.push(c.lead);
        day.leadWorking.push(c.leadWorking);
        day.cycle.push(c.cycle);
        day.cycleWorking.push(c.cycleWorking);
        return;
      }
      case 'order.cancelled':
        order.cancelledMs = ms;
        this.#dirtyOrders.add(orderId);
        this.#leave(orderId, ms, 'cancelled', null, null);
        return;
      case 'order.updated':
        for (const change of (e.data.changes ?? []) as DetailChange[]) this.#update(order, change);
        return;
      case 'order.invoiced':
        order.invoicedMs = ms;
        this.#dirtyOrders.add(orderId);
        return;
      default:
        return;
    }
  }

  #update(order: OrderFact, change: DetailChange): void {
    if (change.field === 'customer') {
      order.customer = (change.after as { name: string }).name;
      for (const seq of this.#visitsOf.get(order.orderId) ?? []) {
        this.visits.get(seq)!.customerKey = customerKey(order.customer);
        this.#dirtyVisits.add(seq);
      }
    } else if (change.field === 'dueDate') {
      order.dueDate = (change.after as string | null) ?? null;
      order.daysLate = lateness(order.dueDate, order.completedDate);
    } else if (change.field === 'priority') {
      const priority = change.after as Priority;
      if (priority === order.priority) return;
      order.priority = priority;
      // Every visit of the order now counts under the new priority.
      for (const seq of this.#visitsOf.get(order.orderId) ?? []) {
        const v = this.visits.get(seq)!;
        this.#count(v, -1, 'both');
        v.priority = priority;
        this.#count(v, 1, 'both');
        this.#dirtyVisits.add(seq);
      }
    } else {
      return;
    }
    this.#dirtyOrders.add(order.orderId);
  }

  changes(): { orders: OrderFact[]; visits: VisitFact[]; days: StageDayDelta[]; completions: CompletionDay[] } {
    return {
      completions: [...this.#completions.values()],
      orders: [...this.#dirtyOrders].map((id) => this.orders.get(id)!),
      visits: [...this.#dirtyVisits].map((seq) => this.visits.get(seq)!),
      days: [...this.#days.values()].filter(
        (d) =>
          d.entered ||
          d.exited ||
          d.cancelled ||
          d.reworked ||
          d.addWorking.length ||
          d.removeWorking.length ||
          d.addCalendar.length,
      ),
    };
  }
}

/** Days late (negative: early) of an order completed on `completed` against its due date. */
export function lateness(due: string | null, completed: string | null): number | null {
  if (!due || !completed) return null;
  return Math.round((Date.parse(`${completed}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / 86_400_000);
}

/** When an order became ready to invoice (first entry into one of `stages`), or null while it is not ready now. */
export function readySince(order: OrderFact, stages: ReadonlySet<string>): number | null {
  if (order.cancelledMs !== null || order.invoicedMs !== null || !stages.has(order.stage)) return null;
  return cycleStartAmong(order.firstEntries, stages);
}

/** Which orders a batch of events needs loaded, and which of them need every visit (a priority change). */
export function factsNeeded(events: Array<Pick<RecordedEvent, 'type' | 'orderId' | 'data'>>): {
  orders: string[];
  allVisits: string[];
} {
  const created = new Set<string>();
  const touched = new Set<string>();
  const allVisits = new Set<string>();
  for (const e of events) {
    if (!e.orderId) continue;
    if (e.type === 'order.created') created.add(e.orderId);
    else if (!created.has(e.orderId)) {
      touched.add(e.orderId);
      // Its visits carry the order's priority and customer: a change to either touches every one of them.
      const changes = e.type === 'order.updated' ? ((e.data.changes ?? []) as DetailChange[]) : [];
      if (changes.some((c) => c.field === 'priority' || c.field === 'customer')) {
        allVisits.add(e.orderId);
      }
    }
  }
  return { orders: [...touched], allVisits: [...allVisits] };
}
