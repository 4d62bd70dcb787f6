// What the customer hears when their order reaches a stage they care about: plain words, a date, the tracking link.
import { DEFAULT_LOCALE, longDay } from './date-format.ts';
import { stageOfEvent } from './notifications.ts';
import { findStage, type StageDef, type WorkflowDefinition } from './workflow.ts';

export interface CustomerUpdate {
  subject: string;
  text: string;
}

/** The stage an event brings the order into when the customer is to be told about it, else null. */
export function customerStageOf(event: { type: string; data: Record<string, unknown> }, wf: WorkflowDefinition): StageDef | null {
  if (event.type !== 'order.created' && event.type !== 'order.stage_changed') return null;
  const key = stageOfEvent(event);
  const stage = key ? findStage(wf, key) : undefined;
  return stage?.notifyCustomer ? stage : null;
}

/** "Friday, 18 December 2026" in the shop's locale: an e-mail is read later, so it always carries the year. */
function longDate(date: string, locale: string): string {
  return longDay(date, { locale, timeZone: 'UTC' }, null);
}

/**
 * The e-mail for one stage reached. Only what the customer should see: the order number, the
 * stage's customer label, the expected delivery date and the tracking link. Never the internal
 * stage name, the next action, field values, prices or who did what.
 */
export function customerUpdate(
  order: { number: string; customerName: string },
  stage: StageDef,
  expectedDelivery: string | null,
  trackingLink: string | null,
  shopName: string,
  locale: string = DEFAULT_LOCALE,
): CustomerUpdate {
  const status = stage.customerLabel ?? 'Your order has moved on';
  const lines = [
    `Hello ${order.customerName},`,
    '',
    `An update on your order ${order.number}: ${status}.`,
    ...(expectedDelivery ? ['', `Expected delivery: ${longDate(expectedDelivery, locale)}`] : []),
    ...(trackingLink ? ['', `Follow your order at any time: ${trackingLink}`] : []),
    '',
    'Thank you,',
    shopName,
  ];
  return { subject: `Your order ${order.number}: ${status}`, text: `${lines.join('\n')}\n` };
}
