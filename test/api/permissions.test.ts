// Every route in the OpenAPI document, called by every role and by nobody at all, answers the status API.md's
// Roles table says. The table below has one entry per route: a route without one fails here, so a new route
// cannot ship without its permissions being decided and tested.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/domain/roles.ts';
import { insertNotifications } from '../../src/store/notifications.ts';
import { multipartBody, PNG } from '../support/files.ts';
import { emailOf, type Harness, json, newOrder, PASSWORD, startHarness } from '../support/harness.ts';

type Caller = Role | 'anonymous';
const CALLERS: Caller[] = [...ROLES, 'anonymous'];

interface Call {
  /** The path under the server root, with ids filled in and any query string. */
  url: string;
  body?: unknown;
  /** Extra request headers (a multipart upload's content type). */
  headers?: Record<string, string>;
}

interface Entry {
  /** The request one caller makes; it may set up what it acts on first (each caller gets a fresh one where it matters). */
  call: (caller: Caller) => Promise<Call> | Call;
  /** What each signed-in role gets. */
  roles: Record<Role, number>;
  /** What a caller without credentials gets: 401, unless the route is public. */
  anonymous?: number;
  /** A never-ending stream: only its status is read. */
  stream?: boolean;
}

const EDITORS: Role[] = ['admin', 'manager', 'sales', 'service'];
const FINANCE: Role[] = ['admin', 'manager', 'finance'];

/** Everyone signed in gets `status`. */
const everyone = (status: number): Record<Role, number> =>
  Object.fromEntries(ROLES.map((r) => [r, status])) as Record<Role, number>;
/** `allowed` get `status`, everyone else `refused` (403 unless said). */
const only = (allowed: Role[], status: number, refused = 403): Record<Role, number> =>
  Object.fromEntries(ROLES.map((r) => [r, allowed.includes(r) ? status : refused])) as Record<Role, number>;

let h: Harness;
let base = '';
/** Made once: things every caller may read. */
const shared = {} as {
  order: { id: string; number: string; trackingUrl: string; customerId: string };
  bystander: { id: string; tokenIds: string[] };
  webhook: string;
  workflowKey: string;
  notifications: Partial<Record<Role, number>>;
  feeds: Partial<Record<Role, string>>;
  feedFile: string;
  /** A customer-visible file on `order`. */
  file: string;
};

const post = async <T = Record<string, unknown>>(role: Role, path: string, body: unknown = {}): Promise<T> => {
  const res = await h.as(role).post(path, body);
  expect(res.statusCode, `${role} POST ${path}: ${res.body}`).toBeLessThan(300);
  return json<T>(res);
};

/** A fresh order for one caller, moved to `stage` (by a manager's skip when it is further than the next one). */
async function orderIn(stage = 'received', extra: Record<string, unknown> = {}) {
  const order = await post<{ id: string; number: string; trackingUrl: string; customerId: string }>(
    'sales',
    '/orders',
    newOrder({ title: `Fixture for ${stage}`, ...extra }),
  );
  if (stage !== 'received') await post('manager', `/orders/${order.number}/transitions`, { to: stage, reason: 'fixture' });
  return order;
}

const tokenOf = (o: { trackingUrl: string }) => o.trackingUrl.replace('/track/', '');
let unique = 0;
const next = () => ++unique;

/** A fresh invite, its id and the token of its link. */
async function inviteOne(): Promise<{ id: string; token: string }> {
  const [item] = (
    await post<{ items: Array<{ id: string; link: string }> }>('admin', '/invites', {
      invites: [{ email: `invitee-${next()}@shop.example`, role: 'viewer' }],
    })
  ).items;
  return { id: item!.id, token: item!.link.split('/invite/')[1]! };
}

/** A one-order spreadsheet, a new reference each time, so each import creates an order of its own. */
const importBody = () => {
  const n = next();
  return {
    workflow: 'custom-apparel',
    source: 'csv',
    fileName: `orders-${n}.csv`,
    content: `Reference,Title,Customer,Status,Garment,Qty\nOLD-${n},Caps ${n},Harbour FC,Order received,Cap,12\n`,
    mapping: {
      reference: 'Reference',
      title: 'Title',
      customerName: 'Customer',
      stage: 'Status',
      fields: { garment: 'Garment', quantity: 'Qty' },
    },
  };
};
const importOne = () => post<{ id: string }>('manager', '/imports', importBody());

/** Attaches a picture to `order` as sales, visible to the customer: its id. */
async function fileOn(order: string): Promise<string> {
  const { payload, headers } = multipartBody({ file: { name: 'proof.png', bytes: PNG }, kind: 'proof', visibility: 'customer' });
  const res = await h.as('sales').post(`/orders/${order}/files`, payload, headers);
  expect(res.statusCode, res.body).toBe(201);
  return json<{ id: string }>(res).id;
}

const workflowDef = (key: string, name: string) => ({
  key,
  name,
  orderPrefix: 'PRM',
  stages: [
    { key: 'received', label: 'Received', ownerRole: 'sales', nextAction: 'Check it' },
    { key: 'done', label: 'Done', ownerRole: 'fulfillment', nextAction: 'Nothing' },
  ],
  fields: [],
});

const ROUTES: Record<string, Entry> = {
  'GET /healthz': { call: () => ({ url: '/healthz' }), roles: everyone(200), anonymous: 200 },

  // ---- orders
  'POST /api/v1/orders': {
    call: () => ({ url: '/api/v1/orders', body: newOrder({ fields: { garment: 'Cap', quantity: 5 } }) }),
    roles: only(EDITORS, 201),
  },
  'GET /api/v1/orders': { call: () => ({ url: '/api/v1/orders?limit=5' }), roles: everyone(200) },
  'GET /api/v1/orders/{id}': { call: () => ({ url: `/api/v1/orders/${shared.order.number}` }), roles: everyone(200) },
  'PATCH /api/v1/orders/{id}': {
    call: (c) => ({ url: `/api/v1/orders/${shared.order.number}`, body: { title: `Edited by ${c}` } }),
    roles: only(EDITORS, 200),
  },
  'POST /api/v1/orders/{id}/transitions': {
    // Out of "Order received", which sales owns.
    call: async () => ({ url: `/api/v1/orders/${(await orderIn()).number}/transitions`, body: { to: 'proof_approval' } }),
    roles: only(['sales', 'manager', 'admin'], 200),
  },
  'POST /api/v1/orders/{id}/hold': {
    call: async () => ({ url: `/api/v1/orders/${(await orderIn()).number}/hold`, body: { reason: 'Waiting for the customer' } }),
    roles: only(['sales', 'manager', 'admin'], 200),
  },
  'POST /api/v1/orders/{id}/resume': {
    call: async () => {
      const o = await orderIn();
      await post('manager', `/orders/${o.number}/hold`, { reason: 'Waiting' });
      return { url: `/api/v1/orders/${o.number}/resume` };
    },
    roles: only(['sales', 'manager', 'admin'], 200),
  },
  'POST /api/v1/orders/{id}/cancel': {
    call: async () => ({ url: `/api/v1/orders/${(await orderIn()).number}/cancel`, body: { reason: 'Customer cancelled' } }),
    roles: only(['sales', 'manager', 'admin'], 200),
  },
  'POST /api/v1/orders/{id}/comments': {
    call: () => ({ url: `/api/v1/orders/${shared.order.number}/comments`, body: { body: 'A note' } }),
    roles: { ...everyone(201), viewer: 403 },
  },
  'GET /api/v1/orders/{id}/events': {
    call: () => ({ url: `/api/v1/orders/${shared.order.number}/events` }),
    roles: everyone(200),
  },
  'GET /api/v1/orders/{id}/traveller.pdf': {
    call: () => ({ url: `/api/v1/orders/${shared.order.number}/traveller.pdf` }),
    roles: everyone(200),
  },
  'POST /api/v1/stations': {
    call: () => ({ url: '/api/v1/stations', body: { name: `Station ${next()}`, idleSeconds: 300 } }),
    roles: only(['admin'], 201),
  },
  'GET /api/v1/stations': { call: () => ({ url: '/api/v1/stations' }), roles: only(['admin'], 200) },
  'DELETE /api/v1/stations/{id}': {
    call: async () => ({
      url: `/api/v1/stations/${(await post<{ id: string }>('admin', '/stations', { name: `Station ${next()}`, idleSeconds: 300 })).id}`,
    }),
    roles: only(['admin'], 200),
  },
  // The tablet's routes answer to the station's token, never to a person's credentials: without one, refused alike.
  'POST /api/v1/station/pair': {
    call: () => ({ url: '/api/v1/station/pair', body: { token: 'A'.repeat(43) } }),
    roles: everyone(401),
    anonymous: 401,
  },
  'GET /api/v1/station/people': { call: () => ({ url: '/api/v1/station/people' }), roles: everyone(401), anonymous: 401 },
  'POST /api/v1/station/switch': {
    call: () => ({ url: '/api/v1/station/switch', body: { userId: shared.bystander.id, pin: '2580' } }),
    roles: everyone(401),
    anonymous: 401,
  },
  'POST /api/v1/station/sign-out': { call: () => ({ url: '/api/v1/station/sign-out' }), roles: everyone(204), anonymous: 204 },
  'GET /api/v1/auth/pin': { call: () => ({ url: '/api/v1/auth/pin' }), roles: everyone(200) },
  'PUT /api/v1/auth/pin': {
    // The current password is wrong on purpose: open to everyone signed in, and it changes nothing.
    call: () => ({ url: '/api/v1/auth/pin', body: { currentPassword: 'not the password', pin: '2580' } }),
    roles: everyone(400),
  },
  'POST /api/v1/travellers.pdf': {
    call: () => ({ url: '/api/v1/travellers.pdf', body: { orders: [shared.order.number] } }),
    roles: everyone(200),
  },
  'GET /api/v1/orders/{id}/customer-updates': {
    call: () => ({ url: `/api/v1/orders/${shared.order.number}/customer-updates` }),
    roles: everyone(200),
  },
  'PUT /api/v1/orders/{id}/customer-updates': {
    call: () => ({ url: `/api/v1/orders/${shared.order.number}/customer-updates`, body: { email: true } }),
    roles: only(EDITORS, 200),
  },
  'GET /api/v1/orders/{id}/tracking': {
    call: () => ({ url: `/api/v1/orders/${shared.order.number}/tracking` }),
    roles: everyone(200),
  },
  'PUT /api/v1/orders/{id}/tracking': {
    call: async () => ({ url: `/api/v1/orders/${(await orderIn()).number}/tracking`, body: { enabled: false } }),
    roles: only(EDITORS, 200),
  },
  'POST /api/v1/orders/{id}/tracking/rotate': {
    call: async () => ({ url: `/api/v1/orders/${(await orderIn()).number}/tracking/rotate` }),
    roles: only(EDITORS, 200),
  },
  'POST /api/v1/finance/invoiced': {
    call: async () => ({
      url: '/api/v1/finance/invoiced',
      body: { orders: [(await orderIn('shipped')).number], reference: 'INV-2' },
    }),
    roles: only(FINANCE, 201),
  },
  'POST /api/v1/orders/{id}/invoiced': {
    call: async () => ({ url: `/api/v1/orders/${(await orderIn('shipped')).number}/invoiced`, body: { reference: 'INV-1' } }),
    roles: only(FINANCE, 201),
  },

  // ---- files on orders: read with the order; attached by all but viewers; what the customer sees, by editors
  'POST /api/v1/orders/{id}/files': {
    call: () => {
      const { payload, headers } = multipartBody({ file: { name: 'photo.png', bytes: PNG }, kind: 'photo' });
      return { url: `/api/v1/orders/${shared.order.number}/files`, body: payload, headers };
    },
    roles: { ...everyone(201), viewer: 403 },
  },
  'GET /api/v1/orders/{id}/files': { call: () => ({ url: `/api/v1/orders/${shared.order.number}/files` }), roles: everyone(200) },
  'PATCH /api/v1/orders/{id}/files/{fileId}': {
    call: () => ({ url: `/api/v1/orders/${shared.order.number}/files/${shared.file}`, body: { visibility: 'customer' } }),
    roles: only(EDITORS, 200),
  },
  'DELETE /api/v1/orders/{id}/files/{fileId}': {
    // Sales attached it: the editors may remove it, the others only files they attached themselves.
    call: async () => ({ url: `/api/v1/orders/${shared.order.number}/files/${await fileOn(shared.order.number)}` }),
    roles: only(EDITORS, 200),
  },
  'GET /api/v1/files/{fileId}': { call: () => ({ url: `/api/v1/files/${shared.file}` }), roles: everyone(200) },
  'GET /api/v1/track/{token}/files/{fileId}': {
    call: () => ({ url: `/api/v1/track/${tokenOf(shared.order)}/files/${shared.file}` }),
    roles: everyone(200),
    anonymous: 200,
  },

  // ---- the customer's tracking link: public, bound to the token
  'GET /api/v1/track/{token}': {
    call: () => ({ url: `/api/v1/track/${tokenOf(shared.order)}` }),
    roles: everyone(200),
    anonymous: 200,
  },
  'GET /api/v1/track/{token}/stream': {
    call: () => ({ url: `/api/v1/track/${tokenOf(shared.order)}/stream` }),
    roles: everyone(200),
    anonymous: 200,
    stream: true,
  },
  'POST /api/v1/track/{token}/approve': {
    call: async () => {
      const o = await orderIn('received', {
        fields: { ...(newOrder().fields as object), proof_url: 'https://proofs.example/p.pdf' },
      });
      await post('sales', `/orders/${o.number}/transitions`, { to: 'proof_approval' });
      return { url: `/api/v1/track/${tokenOf(o)}/approve` };
    },
    roles: everyone(200),
    anonymous: 200,
  },
  'POST /api/v1/track/{token}/request-changes': {
    call: async () => {
      const o = await orderIn('received', {
        fields: { ...(newOrder().fields as object), proof_url: 'https://proofs.example/p.pdf' },
      });
      await post('sales', `/orders/${o.number}/transitions`, { to: 'proof_approval' });
      return { url: `/api/v1/track/${tokenOf(o)}/request-changes`, body: { message: 'Bigger crest, please' } };
    },
    roles: everyone(200),
    anonymous: 200,
  },

  // ---- workflows and the board
  'GET /api/v1/workflows': { call: () => ({ url: '/api/v1/workflows' }), roles: everyone(200) },
  'POST /api/v1/workflows': {
    call: () => ({ url: '/api/v1/workflows', body: workflowDef(`perm-${next()}`, 'Permissions') }),
    roles: only(['admin'], 201),
  },
  'GET /api/v1/workflows/{key}': { call: () => ({ url: '/api/v1/workflows/custom-apparel' }), roles: everyone(200) },
  'PUT /api/v1/workflows/{key}': {
    call: (c) => ({ url: `/api/v1/workflows/${shared.workflowKey}`, body: workflowDef(shared.workflowKey, `Revised by ${c}`) }),
    roles: only(['admin'], 200),
  },
  'GET /api/v1/board': { call: () => ({ url: '/api/v1/board?workflow=custom-apparel' }), roles: everyone(200) },
  'GET /api/v1/stream': { call: () => ({ url: '/api/v1/stream' }), roles: everyone(200), stream: true },
  'GET /api/v1/alerts': { call: () => ({ url: '/api/v1/alerts' }), roles: everyone(200) },

  // ---- signing in, people and tokens
  'POST /api/v1/auth/login': {
    call: (c) => ({ url: '/api/v1/auth/login', body: { email: emailOf(c === 'anonymous' ? 'viewer' : c), password: PASSWORD } }),
    roles: everyone(200),
    anonymous: 200,
  },
  'POST /api/v1/auth/logout': { call: () => ({ url: '/api/v1/auth/logout' }), roles: everyone(204), anonymous: 204 },
  'GET /api/v1/auth/me': { call: () => ({ url: '/api/v1/auth/me' }), roles: everyone(200) },
  'GET /api/v1/auth/session': { call: () => ({ url: '/api/v1/auth/session' }), roles: everyone(200), anonymous: 200 },
  // ---- first run and invites: setup is public and closed once anyone exists; invite links are public
  'GET /api/v1/setup': { call: () => ({ url: '/api/v1/setup' }), roles: everyone(200), anonymous: 200 },
  'POST /api/v1/setup': {
    call: (c) => ({
      url: '/api/v1/setup',
      body: {
        admin: { name: 'Mallory', email: `mallory-${c}@evil.example`, password: 'take it over now' },
        shopName: 'Not this shop',
        calendar: { timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], dayStart: '09:00', dayEnd: '17:00' },
        template: 'blank',
      },
    }),
    roles: everyone(409),
    anonymous: 409,
  },
  'POST /api/v1/invites': {
    call: () => ({ url: '/api/v1/invites', body: { invites: [{ email: `invitee-${next()}@shop.example`, role: 'viewer' }] } }),
    roles: only(['admin'], 201),
  },
  'GET /api/v1/invites': { call: () => ({ url: '/api/v1/invites' }), roles: only(['admin'], 200) },
  'DELETE /api/v1/invites/{id}': {
    call: async () => ({ url: `/api/v1/invites/${(await inviteOne()).id}` }),
    roles: only(['admin'], 200),
  },
  'GET /api/v1/invites/{token}': {
    call: async () => ({ url: `/api/v1/invites/${(await inviteOne()).token}` }),
    roles: everyone(200),
    anonymous: 200,
  },
  'POST /api/v1/invites/{token}/accept': {
    call: async () => ({
      url: `/api/v1/invites/${(await inviteOne()).token}/accept`,
      body: { name: 'Invited person', password: 'my own password' },
    }),
    roles: everyone(201),
    anonymous: 201,
  },

  // ---- imports (admins and managers)
  'POST /api/v1/imports': {
    call: () => ({ url: '/api/v1/imports', body: importBody() }),
    roles: only(['admin', 'manager'], 201),
  },
  'GET /api/v1/imports': { call: () => ({ url: '/api/v1/imports' }), roles: only(['admin', 'manager'], 200) },
  'GET /api/v1/imports/{id}': {
    call: async () => ({ url: `/api/v1/imports/${(await importOne()).id}` }),
    roles: only(['admin', 'manager'], 200),
  },
  'POST /api/v1/imports/{id}/undo': {
    call: async () => ({ url: `/api/v1/imports/${(await importOne()).id}/undo`, body: { reason: 'Wrong file' } }),
    roles: only(['admin', 'manager'], 200),
  },

  'GET /api/v1/users': { call: () => ({ url: '/api/v1/users' }), roles: only(['admin'], 200) },
  'POST /api/v1/users': {
    call: () => ({
      url: '/api/v1/users',
      body: { email: `new-${next()}@test.floorboard.test`, name: 'New', role: 'viewer', password: PASSWORD },
    }),
    roles: only(['admin'], 201),
  },
  'GET /api/v1/users/{id}': { call: () => ({ url: `/api/v1/users/${shared.bystander.id}` }), roles: only(['admin'], 200) },
  'PATCH /api/v1/users/{id}': {
    call: () => ({ url: `/api/v1/users/${shared.bystander.id}`, body: { name: `Renamed ${next()}` } }),
    roles: only(['admin'], 200),
  },
  'POST /api/v1/users/{id}/password-reset': {
    call: () => ({ url: `/api/v1/users/${shared.bystander.id}/password-reset` }),
    roles: only(['admin'], 200),
  },
  // ---- one's own sign-in: a person's own password and two-factor settings; links and the second step are public
  'POST /api/v1/auth/login/second-step': {
    // A second step nobody started: refused alike, signed in or not.
    call: () => ({ url: '/api/v1/auth/login/second-step', body: { challenge: 'A'.repeat(43), code: '123456' } }),
    roles: everyone(401),
    anonymous: 401,
  },
  'POST /api/v1/auth/password': {
    // The current password is wrong on purpose: the route is open to everyone signed in, and it changes nothing.
    call: () => ({ url: '/api/v1/auth/password', body: { currentPassword: 'not the password', newPassword: 'another one' } }),
    roles: everyone(400),
  },
  'POST /api/v1/auth/password-reset': {
    call: () => ({ url: '/api/v1/auth/password-reset', body: { email: `nobody-${next()}@shop.example` } }),
    roles: everyone(202),
    anonymous: 202,
  },
  'GET /api/v1/auth/password-reset/{token}': {
    call: () => ({ url: `/api/v1/auth/password-reset/${'A'.repeat(43)}` }),
    roles: everyone(404),
    anonymous: 404,
  },
  'POST /api/v1/auth/password-reset/{token}': {
    call: () => ({ url: `/api/v1/auth/password-reset/${'A'.repeat(43)}`, body: { password: 'a new password' } }),
    roles: everyone(404),
    anonymous: 404,
  },
  'GET /api/v1/auth/two-factor': { call: () => ({ url: '/api/v1/auth/two-factor' }), roles: everyone(200) },
  'POST /api/v1/auth/two-factor/setup': {
    call: () => ({ url: '/api/v1/auth/two-factor/setup', body: { password: PASSWORD } }),
    roles: everyone(200),
  },
  'POST /api/v1/auth/two-factor/confirm': {
    // After a setup just above: a wrong code is refused as such.
    call: () => ({ url: '/api/v1/auth/two-factor/confirm', body: { code: '000000' } }),
    roles: everyone(400),
  },
  'POST /api/v1/auth/two-factor/disable': {
    call: () => ({ url: '/api/v1/auth/two-factor/disable', body: { password: PASSWORD } }),
    roles: everyone(204),
  },
  'POST /api/v1/auth/two-factor/recovery-codes': {
    // Two-factor sign-in is off for the test users: nothing to renew.
    call: () => ({ url: '/api/v1/auth/two-factor/recovery-codes', body: { password: PASSWORD } }),
    roles: everyone(409),
  },
  'GET /api/v1/tokens': { call: () => ({ url: '/api/v1/tokens' }), roles: everyone(200) },
  'POST /api/v1/tokens': { call: () => ({ url: '/api/v1/tokens', body: { label: 'mine' } }), roles: everyone(201) },
  'DELETE /api/v1/tokens/{id}': {
    // Somebody else's token: only an admin may revoke it.
    call: () => ({ url: `/api/v1/tokens/${shared.bystander.tokenIds.pop()}` }),
    roles: only(['admin'], 200),
  },

  // ---- audit
  'GET /api/v1/audit/verify': { call: () => ({ url: '/api/v1/audit/verify' }), roles: only(['admin'], 200) },
  'GET /api/v1/audit/sign-ins': { call: () => ({ url: '/api/v1/audit/sign-ins' }), roles: only(['admin'], 200) },

  // ---- notifications: everyone has their own
  'GET /api/v1/notifications': { call: () => ({ url: '/api/v1/notifications' }), roles: everyone(200) },
  'GET /api/v1/notifications/unread-count': { call: () => ({ url: '/api/v1/notifications/unread-count' }), roles: everyone(200) },
  'POST /api/v1/notifications/{id}/read': {
    call: (c) => ({ url: `/api/v1/notifications/${c === 'anonymous' ? 1 : shared.notifications[c]}/read` }),
    roles: everyone(200),
  },
  'POST /api/v1/notifications/read-all': { call: () => ({ url: '/api/v1/notifications/read-all' }), roles: everyone(200) },
  'GET /api/v1/notifications/preferences': { call: () => ({ url: '/api/v1/notifications/preferences' }), roles: everyone(200) },
  'PUT /api/v1/notifications/preferences': {
    call: () => ({ url: '/api/v1/notifications/preferences', body: { emailKinds: ['escalated'] } }),
    roles: everyone(200),
  },

  // ---- webhooks and settings: admin
  'GET /api/v1/webhooks': { call: () => ({ url: '/api/v1/webhooks' }), roles: only(['admin'], 200) },
  'POST /api/v1/webhooks': {
    call: () => ({ url: '/api/v1/webhooks', body: { url: 'http://127.0.0.1:9/hooks', eventTypes: ['order.created'] } }),
    roles: only(['admin'], 201),
  },
  'GET /api/v1/webhooks/event-types': { call: () => ({ url: '/api/v1/webhooks/event-types' }), roles: everyone(200) },
  'GET /api/v1/webhooks/{id}': { call: () => ({ url: `/api/v1/webhooks/${shared.webhook}` }), roles: only(['admin'], 200) },
  'PATCH /api/v1/webhooks/{id}': {
    call: () => ({ url: `/api/v1/webhooks/${shared.webhook}`, body: { description: 'changed' } }),
    roles: only(['admin'], 200),
  },
  'DELETE /api/v1/webhooks/{id}': {
    call: async () => {
      const hook = await post<{ id: string }>('admin', '/webhooks', {
        url: 'http://127.0.0.1:9/gone',
        eventTypes: ['order.created'],
      });
      return { url: `/api/v1/webhooks/${hook.id}` };
    },
    roles: only(['admin'], 204),
  },
  'POST /api/v1/webhooks/{id}/rotate-secret': {
    call: () => ({ url: `/api/v1/webhooks/${shared.webhook}/rotate-secret` }),
    roles: only(['admin'], 200),
  },
  'GET /api/v1/webhooks/{id}/deliveries': {
    call: () => ({ url: `/api/v1/webhooks/${shared.webhook}/deliveries` }),
    roles: only(['admin'], 200),
  },
  'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/resend': {
    // No such delivery: an admin hears 404, everyone else is refused before that is looked at.
    call: () => ({ url: `/api/v1/webhooks/${shared.webhook}/deliveries/999999/resend` }),
    roles: only(['admin'], 404),
  },
  'POST /api/v1/webhooks/{id}/resend-failed': {
    call: () => ({ url: `/api/v1/webhooks/${shared.webhook}/resend-failed` }),
    roles: only(['admin'], 200),
  },
  'GET /api/v1/settings': { call: () => ({ url: '/api/v1/settings' }), roles: only(['admin'], 200) },
  'PUT /api/v1/settings': { call: () => ({ url: '/api/v1/settings', body: { dueSoonDays: 2 } }), roles: only(['admin'], 200) },
  'GET /api/v1/settings/holidays': { call: () => ({ url: '/api/v1/settings/holidays' }), roles: only(['admin'], 200) },
  'GET /api/v1/settings/holidays/{country}': {
    call: () => ({ url: '/api/v1/settings/holidays/GB?year=2026' }),
    roles: only(['admin'], 200),
  },
  'POST /api/v1/settings/email/test': {
    // No SMTP server is set in this workspace: an admin hears so (400), everyone else is refused before that.
    call: () => ({ url: '/api/v1/settings/email/test', body: { to: 'owner@print.example' } }),
    roles: only(['admin'], 400),
  },

  // ---- customers: everyone reads them (orders show their customer to every role); those who take orders change them
  'GET /api/v1/customers': { call: () => ({ url: '/api/v1/customers?q=harbour' }), roles: everyone(200) },
  'POST /api/v1/customers': {
    call: (caller) => ({ url: '/api/v1/customers', body: { name: `Customer of ${caller} ${next()}` } }),
    roles: only(EDITORS, 201),
  },
  'GET /api/v1/customers/{id}': {
    call: () => ({ url: `/api/v1/customers/${shared.order.customerId}` }),
    roles: everyone(200),
  },
  'PATCH /api/v1/customers/{id}': {
    call: () => ({ url: `/api/v1/customers/${shared.order.customerId}`, body: { notes: `Note ${next()}` } }),
    roles: only(EDITORS, 200),
  },
  'GET /api/v1/customers/{id}/orders': {
    call: () => ({ url: `/api/v1/customers/${shared.order.customerId}/orders?status=open` }),
    roles: everyone(200),
  },
  'POST /api/v1/customers/{id}/merge': {
    // Each caller allowed merges a fresh pair (a record merged away cannot be merged again); the others are refused
    // before any record is looked at.
    call: async (caller) => {
      if (caller === 'anonymous' || !EDITORS.includes(caller)) {
        return { url: `/api/v1/customers/${shared.order.customerId}/merge`, body: { from: shared.order.customerId } };
      }
      const [into, from] = await Promise.all(
        [1, 2].map(() => post<{ id: string }>('sales', '/customers', { name: `Merge ${caller} ${next()}` })),
      );
      return { url: `/api/v1/customers/${into!.id}/merge`, body: { from: from!.id } };
    },
    roles: only(EDITORS, 200),
  },

  // ---- reports and forecasts: everyone signed in
  ...Object.fromEntries(
    ['throughput', 'lead-time', 'stage-times', 'flow', 'wip', 'on-time', 'rework'].flatMap((r) => [
      [
        `GET /api/v1/reports/${r}`,
        { call: () => ({ url: `/api/v1/reports/${r}?workflow=custom-apparel` }), roles: everyone(200) },
      ],
      [
        `GET /api/v1/reports/${r}.csv`,
        { call: () => ({ url: `/api/v1/reports/${r}.csv?workflow=custom-apparel` }), roles: everyone(200) },
      ],
    ]),
  ),
  'GET /api/v1/reports/customers': {
    call: () => ({ url: '/api/v1/reports/customers?workflow=custom-apparel' }),
    roles: everyone(200),
  },
  'GET /api/v1/forecast/quote': { call: () => ({ url: '/api/v1/forecast/quote?workflow=custom-apparel' }), roles: everyone(200) },
  'GET /api/v1/forecast/capacity': {
    call: () => ({ url: '/api/v1/forecast/capacity?workflow=custom-apparel' }),
    roles: everyone(200),
  },
  'GET /api/v1/forecast/capacity.csv': {
    call: () => ({ url: '/api/v1/forecast/capacity.csv?workflow=custom-apparel' }),
    roles: everyone(200),
  },

  // ---- finance: amounts only for finance, managers and admins
  'GET /api/v1/finance/ready-to-invoice': {
    call: () => ({ url: '/api/v1/finance/ready-to-invoice' }),
    roles: only(FINANCE, 200),
  },
  'GET /api/v1/finance/ready-to-invoice.csv': {
    call: () => ({ url: '/api/v1/finance/ready-to-invoice.csv' }),
    roles: only(FINANCE, 200),
  },

  // ---- export and calendar feeds
  'GET /api/v1/export/orders.csv': { call: () => ({ url: '/api/v1/export/orders.csv' }), roles: everyone(200) },
  'GET /api/v1/export/orders.json': { call: () => ({ url: '/api/v1/export/orders.json' }), roles: everyone(200) },
  'GET /api/v1/export/events.csv': { call: () => ({ url: '/api/v1/export/events.csv' }), roles: everyone(200) },
  'GET /api/v1/export/events.json': { call: () => ({ url: '/api/v1/export/events.json' }), roles: everyone(200) },
  'POST /api/v1/calendar-feeds': { call: () => ({ url: '/api/v1/calendar-feeds', body: {} }), roles: everyone(201) },
  'GET /api/v1/calendar-feeds': { call: () => ({ url: '/api/v1/calendar-feeds' }), roles: everyone(200) },
  'DELETE /api/v1/calendar-feeds/{id}': {
    call: (c) => ({ url: `/api/v1/calendar-feeds/${c === 'anonymous' ? 'none' : shared.feeds[c]}` }),
    roles: everyone(204),
  },
  'GET /api/v1/calendar/{file}': {
    call: () => ({ url: `/api/v1/calendar/${shared.feedFile}` }),
    roles: everyone(200),
    anonymous: 200,
  },
};

/** `/api/v1/orders/{id}` for a route Fastify registered as `/api/v1/orders/:id`. */
interface OpenApiDoc {
  paths: Record<string, Record<string, unknown>>;
}

let documented: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  await h.server.listen({ port: 0, host: '127.0.0.1' });
  const address = h.server.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const doc = json<OpenApiDoc>(await h.as(null).get('/openapi.json'));
  documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));

  expect((await h.as('admin').put('/settings', { webhooks: { allowPrivateNetworks: true } })).statusCode).toBe(200);
  shared.order = await orderIn();
  shared.file = await fileOn(shared.order.number);
  shared.workflowKey = 'perm-revised';
  await post('admin', '/workflows', workflowDef(shared.workflowKey, 'To revise'));
  const bystander = await post<{ id: string }>('admin', '/users', {
    email: 'bystander@test.floorboard.test',
    name: 'Bystander',
    role: 'viewer',
    password: PASSWORD,
  });
  const tokenIds: string[] = [];
  for (const _ of CALLERS)
    tokenIds.push((await post<{ id: string }>('admin', '/tokens', { userId: bystander.id, label: 'x' })).id);
  shared.bystander = { id: bystander.id, tokenIds };
  shared.webhook = (
    await post<{ id: string }>('admin', '/webhooks', { url: 'http://127.0.0.1:9/hooks', eventTypes: ['order.created'] })
  ).id;
  shared.notifications = {};
  shared.feeds = {};
  for (const role of ROLES) {
    await insertNotifications(h.db.kysely, [
      {
        userId: h.userIds[role],
        kind: 'stage-entered',
        orderId: shared.order.id,
        orderNumber: shared.order.number,
        eventSeq: 1,
        title: 'For you',
        body: 'A notice',
        createdAt: h.clock.now().toISOString(),
      },
    ]);
    const mine = json<{ items: Array<{ id: number }> }>(await h.as(role).get('/notifications')).items;
    shared.notifications[role] = mine[0]!.id;
    shared.feeds[role] = (await post<{ id: string }>(role, '/calendar-feeds', {})).id;
  }
  const feed = await post<{ url: string }>('viewer', '/calendar-feeds', {});
  shared.feedFile = feed.url.split('/').pop()!;
});
afterAll(() => h.close());

/** Calls the route as one caller, each from an address of its own (sign-in and tracking replies are limited per address). */
async function statusOf(method: string, entry: Entry, caller: Caller, index: number): Promise<number> {
  const { url, body, headers } = await entry.call(caller);
  const auth: Record<string, string> = caller === 'anonymous' ? {} : { authorization: `Bearer ${h.tokens[caller]}` };
  if (entry.stream) {
    const controller = new AbortController();
    const res = await fetch(`${base}${url}`, { headers: auth, signal: controller.signal });
    controller.abort();
    return res.status;
  }
  const res = await h.server.inject({
    method: method as 'GET',
    url,
    headers: { ...auth, ...headers },
    remoteAddress: `10.77.${index}.${next() % 250}`,
    ...(body === undefined ? {} : { payload: body as object }),
  });
  return res.statusCode;
}

describe('the route × role table', () => {
  it('has an entry for every route in the OpenAPI document, and none for routes that are gone', () => {
    expect(documented.length).toBeGreaterThan(50);
    const missing = documented.filter((r) => !(r in ROUTES));
    const stale = Object.keys(ROUTES).filter((r) => !documented.includes(r));
    expect(missing, 'routes without an entry in permissions.test.ts: decide who may call them and add them').toEqual([]);
    expect(stale, 'entries for routes the server no longer has').toEqual([]);
  });

  it('answers every route, for every role and for nobody, with the status the Roles table gives', async () => {
    const wrong: string[] = [];
    for (const route of documented) {
      const entry = ROUTES[route];
      if (!entry) continue;
      const method = route.split(' ')[0]!;
      for (const [index, caller] of CALLERS.entries()) {
        const expected = caller === 'anonymous' ? (entry.anonymous ?? 401) : entry.roles[caller];
        const got = await statusOf(method, entry, caller, index);
        if (got !== expected) wrong.push(`${route} as ${caller}: expected ${expected}, got ${got}`);
      }
    }
    expect(wrong).toEqual([]);
    // Hundreds of calls, some checking a password (scrypt): more than the default 30 s on a busy machine.
  }, 180_000);
});
