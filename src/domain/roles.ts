// The roles a Floorboard user can hold, and what each may do (API.md, "Roles").

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

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

const ORDER_EDITORS: readonly Role[] = ['admin', 'manager', 'sales', 'service'];
const SUPERVISORS: readonly Role[] = ['admin', 'manager'];
const FINANCE_READERS: readonly Role[] = ['admin', 'manager', 'finance'];

/** Create orders and edit their details. */
export function mayEditOrders(role: Role): boolean {
  return ORDER_EDITORS.includes(role);
}

/** Create, edit and merge customer records: whoever takes orders for them. */
export function mayEditCustomers(role: Role): boolean {
  return ORDER_EDITORS.includes(role);
}

/** Move an order out of a stage owned by `ownerRole`. */
export function mayMoveOutOf(role: Role, ownerRole: Role): boolean {
  return role === ownerRole || SUPERVISORS.includes(role);
}

/** Skip stages forward, or override a rule with a recorded reason. */
export function mayOverride(role: Role): boolean {
  return SUPERVISORS.includes(role);
}

/** Hold, resume or cancel an order whose current stage is owned by `ownerRole`. */
export function mayHoldOrCancel(role: Role, ownerRole: Role): boolean {
  return mayMoveOutOf(role, ownerRole);
}

/** Workflows, users, other people's tokens, webhooks and settings. */
export function mayAdminister(role: Role): boolean {
  return role === 'admin';
}

/** Money figures in reports. */
export function maySeeFinanceFigures(role: Role): boolean {
  return FINANCE_READERS.includes(role);
}
