// What the customer sees of their order: the steps they care about with the date each was reached, the status in
// plain words, when it will arrive, and what they can do. Built only from customer labels, dates and the proof link:
// never a staff name, an internal stage label, a field, a price or a comment.
import { type BusinessCalendar, localDate } from './calendar.ts';
import { DEFAULT_LOCALE, longDay } from './date-format.ts';
import { hasValue } from './fields.ts';
import type { Order } from './order.ts';
import { findField, findStage, type StageDef, type StageKey, stageIndex, type WorkflowDefinition } from './workflow.ts';

/** What a customer calls the first steps of a workflow that names none for them. */
const FIRST_STEP = 'We have your order';
const IN_PROGRESS = 'Your order is in progress';

/** One step of the customer's timeline: one or more stages that share what the customer is told. */
export interface CustomerStepDef {
  label: string;
  stages: StageKey[];
}

/**
 * The steps a customer sees, in order. A stage with a customer label starts a step (unless the step
 * before says the same); a stage without one belongs to the step before it, so internal hand-offs
 * stay invisible. A workflow with no customer labels at all has no steps.
 */
export function customerSteps(wf: WorkflowDefinition): CustomerStepDef[] {
  let steps = stepsOf.get(wf);
  if (!steps) {
    steps = stepsFor(wf);
    stepsOf.set(wf, steps);
  }
  return steps;
}

/** Workflows are read once and shared: their steps are worked out once each. */
const stepsOf = new WeakMap<WorkflowDefinition, CustomerStepDef[]>();

function stepsFor(wf: WorkflowDefinition): CustomerStepDef[] {
  if (!wf.stages.some((s) => s.customerLabel)) return [];
  const steps: CustomerStepDef[] = [];
  for (const stage of wf.stages) {
    const last = steps[steps.length - 1];
    const label = stage.customerLabel?.trim();
    if (last && (!label || label === last.label)) last.stages.push(stage.key);
    else steps.push({ label: label || FIRST_STEP, stages: [stage.key] });
  }
  return steps;
}

function stepOf(steps: CustomerStepDef[], stage: StageKey): number {
  return steps.findIndex((s) => s.stages.includes(stage));
}

type StatusOrder = Pick<Order, 'state' | 'stage'>;

/**
 * The headline the customer reads: the customer label of the step the order is in, "Cancelled" for a
 * cancelled order. Customer service sees the same words next to the internal stage.
 */
export function customerStatus(wf: WorkflowDefinition, order: StatusOrder): string {
  if (order.state === 'cancelled') return 'Cancelled';
  const steps = customerSteps(wf);
  const step = steps[stepOf(steps, order.stage)];
  if (step) return step.label;
  return order.state === 'completed' ? 'Complete' : IN_PROGRESS;
}

/** skipped: a manager moved the order past this step; it was never done, so it carries no date. */
export type StepState = 'done' | 'current' | 'upcoming' | 'skipped';

export interface TimelineStep {
  label: string;
  state: StepState;
  /** The local date (shop's time zone) the order reached this step; null when it has not, or skipped it. */
  reachedOn: string | null;
}

/**
 * The customer's timeline. Walks the order's stage visits: entering a step dates it; going back to an
 * earlier step (rework) makes the steps after it upcoming again, so the timeline never runs backwards.
 */
export function customerTimeline(
  wf: WorkflowDefinition,
  order: Pick<Order, 'state' | 'stage' | 'stageEnteredAt'>,
  visits: ReadonlyArray<{ stage: string; enteredAt: string }>,
  cal: BusinessCalendar,
): TimelineStep[] {
  const steps = customerSteps(wf);
  const reached: Array<string | null> = steps.map(() => null);
  const skipped: boolean[] = steps.map(() => false);
  let at = -1;
  for (const visit of visits) {
    const step = stepOf(steps, visit.stage);
    if (step < 0 || step === at) continue;
    if (step < at) {
      reached.fill(null, step + 1);
      skipped.fill(false, step + 1);
    }
    // A skip forward passes the steps in between without doing them: skipped, and never given a date.
    if (at >= 0) for (let s = at + 1; s < step; s++) if (reached[s] === null) skipped[s] = true;
    reached[step] = visit.enteredAt;
    skipped[step] = false;
    at = step;
  }
  const current = stepOf(steps, order.stage);
  if (current >= 0 && reached[current] === null) reached[current] = order.stageEnteredAt;
  const finished = order.state === 'completed';
  return steps.map((step, i) => {
    const when = i <= current ? reached[i] : null;
    const state: StepState =
      i < current && skipped[i]
        ? 'skipped'
        : i < current || (finished && i === current)
          ? 'done'
          : i === current
            ? 'current'
            : 'upcoming';
    return { label: step.label, state, reachedOn: when ? localDate(cal, new Date(when)) : null };
  });
}

/** When the order will arrive, as the customer reads it: a date, a range, the promised date, or the day it arrived. */
export interface DeliveryEstimate {
  /** forecast: from the shop's recent pace; promised: the due date only; delivered: done; none: nothing to say. */
  basis: 'forecast' | 'promised' | 'delivered' | 'none';
  /** The expected date, or the first date of the range (YYYY-MM-DD). */
  from: string | null;
  /** The last date of the range; null when one date is sure enough. */
  to: string | null;
  /** The date the shop promised (the due date), if one was set. */
  promised: string | null;
  /** The day the order was completed. */
  deliveredOn: string | null;
  /** The sentence the tracking page shows: "Expected delivery: Thursday 17 December". */
  text: string | null;
  /** Beside a forecast with a promise, whether it holds: "That is on time.", or that it may not. */
  promisedText: string | null;
  /** The forecast runs past the promised date (its later end, or the whole of it). */
  pastPromise: boolean;
}

/**
 * The delivery date the customer is given. A forecast (50% to 85% sure) gives a date, or a range when
 * the two differ; without one, the promised date stands; an order on hold has no forecast.
 */
export function deliveryEstimate(
  order: Pick<Order, 'state' | 'dueDate' | 'completedAt'>,
  eta: { p50: string; p85: string } | null,
  cal: BusinessCalendar,
  now: Date,
  locale: string = DEFAULT_LOCALE,
): DeliveryEstimate {
  const promised = order.dueDate;
  const day = (date: string) => dayText(date, cal, locale, now);
  const base = { from: null, to: null, promised, deliveredOn: null, promisedText: null, pastPromise: false };
  if (order.state === 'cancelled') return { ...base, promised: null, basis: 'none', text: null };
  if (order.state === 'completed') {
    const on = order.completedAt ? localDate(cal, new Date(order.completedAt)) : null;
    return { ...base, basis: 'delivered', deliveredOn: on, text: on ? `Delivered: ${day(on)}` : 'Delivered' };
  }
  if (order.state === 'active' && eta) {
    const to = eta.p85 > eta.p50 ? eta.p85 : null;
    const when = to ? `between ${day(eta.p50)} and ${day(to)}` : day(eta.p50);
    const forecast = { ...base, basis: 'forecast' as const, from: eta.p50, to };
    if (!promised) return { ...forecast, text: `Expected delivery: ${when}` };
    // One sentence says which date holds: what was promised, and what progress says of it.
    const text = `We promised ${day(promised)}; on current progress we expect ${when}.`;
    const promisedText =
      eta.p50 > promised
        ? 'That is later than we promised: we are sorry. We will keep you posted.'
        : (to ?? eta.p50) > promised
          ? 'It may be later than we promised. We will keep you posted.'
          : 'That is on time.';
    return { ...forecast, text, promisedText, pastPromise: (to ?? eta.p50) > promised };
  }
  if (promised) return { ...base, basis: 'promised', from: promised, text: `Promised delivery: ${day(promised)}` };
  return { ...base, basis: 'none', text: null };
}

/** "Thursday 17 December" in the shop's locale, with the year when it is not this one. */
function dayText(date: string, cal: BusinessCalendar, locale: string, now: Date): string {
  return longDay(date, { locale, timeZone: cal.timeZone }, now);
}

/** A customer-approval stage, as the tracking page offers it. */
export interface ApprovalOffer {
  /** The link to the proof (the stage's proof field); null while there is none yet. */
  proofUrl: string | null;
  /** Whether Approve and Request changes are offered now. */
  canRespond: boolean;
}

/**
 * The approval the customer is asked for in the order's current stage, or null when none is. A proof is there
 * when the stage's proof field holds a link, or when the shop attached a proof file the customer may see
 * (`hasProofFile`); a stage that names no proof field takes the approval without one.
 */
export function approvalOffer(
  wf: WorkflowDefinition,
  order: Pick<Order, 'state' | 'stage' | 'fields'>,
  hasProofFile = false,
): ApprovalOffer | null {
  const stage = findStage(wf, order.stage);
  if (!stage?.customerApproval || order.state === 'cancelled' || order.state === 'completed') return null;
  const proof = proofOf(wf, stage, order.fields);
  const ready = stage.proofField === undefined || proof !== null || hasProofFile;
  return { proofUrl: proof, canRespond: order.state === 'active' && ready };
}

function proofOf(wf: WorkflowDefinition, stage: StageDef, fields: Order['fields']): string | null {
  if (!stage.proofField) return null;
  const value = fields[stage.proofField];
  return hasValue(findField(wf, stage.proofField), value) && typeof value === 'string' ? value : null;
}

/** A note that tells the customer why the order waits, and what they can do. */
export interface CustomerNote {
  kind: 'approval' | 'on-hold';
  text: string;
  action: string;
}

/** Why the order waits, in the customer's words; null when it does not. Never the internal hold reason. */
export function customerNote(
  wf: WorkflowDefinition,
  order: Pick<Order, 'state' | 'stage' | 'fields'>,
  contact: string | null,
  hasProofFile = false,
): CustomerNote | null {
  const ask = contact ? `Questions? ${contact}` : 'Questions? Reply to our last e-mail and we will help.';
  if (order.state === 'on_hold') {
    return {
      kind: 'on-hold',
      text: 'Your order is on hold for the moment.',
      action: `We will be in touch before it continues. ${ask}`,
    };
  }
  const offer = approvalOffer(wf, order, hasProofFile);
  if (!offer || order.state !== 'active') return null;
  return {
    kind: 'approval',
    text: 'We need your approval to go on.',
    action: offer.canRespond
      ? 'Check the proof, then approve it or tell us what to change. We start as soon as you approve.'
      : 'We will add the proof here for you to approve shortly.',
  };
}

/** Where "request changes" sends an order: the stage the workflow names, else the stage before. */
export function changesReturnStage(wf: WorkflowDefinition, stage: StageDef): StageKey | null {
  if (stage.changesReturnTo) return stage.changesReturnTo;
  const i = stageIndex(wf, stage.key);
  return i > 0 ? wf.stages[i - 1]!.key : null;
}
