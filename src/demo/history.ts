// A generated production history with known stage-time distributions: for the reports' tests, the forecast backtest and the bench.
// Each order is planned from arrival to completion (or cancellation); what the database holds "as of" an instant is cut from the plan.
import { randomUUID } from 'node:crypto';
import type { BusinessCalendar } from '../domain/calendar.ts';
import type { EventActor } from '../domain/events.ts';
import type { FieldValues } from '../domain/fields.ts';
import type { VisitEntry } from '../domain/metrics/facts.ts';
import { pick, type Random, seededRandom } from '../domain/metrics/random.ts';
import { WorkingTime } from '../domain/metrics/working-time.ts';
import type { OrderItem, Priority } from '../domain/order.ts';
import type { WorkflowDefinition } from '../domain/workflow.ts';

/** Working hours a stage takes: log-normal with this median and spread (sigma of the log). */
export interface StageTimeLaw {
  medianHours: number;
  sigma: number;
}

export interface HistoryProfile {
  workflow: WorkflowDefinition;
  calendar: BusinessCalendar;
  /** Working-time arrivals, evenly random (Poisson). */
  ordersPerWorkingDay: number;
  stageTimes: Record<string, StageTimeLaw>;
  /** From a stage, the chance an order is sent back for rework, and where to. */
  rework?: Record<string, { to: string; probability: number }>;
  cancelProbability?: number;
  /** Chance a stage visit includes a hold (the hold lasts inside the visit). */
  holdProbability?: number;
  /** Comments per order on average (they pad the event log without changing an order). */
  commentsPerOrder?: number;
  /** Working days finance takes to invoice an order once it reached the invoice stage (none: never invoiced). */
  invoiceAfterDays?: { min: number; max: number };
  customers?: string[];
  seed?: number;
}

export interface PlannedStep {
  stage: string;
  enteredMs: number;
  via: VisitEntry;
  from: string | null;
  /** A hold inside this visit, if any. */
  hold?: { fromMs: number; toMs: number };
}

export interface OrderPlan {
  id: string;
  number: string;
  workflow: string;
  title: string;
  customer: { name: string; email: string | null };
  priority: Priority;
  dueDate: string | null;
  fields: FieldValues;
  items: OrderItem[];
  trackingToken: string;
  createdMs: number;
  steps: PlannedStep[];
  /** When the order completes or is cancelled (possibly after the history's end). */
  endMs: number;
  ending: 'completed' | 'cancelled';
  comments: number[];
  /** When finance marks it invoiced (some working days after it reached the invoice stage), if it does. */
  invoicedMs: number | null;
}

const CUSTOMERS = [
  'Harbour FC',
  'Northside Brewing Co.',
  'St. Aidan Primary School',
  'Riverside 10K',
  'Delta Robotics',
  'Maple Street Bakery',
  'Coastline Surf Club',
  'Greenway Landscaping',
];
const GARMENTS = ['T-shirt', 'Hoodie', 'Sweatshirt', 'Polo shirt', 'Cap', 'Tote bag'];
const PRIORITIES: Priority[] = ['normal', 'normal', 'normal', 'normal', 'normal', 'high', 'high', 'rush', 'low'];

/** Log-normal draw via Box-Muller. */
function logNormal(rng: Random, law: StageTimeLaw): number {
  const u = Math.max(rng(), 1e-12);
  const v = rng();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return law.medianHours * Math.exp(law.sigma * z);
}

/** Whole ms: the event log stores instants to the millisecond. */
const ms = (x: number) => Math.round(x);

/**
 * Plans orders arriving between `fromMs` and `toMs`, each followed to completion or cancellation,
 * however long after `toMs` that is (the forecast backtest compares against those endings).
 */
export function planHistory(profile: HistoryProfile, fromMs: number, toMs: number, firstNumber = 1001): OrderPlan[] {
  const rng = seededRandom(profile.seed ?? 20261124);
  const time = WorkingTime.of(profile.calendar);
  const wf = profile.workflow;
  const keys = wf.stages.map((s) => s.key);
  const final = keys.length - 1;
  const dayHours = time.hoursBetween(Date.parse('2026-01-05T00:00:00Z'), Date.parse('2026-01-10T00:00:00Z')) / 5 || 8;
  const meanGapHours = dayHours / profile.ordersPerWorkingDay;
  const customers = profile.customers ?? CUSTOMERS;
  const plans: OrderPlan[] = [];
  let at = time.addMs(fromMs, 0);
  for (let n = firstNumber; ; n++) {
    at = time.addMs(at, ms(-Math.log(Math.max(rng(), 1e-12)) * meanGapHours * 3_600_000));
    if (at >= toMs) break;
    const createdMs = at;
    const steps: PlannedStep[] = [{ stage: keys[0]!, enteredMs: createdMs, via: 'created', from: null }];
    const cancelAt = rng() < (profile.cancelProbability ?? 0) ? pick(rng, final) : -1;
    let i = 0;
    let t = createdMs;
    let endMs = 0;
    let ending: OrderPlan['ending'] = 'completed';
    for (let guard = 0; guard < 100; guard++) {
      const key = keys[i]!;
      const step = steps[steps.length - 1]!;
      const hours = logNormal(rng, profile.stageTimes[key] ?? { medianHours: 4, sigma: 0.5 });
      const leave = time.addMs(t, ms(hours * 3_600_000));
      if (i === cancelAt) {
        endMs = t + ms((leave - t) / 2);
        ending = 'cancelled';
        break;
      }
      if (rng() < (profile.holdProbability ?? 0) && leave - t > 60_000) {
        step.hold = { fromMs: t + ms((leave - t) * 0.3), toMs: t + ms((leave - t) * 0.6) };
      }
      const back = profile.rework?.[key];
      const next = back && rng() < back.probability ? keys.indexOf(back.to) : i + 1;
      steps.push({ stage: keys[next]!, enteredMs: leave, via: next < i ? 'rework' : 'forward', from: key });
      t = leave;
      i = next;
      if (i === final) {
        endMs = leave;
        break;
      }
    }
    const garment = GARMENTS[pick(rng, GARMENTS.length)]!;
    const quantity = 10 + pick(rng, 40) * 5;
    const customer = customers[pick(rng, customers.length)]!;
    const due = rng() < 0.9 ? time.localDate(createdMs + (12 + pick(rng, 25)) * 86_400_000) : null;
    const comments: number[] = [];
    const commentCount = Math.floor((profile.commentsPerOrder ?? 0) * 2 * rng());
    for (let c = 0; c < commentCount; c++) comments.push(createdMs + ms(rng() * (endMs - createdMs)));
    comments.sort((a, b) => a - b);
    const trigger = wf.stages.find((s) => s.invoiceTrigger)?.key;
    const reached = ending === 'completed' ? steps.find((s) => s.stage === trigger) : undefined;
    const lag = profile.invoiceAfterDays;
    const invoicedMs =
      reached && lag ? time.addMs(reached.enteredMs, ms((lag.min + rng() * (lag.max - lag.min)) * dayHours * 3_600_000)) : null;
    plans.push({
      id: randomUUID(),
      number: `${wf.orderPrefix}-${n}`,
      workflow: wf.key,
      title: `${garment}s for ${customer}`,
      customer: { name: customer, email: `orders+${n}@customer.example` },
      priority: PRIORITIES[pick(rng, PRIORITIES.length)]!,
      dueDate: due,
      fields: fieldsFor(wf, rng, garment, quantity, time.localDate(createdMs)),
      items: [{ sku: `${garment.slice(0, 2).toUpperCase()}-${n % 7}`, description: `${garment}, assorted sizes`, quantity }],
      trackingToken: randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, ''),
      createdMs,
      steps,
      endMs,
      ending,
      comments,
      invoicedMs,
    });
  }
  return plans;
}

/** Values for every field the workflow has, so each stage's requirements are met. */
function fieldsFor(wf: WorkflowDefinition, rng: Random, garment: string, quantity: number, today: string): FieldValues {
  const out: FieldValues = {};
  for (const f of wf.fields) {
    switch (f.type) {
      case 'select':
        out[f.key] =
          f.key === 'garment' && f.options?.includes(garment) ? garment : (f.options?.[pick(rng, f.options.length)] ?? null);
        break;
      case 'number':
        out[f.key] = f.key === 'quantity' ? quantity : Math.max(f.min ?? 1, Math.min(f.max ?? 12, 1 + pick(rng, 4)));
        break;
      case 'money':
        out[f.key] = `${5 + pick(rng, 30)}.${String(pick(rng, 100)).padStart(2, '0')}`;
        break;
      case 'checkbox':
        out[f.key] = true;
        break;
      case 'url':
        out[f.key] = `https://files.example/${garment.toLowerCase().replace(/\W+/g, '-')}.pdf`;
        break;
      case 'date':
        out[f.key] = today;
        break;
      default:
        out[f.key] = `${f.label} ${pick(rng, 100000)}`;
    }
  }
  return out;
}

export interface HistoryEvent {
  type: string;
  at: string;
  orderId: string;
  orderVersion: number;
  data: Record<string, unknown>;
}

export interface OrderAsOf {
  state: 'active' | 'on_hold' | 'cancelled' | 'completed';
  stage: string;
  stageEnteredAt: string;
  version: number;
  updatedAt: string;
  completedAt: string | null;
  holdReason: string | null;
  visits: Array<{ stage: string; enteredAt: string; exitedAt: string | null }>;
  events: HistoryEvent[];
}

const iso = (t: number) => new Date(t).toISOString();

/** What the order is, and what its history holds, at `asOfMs` (null when it did not exist yet). */
export function orderAsOf(plan: OrderPlan, asOfMs: number): OrderAsOf | null {
  if (plan.createdMs > asOfMs) return null;
  const events: HistoryEvent[] = [];
  let version = 1;
  const push = (type: string, t: number, data: Record<string, unknown>, bump: boolean) => {
    if (bump) version += 1;
    events.push({ type, at: iso(t), orderId: plan.id, orderVersion: version, data });
  };
  events.push({
    type: 'order.created',
    at: iso(plan.createdMs),
    orderId: plan.id,
    orderVersion: 1,
    data: {
      number: plan.number,
      workflow: plan.workflow,
      title: plan.title,
      customer: plan.customer,
      stage: plan.steps[0]!.stage,
      dueDate: plan.dueDate,
      priority: plan.priority,
      fields: plan.fields,
      items: plan.items,
    },
  });
  const visits: OrderAsOf['visits'] = [];
  let state: OrderAsOf['state'] = 'active';
  let holdReason: string | null = null;
  let updated = plan.createdMs;
  let comment = 0;
  const comments = (until: number) => {
    while (comment < plan.comments.length && plan.comments[comment]! <= Math.min(until, asOfMs)) {
      push('comment.added', plan.comments[comment]!, { body: 'Spoke to the customer about the order' }, false);
      comment++;
    }
  };
  for (let s = 0; s < plan.steps.length; s++) {
    const step = plan.steps[s]!;
    if (step.enteredMs > asOfMs) break;
    const last = s === plan.steps.length - 1;
    if (s > 0) {
      comments(step.enteredMs - 1);
      visits[visits.length - 1]!.exitedAt = iso(step.enteredMs);
      const kind = step.via as 'forward' | 'rework';
      push(
        'order.stage_changed',
        step.enteredMs,
        {
          from: step.from,
          to: step.stage,
          reason: kind === 'rework' ? 'Sent back: not right first time' : null,
          override: false,
          kind,
        },
        true,
      );
      updated = step.enteredMs;
      if (last && plan.ending === 'completed') {
        push('order.completed', step.enteredMs, { stage: step.stage }, false);
        state = 'completed';
      }
    }
    visits.push({ stage: step.stage, enteredAt: iso(step.enteredMs), exitedAt: null });
    if (step.hold && step.hold.fromMs <= asOfMs) {
      comments(step.hold.fromMs - 1);
      push('order.held', step.hold.fromMs, { reason: 'Waiting for the customer', stage: step.stage }, true);
      state = 'on_hold';
      holdReason = 'Waiting for the customer';
      updated = step.hold.fromMs;
      if (step.hold.toMs <= asOfMs) {
        comments(step.hold.toMs - 1);
        push('order.resumed', step.hold.toMs, { stage: step.stage }, true);
        state = 'active';
        holdReason = null;
        updated = step.hold.toMs;
      }
    }
  }
  if (plan.ending === 'cancelled' && plan.endMs <= asOfMs) {
    comments(plan.endMs - 1);
    push('order.cancelled', plan.endMs, { reason: 'The customer called it off', stage: visits[visits.length - 1]!.stage }, true);
    state = 'cancelled';
    holdReason = null;
    updated = plan.endMs;
  }
  comments(Number.POSITIVE_INFINITY);
  if (plan.invoicedMs !== null && plan.invoicedMs <= asOfMs) {
    const at = iso(plan.invoicedMs);
    // In its place in time, at the version the order had then (invoicing does not change the order).
    const index = events.findIndex((e) => e.at > at);
    const at_ = index < 0 ? events.length : index;
    events.splice(at_, 0, {
      type: 'order.invoiced',
      at,
      orderId: plan.id,
      orderVersion: events[at_ - 1]!.orderVersion,
      data: { reference: `INV-${plan.number}` },
    });
  }
  const current = visits[visits.length - 1]!;
  return {
    state,
    stage: current.stage,
    stageEnteredAt: current.enteredAt,
    version,
    updatedAt: iso(updated),
    completedAt: state === 'completed' ? iso(plan.endMs) : null,
    holdReason,
    visits,
    events,
  };
}

export const HISTORY_ACTOR: EventActor = { kind: 'system', id: null, name: 'History generator' };
