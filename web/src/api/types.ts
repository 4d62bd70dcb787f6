// The shapes of the public API (API.md, /api/v1/openapi.json) as the web app reads them.

export const ROLES = [
  'admin',
  'manager',
  'sales',
  'procurement',
  'production',
  'fulfillment',
  'service',
  'finance',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];

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
  stageHistory: StageVisit[];
  flags: Flag[];
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
  actor: { kind: 'user' | 'token' | 'system'; id: string | null; name: string };
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
}

export interface Me {
  user: User;
  csrfToken: string | null;
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
