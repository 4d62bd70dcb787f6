// Webhooks as the outside sees them: which events can be subscribed, and the Standard Webhooks message body.
import { ORDER_EVENT_TYPES } from './events.ts';

/** Every order event, and workflow changes; user and token events stay inside. */
export const WEBHOOK_EVENT_TYPES = [...ORDER_EVENT_TYPES, 'workflow.created', 'workflow.updated'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(type: string): type is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);
}

export interface WebhookMessage {
  type: string;
  /** When the event happened (ISO 8601). */
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * The body of a delivery, per the Standard Webhooks specification: `{type, timestamp, data}`.
 * `data` is the event's own data plus where it sits: its sequence number in the audit chain,
 * who did it, and the order (id, number, workflow, version) it belongs to.
 */
export function webhookMessage(
  event: { seq: number; type: string; at: string; actor: unknown; orderVersion: number | null; data: Record<string, unknown> },
  order: { id: string; number: string; workflow: string } | null,
): WebhookMessage {
  return {
    type: event.type,
    timestamp: event.at,
    data: {
      ...event.data,
      seq: event.seq,
      actor: event.actor,
      order: order ? { ...order, version: event.orderVersion } : null,
    },
  };
}
