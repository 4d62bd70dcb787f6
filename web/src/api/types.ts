// The shapes of the public API (API.md, /api/v1/openapi.json) as the web app reads them.

import type { DateStyle } from '../../../src/domain/date-format.ts';
import type { Role } from '../../../src/domain/roles.ts';

export { ROLES, type Role } from '../../../src/domain/roles.ts';

export const PRIORITIES = ['rush', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const FLAGS = ['on-hold', 'stalled', 'escalated', 'at-risk', 'overdue'] as const;
export type Flag = (typeof FLAGS)[number];

export type OrderState = 'active' | 'on_hold' | 'cancelled' | 'completed';

export const FIELD_TYPES = ['text', 'number', 'money', 'date', 'select', 'checkbox', 'url'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export type FieldValue = string | number | boolean | null;

export interface FieldDef {
  key: string;
  label: string;
  type: FieldType;
  options?: string[];
  required?: boolean;
  min?: number;
  max?: number;
  visibleTo?: Role[];
}

export interface StageDef {
  key: string;
  label: string;
  ownerRole: Role;
  nextAction: string;
  stallAfterHours?: number | null;
  /** Whether stall hours count working hours (the default) or every hour of the day. */
  stallHoursBasis?: 'working' | 'calendar';
  customerLabel?: string | null;
  requires?: string[];
  notifyCustomer?: boolean;
  invoiceTrigger?: boolean;
  wipLimit?: number | null;
  /** The customer approves here, on their tracking page. */
  customerApproval?: boolean;
  /** The url field the tracking page shows as the proof. */
  proofField?: string;
  /** Where "Request changes" sends the order (default: the stage before). */
  changesReturnTo?: string;
}

export interface WorkflowInput {
  key: string;
  name: string;
  orderPrefix: string;
  stages: StageDef[];
  fields: FieldDef[];
}

export interface Workflow extends WorkflowInput {
  version: number;
}

export interface Person {
  id: string | null;
  name: string;
}

export interface StageVisit {
  stage: string;
  enteredAt: string;
  exitedAt: string | null;
  by: Person;
}

export interface OrderItem {
  sku: string | null;
  description: string;
  quantity: number;
}

export interface Order {
  id: string;
  number: string;
  workflow: string;
  title: string;
  customer: { name: string; email: string | null };
  /** The customer record (see web/src/customers). */
  customerId: string | null;
  state: OrderState;
  stage: string;
  stageLabel: string;
  ownerRole: Role | null;
  nextAction: string | null;
  stageEnteredAt: string;
  dueDate: string | null;
  priority: Priority;
  fields: Record<string, FieldValue>;
  items: OrderItem[];
  version: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  holdReason: string | null;
  trackingUrl: string;
  /** What the customer's tracking page says now. */
  customerStatus: string;
  stageHistory: StageVisit[];
  /** Set on a move's answer, whose stageHistory holds only the current stage's entry: where the rest is. */
  historyUrl?: string;
  flags: Flag[];
  /** When it is expected done; null when not active or without enough history. */
  eta: Eta | null;
}

/** Expected completion: done by `p50` half the time, by `p85` 85% of the time (local dates, YYYY-MM-DD). */
export interface Eta {
  p50: string;
  p85: string;
}

export interface Card {
  id: string;
  number: string;
  title: string;
  customerName: string;
  priority: Priority;
  dueDate: string | null;
  stage: string;
  stageEnteredAt: string;
  state: 'active' | 'on_hold';
  flags: Flag[];
  version: number;
  eta: Eta | null;
  /** Not from the API: the card shows where a move of ours is about to put it. */
  pending?: boolean;
}

export interface Column {
  stage: StageDef;
  count: number;
  wipLimit: number | null;
  overWipLimit: boolean;
  cards: Card[];
}

export interface Board {
  workflow: Workflow;
  generatedAt: string;
  columns: Column[];
}

export interface OrderEvent {
  seq: number;
  type: string;
  at: string;
  orderId: string | null;
  orderVersion: number | null;
  actor: { kind: 'user' | 'token' | 'system' | 'customer'; id: string | null; name: string };
  data: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
  twoFactor: boolean;
}

/** The answer to a right password when two-factor sign-in is on: a code is asked for before any session exists. */
export interface SecondStep {
  twoFactorRequired: true;
  challenge: string;
  expiresAt: string;
}

export interface Me {
  user: User;
  csrfToken: string | null;
  /** How the workspace writes dates: every date in the app reads this way. */
  workspace: DateStyle;
}

export interface ApiToken {
  id: string;
  userId: string;
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** What the live stream sends for every change. */
export interface LiveChange {
  orderId: string | null;
  number: string | null;
  version: number | null;
  type: string;
}

/** An order's customer tracking link, as staff manage it. */
export interface TrackingLink {
  orderId: string;
  number: string;
  enabled: boolean;
  trackingUrl: string;
}

/** An open alert (stalled, escalated, at risk, overdue). */
export interface Alert {
  kind: 'stalled' | 'escalated' | 'at-risk' | 'overdue';
  since: string;
  orderId: string;
  number: string;
  title: string;
  workflow: string;
  stage: string;
  stageLabel: string;
  state: OrderState;
  priority: Priority;
  dueDate: string | null;
  ownerRole: Role | null;
}

/** An order ready to invoice, with its amount (finance, managers, admins). */
export interface ReadyToInvoice {
  orderId: string;
  number: string;
  workflow: string;
  title: string;
  customer: { name: string; email: string | null };
  stageLabel: string;
  readySince: string;
  dueDate: string | null;
  amount: string | null;
}

export interface ReadyList {
  items: ReadyToInvoice[];
  totals: { orders: number; amount: string; withoutAmount: number };
  /** ISO 4217: the workspace's currency. */
  currency: string;
  nextCursor: string | null;
}

/** When an order started today would be done, from the shop's recent history. */
export interface Quote {
  workflow: string;
  asOf: string;
  startDate: string;
  enoughHistory: boolean;
  p50: string | null;
  p85: string | null;
  p50WorkingHours: number | null;
  p85WorkingHours: number | null;
  /** The history the forecast drew from. */
  basedOn: { orders: number; stageVisits: number; since: string; trials: number };
  /** The open orders in each stage now, against how many it usually holds; `factor` stretches the stay there. */
  queue: Array<{ stage: string; label: string; open: number; usual: number | null; factor: number }>;
  /** A sentence for sales; says why when there is too little history. */
  message: string;
}

export interface LeadTimeSummary {
  completed: number;
  leadTime: { days: { p50: number; p85: number; p95: number } | null };
}

/** Admin settings; the tracking page's look is `tracking` and `email.shopName`. */
export interface Settings {
  calendar: {
    timeZone: string;
    /** ISO weekdays: 1 = Monday ... 7 = Sunday. */
    workingDays: number[];
    dayStart: string;
    dayEnd: string;
    holidays: string[];
  };
  dueSoonDays: number;
  currency: string;
  /** How dates read in the app, on the tracking page and in e-mails (a BCP 47 locale, e.g. en-GB). */
  locale: string;
  email: { from: string; shopName: string; smtpUrl: string | null; smtpConfigured: boolean };
  webhooks: { allowPrivateNetworks: boolean };
  publicUrl: string;
  tracking: { logoUrl: string | null; accentColor: string; contact: string | null };
  customerUpdates: { emailByDefault: boolean };
}

export interface SignIn {
  id: number;
  at: string;
  email: string;
  userId: string | null;
  outcome: 'success' | 'failed' | 'disabled';
  ip: string | null;
  userAgent: string | null;
}
