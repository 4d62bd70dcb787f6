// Who hears about what: the rules that turn an order's events into notices for the people whose move it is.
import { type DateStyle, mediumDay } from './date-format.ts';
import type { OrderEventType } from './events.ts';
import type { Role } from './roles.ts';
import { findStage, type StageDef, type WorkflowDefinition } from './workflow.ts';

export const NOTIFICATION_KINDS = [
  'stage-entered',
  'stalled',
  'escalated',
  'at-risk',
  'overdue',
  'due-soon',
  'ready-to-invoice',
  'problem-reported',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What a user gets by e-mail until they choose: the alarms, not the everyday hand-offs. */
export const DEFAULT_EMAIL_KINDS: readonly NotificationKind[] = ['escalated', 'at-risk', 'overdue'];

/** The facts about an order a notice may mention. */
export interface OrderFacts {
  number: string;
  title: string;
  customerName: string;
  dueDate: string | null;
}

export interface NoticePlan {
  kind: NotificationKind;
  /** Everyone holding one of these roles is told (except whoever caused the event). */
  roles: Role[];
  title: string;
  body: string;
}

interface NoticeEvent {
  type: string;
  data: Record<string, unknown>;
}

/** An automatic action: the event types it listens to, and the notice it makes of one. */
interface NoticeRule {
  events: readonly OrderEventType[];
  plan(event: NoticeEvent, order: OrderFacts, stage: StageDef | undefined, day: (date: unknown) => string): NoticePlan | null;
}

const hoursText = (hours: unknown, basis: unknown) =>
  `${Number(hours).toLocaleString('en-GB', { maximumFractionDigits: 2 })} ${basis === 'calendar' ? '' : 'working '}hours`;

const label = (stage: StageDef | undefined, key: unknown) => stage?.label ?? String(key);

const roles = (...list: Array<Role | undefined>): Role[] => [...new Set(list.filter((r): r is Role => r !== undefined))];

/** Why an order came back (rework, a customer's change request): the owner needs it to act. */
const sentBack = (e: NoticeEvent) =>
  e.type === 'order.stage_changed' && e.data.kind === 'rework' && typeof e.data.reason === 'string' && e.data.reason
    ? ` It came back: ${e.data.reason}`
    : '';

const RULES: NoticeRule[] = [
  {
    // "ORD-1042 is ready for you: Arrange pickup or shipping"
    events: ['order.created', 'order.stage_changed'],
    plan: (e, order, stage) =>
      stage
        ? {
            kind: 'stage-entered',
            roles: [stage.ownerRole],
            title: `${order.number} is ready for you: ${stage.nextAction}`,
            body: `${order.title} for ${order.customerName} is now in ${stage.label}.${sentBack(e)}`,
          }
        : null,
  },
  {
    events: ['order.stalled'],
    plan: (e, order, stage) => ({
      kind: 'stalled',
      roles: roles(stage?.ownerRole),
      title: `${order.number} has stalled in ${label(stage, e.data.stage)}`,
      body: `Nothing has moved for ${hoursText(e.data.afterHours, e.data.basis)}.${stage ? ` Next action: ${stage.nextAction}.` : ''}`,
    }),
  },
  {
    events: ['order.escalated'],
    plan: (e, order, stage) => ({
      kind: 'escalated',
      roles: ['manager'],
      title: `${order.number} is escalated: stuck in ${label(stage, e.data.stage)}`,
      body: `It has sat there for ${hoursText(e.data.afterHours, e.data.basis)}, twice the limit.${
        stage ? ` ${stage.ownerRole} owns the next action: ${stage.nextAction}.` : ''
      }`,
    }),
  },
  {
    events: ['order.at_risk'],
    plan: (e, order, stage, day) => ({
      kind: 'at-risk',
      roles: roles('manager', stage?.ownerRole),
      title: `${order.number} is at risk of missing its due date (${day(e.data.dueDate)})`,
      body: `At the recent pace it will be done around ${day(e.data.expectedBy)}. It is in ${label(stage, e.data.stage)}.`,
    }),
  },
  {
    events: ['order.overdue'],
    plan: (e, order, stage, day) => ({
      kind: 'overdue',
      roles: roles('manager', stage?.ownerRole),
      title: `${order.number} is overdue: it was due ${day(e.data.dueDate)}`,
      body: `${order.title} for ${order.customerName} is still in ${label(stage, e.data.stage)}.`,
    }),
  },
  {
    events: ['order.due_soon'],
    plan: (e, order, stage, day) => ({
      kind: 'due-soon',
      roles: roles(stage?.ownerRole),
      title: `${order.number} is due ${day(e.data.dueDate)}`,
      body: `It is in ${label(stage, e.data.stage)}.${stage ? ` Next action: ${stage.nextAction}.` : ''}`,
    }),
  },
  {
    // Someone at the bench reported a problem (the station view's "Report a problem"): whoever owns the stage acts.
    events: ['comment.added'],
    plan: (e, order, stage) =>
      e.data.problem === true
        ? {
            kind: 'problem-reported',
            roles: roles(stage?.ownerRole),
            title: `Problem reported on ${order.number} in ${label(stage, e.data.stage)}`,
            body: String(e.data.body ?? ''),
          }
        : null,
  },
  {
    events: ['order.ready_to_invoice'],
    plan: (e, order, stage) => ({
      kind: 'ready-to-invoice',
      roles: ['finance'],
      title: `${order.number} is ready to invoice`,
      body: `${order.title} for ${order.customerName} has reached ${label(stage, e.data.stage)}.`,
    }),
  },
];

/** The stage an event concerns: the one entered for creations and moves, else the one it happened in. */
export function stageOfEvent(event: NoticeEvent): string | null {
  const key = event.type === 'order.stage_changed' ? event.data.to : event.data.stage;
  return typeof key === 'string' ? key : null;
}

/** The notices one event makes, for the order and workflow it belongs to; dates read the workspace's way as of `now`. */
export function noticesFor(
  event: NoticeEvent,
  order: OrderFacts,
  wf: WorkflowDefinition,
  dates: DateStyle,
  now: Date | number,
): NoticePlan[] {
  const key = stageOfEvent(event);
  const stage = key ? findStage(wf, key) : undefined;
  // A calendar date in the workspace's words; anything else (an old event without one) as it was stored.
  const day = (date: unknown) =>
    typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) ? mediumDay(date, dates, now) : String(date);
  return RULES.filter((r) => (r.events as readonly string[]).includes(event.type))
    .map((r) => r.plan(event, order, stage, day))
    .filter((p): p is NoticePlan => p !== null && p.roles.length > 0);
}
