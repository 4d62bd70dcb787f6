// What each role may do, mirrored from the API (API.md, "Roles") so the screen offers only what will work.
// The API enforces every one of these; the browser only uses them to choose what to show.
import type { Role } from '../api/types.ts';

const EDITORS: readonly Role[] = ['admin', 'manager', 'sales', 'service'];
const SUPERVISORS: readonly Role[] = ['admin', 'manager'];

export const mayEditOrders = (role: Role) => EDITORS.includes(role);
export const mayOverride = (role: Role) => SUPERVISORS.includes(role);
export const mayMoveOutOf = (role: Role, ownerRole: Role) => role === ownerRole || SUPERVISORS.includes(role);
export const mayAdminister = (role: Role) => role === 'admin';
export const mayComment = (role: Role) => role !== 'viewer';
/** Sales' pages: the Sales home and the quote form (anyone may read the forecast; these are the people who promise dates). */
export const mayQuote = (role: Role) => ['sales', 'manager', 'admin'].includes(role);
/** Invoicing and money figures: finance, managers and admins. */
export const mayInvoice = (role: Role) => ['finance', 'manager', 'admin'].includes(role);

export const ROLE_NAMES: Record<Role, string> = {
  admin: 'Admin',
  manager: 'Manager',
  sales: 'Sales',
  procurement: 'Procurement',
  production: 'Production',
  fulfillment: 'Fulfillment',
  service: 'Customer service',
  finance: 'Finance',
  viewer: 'Viewer',
};
