// How each user receives each kind of notice: in the app only, also by e-mail at once, or gathered into a daily digest.
import { DEFAULT_EMAIL_KINDS, NOTIFICATION_KINDS, type NotificationKind } from './notifications.ts';

/** Every notice is in the app; `email` also sends it at once, `digest` lists it in the next daily e-mail. */
export const DELIVERIES = ['in-app', 'email', 'digest'] as const;
export type Delivery = (typeof DELIVERIES)[number];

/** The hour of the day (workspace time zone) a digest goes out until its reader chooses another. */
export const DEFAULT_DIGEST_HOUR = 7;

export interface DeliveryChoice {
  /** Kinds sent by e-mail at once. */
  emailKinds: NotificationKind[];
  /** Kinds gathered into the daily digest. */
  digestKinds: NotificationKind[];
  digestHour: number;
}

export const DEFAULT_DELIVERY: DeliveryChoice = {
  emailKinds: [...DEFAULT_EMAIL_KINDS],
  digestKinds: [],
  digestHour: DEFAULT_DIGEST_HOUR,
};

/** The choice as one delivery per kind, every kind present. */
export function deliveryByKind(choice: DeliveryChoice): Record<NotificationKind, Delivery> {
  return Object.fromEntries(
    NOTIFICATION_KINDS.map((k) => [
      k,
      choice.emailKinds.includes(k) ? 'email' : choice.digestKinds.includes(k) ? 'digest' : 'in-app',
    ]),
  ) as Record<NotificationKind, Delivery>;
}

/**
 * A change of choice. `emailKinds` (the older way to choose) names the kinds e-mailed at once: the others that were
 * e-mailed at once become in-app only, and digest kinds it does not name stay in the digest; `digestKinds` likewise
 * for the digest; `delivery` sets the kinds it names and leaves the rest.
 */
export interface DeliveryChange {
  emailKinds?: NotificationKind[] | undefined;
  digestKinds?: NotificationKind[] | undefined;
  delivery?: Partial<Record<NotificationKind, Delivery>> | undefined;
  digestHour?: number | undefined;
}

export type DeliveryRefusal =
  | { code: 'kind-in-both'; kinds: NotificationKind[] }
  | { code: 'two-ways'; detail: string }
  | { code: 'nothing-to-change' };

/** The choice after a change, or why the change makes no sense. Kinds come back in their canonical order. */
export function changeDelivery(current: DeliveryChoice, change: DeliveryChange): DeliveryChoice | DeliveryRefusal {
  const lists = change.emailKinds !== undefined || change.digestKinds !== undefined;
  if (lists && change.delivery !== undefined) {
    return { code: 'two-ways', detail: 'Send either delivery or emailKinds/digestKinds, not both' };
  }
  if (!lists && change.delivery === undefined && change.digestHour === undefined) return { code: 'nothing-to-change' };
  const both = NOTIFICATION_KINDS.filter((k) => change.emailKinds?.includes(k) && change.digestKinds?.includes(k));
  if (both.length) return { code: 'kind-in-both', kinds: both };

  const by = deliveryByKind(current);
  for (const kind of NOTIFICATION_KINDS) {
    if (change.emailKinds !== undefined) {
      if (change.emailKinds.includes(kind)) by[kind] = 'email';
      else if (by[kind] === 'email') by[kind] = 'in-app';
    }
    if (change.digestKinds !== undefined) {
      if (change.digestKinds.includes(kind)) by[kind] = 'digest';
      else if (by[kind] === 'digest') by[kind] = 'in-app';
    }
    const chosen = change.delivery?.[kind];
    if (chosen) by[kind] = chosen;
  }
  return {
    emailKinds: NOTIFICATION_KINDS.filter((k) => by[k] === 'email'),
    digestKinds: NOTIFICATION_KINDS.filter((k) => by[k] === 'digest'),
    digestHour: change.digestHour ?? current.digestHour,
  };
}
