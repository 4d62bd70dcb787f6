// Bad input never gets a 500 or a stack trace: every refusal is problem+json with the type API.md names, and nothing is written.
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, newOrder, startHarness, writeCounts } from '../support/harness.ts';

/** What a leaked stack trace looks like: frames, file positions, installed packages. */
const STACK_TRACE = /\bat \S+ \(|node_modules\/|\.[cm]?[jt]s:\d+:\d+/;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A request as a client would send it, body and content type exactly as given. */
function send(
  method: Method,
  path: string,
  payload?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return h.server.inject({
    method,
    url: `/api/v1${path}`,
    headers: {
      authorization: `Bearer ${h.tokens.admin}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(payload === undefined ? {} : { payload }),
  });
}

/** Checks what every refusal must be: problem+json, a string type and detail, no stack trace. */
function expectCleanProblem(res: LightMyRequestResponse): Record<string, unknown> {
  expect(res.headers['content-type'], res.body).toMatch(/^application\/problem\+json/);
  expect(res.body).not.toMatch(STACK_TRACE);
  const body = json(res);
  expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  expect(body.status).toBe(res.statusCode);
  return body;
}

/** Sends, expects the refusal `type` with `status`, and checks that no row anywhere changed. */
async function refused(
  request: () => Promise<LightMyRequestResponse>,
  status: number,
  type: string,
): Promise<Record<string, unknown>> {
  const before = await writeCounts(h.db);
  const res = await request();
  expect(res.statusCode, res.body).toBe(status);
  const body = expectCleanProblem(res);
  expect(body.type).toBe(type);
  expect(await writeCounts(h.db)).toEqual(before);
  return body;
}

const invalid = (request: () => Promise<LightMyRequestResponse>) => refused(request, 400, 'validation-failed');

/** The paths a validation problem names, e.g. `body.customer.name`. */
const errorPaths = (body: Record<string, unknown>) => (body.errors as Array<{ path: string }>).map((e) => e.path);

async function created(overrides: Record<string, unknown> = {}) {
  const res = await h.as('admin').post('/orders', newOrder(overrides));
  expect(res.statusCode, res.body).toBe(201);
  return json<{ id: string; number: string; version: number }>(res);
}

const body = (value: unknown) => JSON.stringify(value);

describe('bodies that are not the JSON object a route expects', () => {
  it('refuses a body that is not valid JSON', async () => {
    const detail = (await invalid(() => send('POST', '/orders', '{"workflow": "custom-apparel", "title":'))).detail;
    expect(detail).toBe('The body is not valid JSON');
    await invalid(() => send('POST', '/orders', "{'workflow': 'custom-apparel'}"));
    await invalid(() => send('PATCH', '/orders/ORD-1001', '{"title": "x",}'));
  });

  it('refuses an empty body announced as JSON', async () => {
    await invalid(() => send('POST', '/orders', ''));
  });

  it('refuses JSON that tries to reach the object prototype', async () => {
    await invalid(() => send('POST', '/orders', '{"__proto__": {"admin": true}, "title": "x"}'));
    await invalid(() => send('POST', '/orders', body(newOrder()).replace('"fields":{', '"fields":{"__proto__":{"x":1},')));
  });

  it('refuses an array, a string, a number or null where an object is expected', async () => {
    for (const payload of ['[]', '"an order"', '42', 'null', 'true']) {
      await invalid(() => send('POST', '/orders', payload));
      await invalid(() => send('POST', '/workflows', payload));
    }
  });

  it('refuses a form post or a body with no content type as unsupported-media-type', async () => {
    await refused(
      () => send('POST', '/orders', 'workflow=custom-apparel&title=x', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'unsupported-media-type',
    );
    await refused(
      () =>
        h.server.inject({
          method: 'POST',
          url: '/api/v1/orders',
          headers: { authorization: `Bearer ${h.tokens.admin}` },
          payload: Buffer.from(body(newOrder())),
        }),
      415,
      'unsupported-media-type',
    );
  });
});

describe('wrong types and unknown members', () => {
  it('names the member that has the wrong type', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ title: 42 }, 'body.title'],
      [{ customer: 'Harbour FC' }, 'body.customer'],
      [{ customer: { name: ['Harbour FC'] } }, 'body.customer.name'],
      [{ priority: 'urgent' }, 'body.priority'],
      [{ dueDate: 20261218 }, 'body.dueDate'],
      [{ items: [{ description: 'Navy hoodie', quantity: '20' }] }, 'body.items.0.quantity'],
      [{ items: [{ description: 'Navy hoodie', quantity: 0 }] }, 'body.items.0.quantity'],
      [{ fields: { quantity: { value: 40 } } }, 'body.fields.quantity'],
      [{ workflow: 7 }, 'body.workflow'],
    ];
    for (const [overrides, path] of cases) {
      const problem = await invalid(() => send('POST', '/orders', body(newOrder(overrides))));
      expect(errorPaths(problem), path).toContain(path);
    }
    const order = await created();
    await invalid(() => send('POST', `/orders/${order.number}/transitions`, body({ to: 5 })));
    await invalid(() => send('POST', `/orders/${order.number}/hold`, body({ reason: { text: 'why' } })));
    await invalid(() => send('POST', `/orders/${order.number}/comments`, body({ body: ['hi'] })));
    await invalid(() => send('PATCH', `/orders/${order.number}`, body({ expectedVersion: '1' })));
    await invalid(() => send('POST', '/users', body({ email: 'x@y.example', name: 'X', role: 'boss', password: 'long enough' })));
    await invalid(() => send('POST', '/tokens', body({ label: 12 })));
  });

  it('refuses members no schema knows, at any depth', async () => {
    const order = await created();
    const problem = await invalid(() => send('POST', '/orders', body(newOrder({ colour: 'navy' }))));
    expect(problem.detail).toContain('colour');
    await invalid(() => send('POST', '/orders', body(newOrder({ customer: { name: 'Harbour FC', phone: '555' } }))));
    await invalid(() =>
      send('POST', '/orders', body(newOrder({ items: [{ description: 'Hoodie', quantity: 1, colour: 'navy' }] }))),
    );
    await invalid(() => send('POST', `/orders/${order.number}/transitions`, body({ to: 'proof_approval', force: true })));
    await invalid(() => send('PATCH', `/orders/${order.number}`, body({ state: 'completed' })));
    await invalid(() => send('PATCH', `/orders/${order.number}`, body({ version: 99 })));
    await invalid(() => send('POST', `/orders/${order.number}/cancel`, body({ reason: 'x', notify: false })));
    await invalid(() =>
      send('POST', '/users', body({ email: 'x@y.example', name: 'X', role: 'viewer', password: 'long enough', isAdmin: true })),
    );
    await invalid(() => send('POST', '/tokens', body({ label: 'ci', scope: 'everything' })));
  });

  it('refuses field values that do not fit the workflow, naming each field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ garment: 'Hoodie', quantity: 'forty' }, 'fields.quantity'],
      [{ garment: 'Kilt', quantity: 4 }, 'fields.garment'],
      [{ garment: 'Hoodie', quantity: 0 }, 'fields.quantity'],
      [{ garment: 'Hoodie', quantity: 4, unit_price: '12,50' }, 'fields.unit_price'],
      [{ garment: 'Hoodie', quantity: 4, unit_price: 12.5 }, 'fields.unit_price'],
      [{ garment: 'Hoodie', quantity: 4, artwork_url: 'javascript:alert(1)' }, 'fields.artwork_url'],
      [{ garment: 'Hoodie', quantity: 4, proof_approved: 'yes' }, 'fields.proof_approved'],
      [{ garment: 'Hoodie', quantity: 4, sleeve_length: 'long' }, 'fields.sleeve_length'],
      [{ quantity: 4 }, 'fields.garment'],
    ];
    for (const [fields, path] of cases) {
      const problem = await invalid(() => send('POST', '/orders', body(newOrder({ fields }))));
      expect(errorPaths(problem), path).toContain(path);
    }
  });

  it('refuses a workflow definition that cannot work', async () => {
    const stage = (key: string, extra: Record<string, unknown> = {}) => ({
      key,
      label: key,
      ownerRole: 'production',
      nextAction: 'Do the work',
      ...extra,
    });
    const wf = (extra: Record<string, unknown>) => ({
      key: 'broken',
      name: 'Broken',
      orderPrefix: 'BRK',
      stages: [stage('first'), stage('last')],
      ...extra,
    });
    for (const definition of [
      wf({ stages: [stage('only')] }),
      wf({ stages: [stage('Bad Key'), stage('last')] }),
      wf({ stages: [stage('same'), stage('same')] }),
      wf({ stages: [stage('first', { requires: ['nothing_here'] }), stage('last')] }),
      wf({ stages: [stage('first', { ownerRole: 'boss' }), stage('last')] }),
      wf({ stages: [stage('first', { stallAfterHours: -1 }), stage('last')] }),
      wf({ fields: [{ key: 'size', label: 'Size', type: 'select' }] }),
      wf({ fields: [{ key: 'size', label: 'Size', type: 'colour' }] }),
      wf({ fields: [{ key: 'n', label: 'N', type: 'number', min: 5, max: 1 }] }),
      wf({ orderPrefix: 'brk' }),
      wf({ key: 'Broken Workflow' }),
    ]) {
      await invalid(() => send('POST', '/workflows', body(definition)));
    }
    await invalid(() => send('PUT', '/workflows/custom-apparel', body(wf({}))));
  });
});

describe('sizes', () => {
  it('refuses text over its limit, naming the member', async () => {
    const order = await created();
    const cases: Array<[Method, string, unknown, string]> = [
      ['POST', '/orders', newOrder({ title: 'x'.repeat(201) }), 'body.title'],
      ['POST', '/orders', newOrder({ customer: { name: 'x'.repeat(201) } }), 'body.customer.name'],
      [
        'POST',
        '/orders',
        newOrder({ fields: { garment: 'Hoodie', quantity: 1, tracking_number: 'x'.repeat(10_001) } }),
        'body.fields.tracking_number',
      ],
      [
        'POST',
        '/orders',
        newOrder({ items: Array.from({ length: 501 }, () => ({ description: 'Hoodie', quantity: 1 })) }),
        'body.items',
      ],
      ['PATCH', `/orders/${order.number}`, { title: 'x'.repeat(201) }, 'body.title'],
      ['POST', `/orders/${order.number}/comments`, { body: 'x'.repeat(10_001) }, 'body.body'],
      ['POST', `/orders/${order.number}/hold`, { reason: 'x'.repeat(2001) }, 'body.reason'],
      ['POST', `/orders/${order.number}/transitions`, { to: 'x'.repeat(41) }, 'body.to'],
    ];
    for (const [method, path, payload, where] of cases) {
      const problem = await invalid(() => send(method, path, body(payload)));
      expect(errorPaths(problem), where).toContain(where);
    }
    const key = await invalid(() => send('POST', '/orders', body(newOrder()), { 'idempotency-key': 'k'.repeat(201) }));
    expect(errorPaths(key)).toContain('headers.idempotency-key');
  });

  it('says in plain words which field is wrong and why, in the detail and next to the field', async () => {
    const order = await created();
    const cases: Array<[Method, string, unknown, string, string]> = [
      ['POST', '/orders', newOrder({ title: 'x'.repeat(201) }), 'body.title', 'Title must be at most 200 characters'],
      ['PATCH', `/orders/${order.number}`, { title: 'x'.repeat(201) }, 'body.title', 'Title must be at most 200 characters'],
      ['POST', '/orders', newOrder({ customer: { name: '  ' } }), 'body.customer.name', 'Customer name must not be empty'],
      ['POST', '/orders', newOrder({ title: 42 }), 'body.title', 'Title must be text'],
      ['POST', '/orders', newOrder({ priority: 'asap' }), 'body.priority', 'Priority must be one of: low, normal, high, rush'],
      [
        'POST',
        '/orders',
        newOrder({ customer: { name: 'Acme', email: 'not-an-address' } }),
        'body.customer.email',
        'Customer e-mail must be an e-mail address like name@example.com',
      ],
    ];
    for (const [method, path, payload, where, words] of cases) {
      const problem = await invalid(() => send(method, path, body(payload)));
      expect(problem.detail, where).toBe(words);
      const errors = problem.errors as Array<{ path: string; message: string }>;
      expect(errors.find((e) => e.path === where)?.message, where).toBe(words);
    }
  });

  it('refuses an empty title or customer name, also when it is only spaces', async () => {
    await invalid(() => send('POST', '/orders', body(newOrder({ title: '' }))));
    await invalid(() => send('POST', '/orders', body(newOrder({ title: '   ' }))));
    await invalid(() => send('POST', '/orders', body(newOrder({ customer: { name: ' \t ' } }))));
  });

  it('refuses a body over 1 MiB as payload-too-large', async () => {
    const huge = body(newOrder({ title: 'x'.repeat(1024 * 1024) }));
    await refused(() => send('POST', '/orders', huge), 413, 'payload-too-large');
    const order = await created();
    await refused(
      () => send('POST', `/orders/${order.number}/comments`, body({ body: 'x'.repeat(1_100_000) })),
      413,
      'payload-too-large',
    );
  });
});

describe('dates', () => {
  const BAD_DATES = ['2026-02-30', '2026-13-01', '2026-00-10', 'tomorrow', '2026-1-5', '18/12/2026', '2026-12-18T00:00:00Z', ''];

  it('refuses a due date that is not a real YYYY-MM-DD date, on create and on edit', async () => {
    const order = await created();
    for (const dueDate of BAD_DATES) {
      expect(errorPaths(await invalid(() => send('POST', '/orders', body(newOrder({ dueDate })))))).toContain('body.dueDate');
      expect(errorPaths(await invalid(() => send('PATCH', `/orders/${order.number}`, body({ dueDate })))), dueDate).toContain(
        'body.dueDate',
      );
    }
  });

  it('refuses a date field that is not a real date', async () => {
    for (const supplier_eta of ['2026-02-30', '2026-13-01', 'tomorrow']) {
      const fields = { garment: 'Hoodie', quantity: 1, supplier_eta };
      expect(errorPaths(await invalid(() => send('POST', '/orders', body(newOrder({ fields })))))).toContain(
        'fields.supplier_eta',
      );
    }
  });

  it('refuses a bad date in a filter', async () => {
    for (const date of ['2026-02-30', '2026-13-01', 'tomorrow']) {
      await invalid(() => send('GET', `/orders?dueBefore=${date}`));
      await invalid(() => send('GET', `/orders?dueAfter=${date}`));
    }
  });

  it('refuses a token expiry that is not an ISO instant', async () => {
    for (const expiresAt of ['tomorrow', '2026-02-30T00:00:00Z', '2027-01-01', '2027-01-01 10:00']) {
      await invalid(() => send('POST', '/tokens', body({ label: 'ci', expiresAt })));
    }
  });

  it('accepts a leap day', async () => {
    const res = await send('POST', '/orders', body(newOrder({ dueDate: '2028-02-29' })));
    expect(res.statusCode).toBe(201);
    expect(json(res).dueDate).toBe('2028-02-29');
  });
});

describe('things that do not exist', () => {
  it('refuses an order in an unknown workflow as validation-failed, naming the workflow', async () => {
    const problem = await invalid(() => send('POST', '/orders', body(newOrder({ workflow: 'screen-printing' }))));
    expect(errorPaths(problem)).toEqual(['workflow']);
    expect(problem.detail).toContain('screen-printing');
  });

  it('answers unknown-stage for a move to a stage the workflow does not have', async () => {
    const order = await created();
    for (const to of ['painting', 'RECEIVED', 'proof_approval ', 'received\t', '../delivered']) {
      const problem = await refused(
        () => send('POST', `/orders/${order.number}/transitions`, body({ to })),
        422,
        'unknown-stage',
      );
      expect(problem.stage).toBe(to);
    }
  });

  it('answers not-found for an order, workflow, user or token that does not exist', async () => {
    const nobody = '00000000-0000-4000-8000-000000000000';
    await refused(() => send('GET', '/orders/ORD-999999'), 404, 'not-found');
    await refused(() => send('GET', `/orders/${nobody}`), 404, 'not-found');
    await refused(() => send('PATCH', '/orders/ORD-999999', body({ title: 'x' })), 404, 'not-found');
    await refused(() => send('POST', `/orders/${nobody}/transitions`, body({ to: 'proof_approval' })), 404, 'not-found');
    await refused(() => send('POST', '/orders/ORD-999999/comments', body({ body: 'hello?' })), 404, 'not-found');
    await refused(() => send('GET', '/orders/ORD-999999/events'), 404, 'not-found');
    await refused(() => send('GET', '/workflows/screen-printing'), 404, 'not-found');
    await refused(() => send('GET', '/board?workflow=screen-printing'), 404, 'not-found');
    await refused(() => send('GET', `/users/${nobody}`), 404, 'not-found');
    await refused(() => send('DELETE', `/tokens/${nobody}`), 404, 'not-found');
    await refused(() => send('POST', '/tokens', body({ userId: nobody })), 404, 'not-found');
    await refused(() => send('GET', '/no-such-thing'), 404, 'not-found');
    await refused(() => send('DELETE', '/orders'), 404, 'not-found');
  });
});

describe('cursors, If-Match and query parameters', () => {
  const b64 = (value: string) => Buffer.from(value).toString('base64url');

  it('refuses a list cursor it did not give out', async () => {
    for (const cursor of [
      'not-a-cursor!',
      b64('hello'),
      b64('["x","y"]'),
      b64('[1,2]'),
      b64('[["2026-11-24T09:00:00.000Z"],["x"]]'),
      b64('["2026-11-24T09:00:00.000Z","a\\u0000b"]'),
      b64(`["2026-11-24T09:00:00.000Z","${'x'.repeat(200)}"]`),
      'c'.repeat(501),
    ]) {
      const problem = await invalid(() => send('GET', `/orders?cursor=${encodeURIComponent(cursor)}`));
      expect(errorPaths(problem), cursor).toEqual(['querystring.cursor']);
    }
  });

  it('refuses an event cursor it did not give out', async () => {
    const order = await created();
    for (const cursor of ['abc', '-1', '1.5', '99999999999', '2147483648']) {
      await invalid(() => send('GET', `/orders/${order.number}/events?cursor=${cursor}`));
    }
  });

  it('still pages with the cursors it gives out', async () => {
    await created();
    await created();
    const first = json<{ items: unknown[]; nextCursor: string }>(await send('GET', '/orders?limit=1'));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await send('GET', `/orders?limit=1&cursor=${first.nextCursor}`);
    expect(second.statusCode).toBe(200);
    const order = await created();
    await send('POST', `/orders/${order.number}/comments`, body({ body: 'one' }));
    const events = json<{ nextCursor: string }>(await send('GET', `/orders/${order.number}/events?limit=1`));
    expect((await send('GET', `/orders/${order.number}/events?limit=1&cursor=${events.nextCursor}`)).statusCode).toBe(200);
  });

  it('refuses an If-Match that is not an order version', async () => {
    const order = await created();
    for (const ifMatch of ['abc', '*', '-1', '1.5', '"', 'W/', '1, 2', '9'.repeat(41)]) {
      await invalid(() => send('PATCH', `/orders/${order.number}`, body({ title: 'x' }), { 'if-match': ifMatch }));
      await invalid(() =>
        send('POST', `/orders/${order.number}/transitions`, body({ to: 'proof_approval' }), { 'if-match': ifMatch }),
      );
      await invalid(() => send('POST', `/orders/${order.number}/hold`, body({ reason: 'x' }), { 'if-match': ifMatch }));
    }
    const disagree = await invalid(() =>
      send('PATCH', `/orders/${order.number}`, body({ title: 'x', expectedVersion: 1 }), { 'if-match': '2' }),
    );
    expect(disagree.detail).toContain('disagree');
  });

  it('refuses a stale If-Match as version-conflict, and accepts the current one in any spelling', async () => {
    const order = await created();
    await refused(
      () => send('PATCH', `/orders/${order.number}`, body({ title: 'x' }), { 'if-match': '2' }),
      409,
      'version-conflict',
    );
    await refused(
      () => send('PATCH', `/orders/${order.number}`, body({ title: 'x', expectedVersion: 3 })),
      409,
      'version-conflict',
    );
    for (const [ifMatch, version] of [
      ['1', 1],
      ['"2"', 2],
      ['W/"3"', 3],
    ] as const) {
      const res = await send('PATCH', `/orders/${order.number}`, body({ title: `Title ${version}` }), { 'if-match': ifMatch });
      expect(res.statusCode, res.body).toBe(200);
      expect(json(res).version).toBe(version + 1);
    }
  });

  it('refuses query parameters it does not understand or cannot use', async () => {
    for (const query of [
      'limit=0',
      'limit=501',
      'limit=abc',
      'limit=1.5',
      'limit=-5',
      'state=lost',
      'flag=late',
      'owner=you',
      'dueAfter=2026-13-01',
      'colour=navy',
      `q=${'x'.repeat(201)}`,
      `workflow=${'w'.repeat(41)}`,
    ]) {
      const problem = await invalid(() => send('GET', `/orders?${query}`));
      expect(errorPaths(problem)[0], query).toMatch(/^querystring/);
    }
    await invalid(() => send('GET', '/board'));
    await invalid(() => send('GET', '/board?workflow=custom-apparel&columns=all'));
    await invalid(() => send('GET', `/tokens?userId=${'u'.repeat(101)}`));
    const order = await created();
    await invalid(() => send('GET', `/orders/${order.number}/events?limit=0`));
    await invalid(() => send('GET', `/orders/${order.number}/events?limit=501`));
  });
});

describe('text no database can store', () => {
  it('refuses the NUL character in bodies, paths and queries as validation-failed', async () => {
    const order = await created();
    const nul = 'a\u0000b';
    const cases: Array<[Method, string, unknown?]> = [
      ['POST', '/orders', newOrder({ title: nul })],
      ['POST', '/orders', newOrder({ customer: { name: nul } })],
      ['POST', '/orders', newOrder({ fields: { garment: 'Hoodie', quantity: 1, tracking_number: nul } })],
      ['POST', '/orders', newOrder({ fields: { garment: 'Hoodie', quantity: 1, [nul]: 'x' } })],
      ['PATCH', `/orders/${order.number}`, { title: nul }],
      ['POST', `/orders/${order.number}/comments`, { body: nul }],
      ['POST', `/orders/${order.number}/hold`, { reason: nul }],
      ['POST', `/orders/${order.number}/transitions`, { to: nul }],
      ['POST', '/tokens', { label: nul }],
      ['POST', '/users', { email: 'nul@test.floorboard.test', name: nul, role: 'viewer', password: 'long enough' }],
      ['POST', '/auth/login', { email: nul, password: 'whatever it is' }],
      ['GET', '/orders/%00'],
      ['GET', '/orders?q=%00'],
      ['GET', '/orders?workflow=a%00'],
      ['GET', '/board?workflow=%00'],
      ['GET', '/workflows/%00'],
      ['GET', '/users/%00'],
      ['GET', '/tokens?userId=%00'],
      ['DELETE', '/tokens/%00'],
    ];
    for (const [method, path, payload] of cases) {
      const problem = await invalid(() => send(method, path, payload === undefined ? undefined : body(payload)));
      expect(problem.detail, `${method} ${path}`).toContain('NUL');
    }
  });
});

describe('half a character', () => {
  // JSON may spell a lone UTF-16 surrogate ("\ud800"); it is not text, and PostgreSQL cannot store it.
  it('refuses a lone surrogate anywhere in a body as validation-failed, naming where it is', async () => {
    const order = await created();
    const half = 'Hoodies \ud83d';
    const cases: Array<[Method, string, unknown, string]> = [
      ['POST', '/orders', newOrder({ title: half }), 'body.title'],
      ['PATCH', `/orders/${order.number}`, { title: '\udc00 after' }, 'body.title'],
      ['POST', `/orders/${order.number}/hold`, { reason: '\ud800', expectedVersion: 1 }, 'body.reason'],
      ['POST', `/orders/${order.number}/comments`, { body: half }, 'body.body'],
      ['POST', '/orders', newOrder({ fields: { garment: 'Hoodie', quantity: 1, [half]: 'x' } }), `body.fields.${half}`],
    ];
    for (const [method, path, payload, at] of cases) {
      const problem = await invalid(() => send(method, path, body(payload)));
      expect(errorPaths(problem), `${method} ${path}`).toEqual([at]);
      expect(problem.detail).toContain('Unicode');
    }
  });

  it('keeps a whole character made of a surrogate pair as it was sent', async () => {
    const order = await created({ title: 'Hoodies \ud83d\udc55' });
    const res = await h.as('admin').post(`/orders/${order.number}/hold`, { reason: 'Waiting \ud83d\udce6', expectedVersion: 1 });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<{ title: string }>(await h.as('admin').get(`/orders/${order.number}`)).title).toBe('Hoodies 👕');
    const events = json<{ items: Array<{ type: string; data: { reason?: string } }> }>(
      await h.as('admin').get(`/orders/${order.number}/events`),
    ).items;
    expect(events.find((e) => e.type === 'order.held')?.data.reason).toBe('Waiting 📦');
  });
});

describe('bytes that are not UTF-8', () => {
  /** `value` as JSON with the raw bytes put where `@@` stands: what a client with a broken encoder sends. */
  const withBytes = (value: unknown, bytes: number[]) => {
    const [before = '', after = ''] = JSON.stringify(value).split('@@');
    return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
  };
  const BAD: Array<[string, number[]]> = [
    ['a lone continuation byte', [0x80]],
    ['an overlong encoding of "/"', [0xc0, 0xaf]],
    ['a surrogate encoded in UTF-8', [0xed, 0xa0, 0x80]],
    ['the byte ff', [0xff, 0x41]],
    ['the byte fe', [0xfe, 0x41]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ];

  it('refuses each kind of bad byte as validation-failed, naming the member that holds it, on every route', async () => {
    const order = await created();
    for (const [kind, bytes] of BAD) {
      const cases: Array<[Method, string, Buffer, string]> = [
        ['POST', '/orders', withBytes(newOrder({ title: 'Hoodies @@' }), bytes), 'body.title'],
        ['POST', '/orders', withBytes(newOrder({ customer: { name: 'Ac@@me' } }), bytes), 'body.customer.name'],
        [
          'POST',
          '/orders',
          withBytes(newOrder({ fields: { garment: 'Hoodie', quantity: 1, tracking_number: '@@' } }), bytes),
          'body.fields.tracking_number',
        ],
        ['PATCH', `/orders/${order.number}`, withBytes({ title: '@@' }, bytes), 'body.title'],
        ['POST', `/orders/${order.number}/comments`, withBytes({ body: 'ok @@' }, bytes), 'body.body'],
        ['POST', `/orders/${order.number}/transitions`, withBytes({ to: '@@' }, bytes), 'body.to'],
        ['POST', '/tokens', withBytes({ label: '@@' }, bytes), 'body.label'],
        ['POST', '/auth/login', withBytes({ email: 'a@@@x.test', password: 'whatever it is' }, bytes), 'body.email'],
      ];
      for (const [method, path, payload, at] of cases) {
        const problem = await invalid(() => send(method, path, payload));
        expect(errorPaths(problem), `${kind}: ${method} ${path}`).toEqual([at]);
        expect(problem.detail, kind).toContain('UTF-8');
      }
    }
    const after = json<{ title: string; version: number }>(await h.as('admin').get(`/orders/${order.number}`));
    expect(after.title).not.toContain('\ufffd');
    expect(after.version).toBe(order.version);
  });

  it('names the body itself when the bad bytes sit outside any text', async () => {
    for (const [kind, bytes] of BAD) {
      const payload = Buffer.concat([Buffer.from('{"workflow":"custom-apparel",'), Buffer.from(bytes), Buffer.from('}')]);
      const problem = await invalid(() => send('POST', '/orders', payload));
      expect(errorPaths(problem), kind).toEqual(['body']);
    }
  });

  it('keeps a real replacement character sent as valid UTF-8', async () => {
    const order = await created({ title: 'Hoodies \ufffd size chart' });
    expect(json<{ title: string }>(await h.as('admin').get(`/orders/${order.number}`)).title).toBe('Hoodies \ufffd size chart');
  });
});

describe('URLs the router cannot read', () => {
  it('answers a broken percent-encoding with a problem, not a bare error', async () => {
    const problem = await invalid(() => send('GET', '/orders/%E0%A4%A'));
    expect(problem.detail).toContain('URL');
  });

  it('answers an over-long path segment with a problem, not a bare error', async () => {
    for (const length of [101, 150, 1000, 5000]) {
      for (const [method, path] of [
        ['GET', `/orders/${'x'.repeat(length)}`],
        ['POST', `/orders/${'x'.repeat(length)}/transitions`],
        ['PUT', `/workflows/${'w'.repeat(length)}`],
      ] as const) {
        const before = await writeCounts(h.db);
        const res = await send(method, path, method === 'GET' ? undefined : body({ to: 'proof_approval' }));
        // Too long to be an id (400) or to match any route (404): either way a problem.
        expect([400, 404], `${method} ${length}: ${res.body}`).toContain(res.statusCode);
        expect(expectCleanProblem(res).type).toBe(res.statusCode === 400 ? 'validation-failed' : 'not-found');
        expect(await writeCounts(h.db)).toEqual(before);
      }
    }
  });
});

// ---- random input: whatever arrives, the answer is never a 5xx, and a refusal writes nothing.

type JsonPath = Array<string | number>;
type Container = Record<string, unknown> | unknown[];

function pathsIn(value: unknown, at: JsonPath = []): JsonPath[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...at, i], ...pathsIn(v, [...at, i])]);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [[...at, k], ...pathsIn(v, [...at, k])]);
  }
  return [];
}

function at(value: unknown, path: JsonPath): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
}

const isContainer = (v: unknown): v is Container => v !== null && typeof v === 'object';

interface Mutation {
  pick: number;
  op: 'delete' | 'replace' | 'add';
  key: string;
  value: unknown;
}

/** A valid body with a few members dropped, replaced or added: near misses find more than noise does. */
function mutate(valid: unknown, mutations: Mutation[]): unknown {
  const doc = structuredClone(valid);
  for (const mutation of mutations) {
    // Each inserted value is a copy: fast-check hands out shared constants ([] and {}), and
    // inserting one instance twice could nest it inside itself.
    const m = { ...mutation, value: structuredClone(mutation.value) };
    const paths = pathsIn(doc);
    if (m.op === 'add') {
      const containers = [[], ...paths.filter((p) => isContainer(at(doc, p)))];
      const target = at(doc, containers[m.pick % containers.length]!) as Container;
      if (Array.isArray(target)) target.push(m.value);
      // defineProperty, so that "__proto__" becomes a member and not the prototype.
      else Object.defineProperty(target, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
      continue;
    }
    if (paths.length === 0) continue;
    const path = paths[m.pick % paths.length]!;
    const parent = at(doc, path.slice(0, -1)) as Container;
    const last = path[path.length - 1]!;
    if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (Array.isArray(parent)) {
      parent[Number(last)] = m.value;
    } else {
      Object.defineProperty(parent, last, { value: m.value, enumerable: true, configurable: true, writable: true });
    }
  }
  return doc;
}

const trickyString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '2026-02-30',
    '2026-13-01',
    'tomorrow',
    '2026-12-18',
    '2026-12-18T00:00:00.000Z',
    '__proto__',
    'constructor',
    'ORD-1001',
    "'; drop table orders; --",
    'received',
    'delivered',
    'sales',
    'admin',
    '12.50',
    'https://files.example/a.pdf',
    'x'.repeat(201),
    'x'.repeat(10_001),
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ maxLength: 20 }),
);
const trickyValue = fc.oneof(
  trickyString,
  fc.constantFrom(0, -1, 1, 1.5, 1e308, -1e308, 2 ** 31, 2 ** 53 + 2, true, false, null, [], {}),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 2 }),
);
const mutations = fc.array(
  fc.record({
    pick: fc.nat(),
    op: fc.constantFrom<Mutation['op']>('delete', 'replace', 'replace', 'add'),
    key: fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'toString', 'id', 'version', 'state', 'stage', 'expectedVersion', 'extra'),
      fc.string({ maxLength: 12 }),
    ),
    value: trickyValue,
  }),
  { minLength: 1, maxLength: 3 },
);

/** Raw noise, arbitrary JSON, the valid body itself, and (mostly) near-valid mutations of it. */
function bodies(valid: () => unknown): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.constant(null).map(() => JSON.stringify(valid())) },
    { weight: 7, arbitrary: mutations.map((ms) => JSON.stringify(mutate(valid(), ms))) },
  );
}

const headerValue = fc.oneof(
  fc.constantFrom('1', '"1"', 'W/"1"', '2', '*', '', '-1', '0', '99999999999', 'abc'),
  fc.string({ unit: 'grapheme-ascii', maxLength: 45 }),
);
/** Mostly no extra headers (a bad If-Match ends a request early), sometimes odd ones. */
const headers = fc.oneof(
  { weight: 4, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.record({ 'if-match': headerValue, 'idempotency-key': headerValue }, { requiredKeys: [] }) },
);

interface FuzzRoute {
  route: string;
  method: Method;
  valid: () => unknown;
  /** The path to send to, preparing what it needs (an order in the right state). */
  path: () => Promise<string>;
  /** After a success the target changed (moved, held, edited): the next run starts from a fresh one. */
  spent?: () => void;
}

/** An order a fuzz route works on: made on first use, replaced once a success has changed it. */
function orderFor(make: () => Promise<{ number: string }>) {
  let current: Promise<{ number: string }> | null = null;
  return {
    number: async () => {
      current = current ?? make();
      return (await current).number;
    },
    spend: () => {
      current = null;
    },
  };
}

let fuzzUserId = '';

async function heldOrder() {
  const order = await created();
  expect((await send('POST', `/orders/${order.number}/hold`, body({ reason: 'Waiting for the customer' }))).statusCode).toBe(200);
  return order;
}

const editable = orderFor(() => created());
const movable = orderFor(() => created());
const holdable = orderFor(() => created());
const resumable = orderFor(() => heldOrder());
const cancellable = orderFor(() => created());

const STAGES = [
  { key: 'intake', label: 'Intake', ownerRole: 'sales', nextAction: 'Check the request', stallAfterHours: 4, requires: ['size'] },
  { key: 'making', label: 'Making', ownerRole: 'production', nextAction: 'Make it', wipLimit: 5 },
  { key: 'done', label: 'Done', ownerRole: 'fulfillment', nextAction: 'Hand it over', invoiceTrigger: true },
];
const FIELDS = [
  { key: 'size', label: 'Size', type: 'select', options: ['S', 'M', 'L'], required: true },
  { key: 'count', label: 'Count', type: 'number', min: 1, max: 1000 },
  { key: 'price', label: 'Price', type: 'money', visibleTo: ['finance', 'admin'] },
];

const FUZZ_ROUTES: FuzzRoute[] = [
  { route: 'POST /orders', method: 'POST', valid: () => newOrder(), path: async () => '/orders' },
  {
    route: 'PATCH /orders/:id',
    method: 'PATCH',
    valid: () => ({
      title: 'Team hoodies, revised',
      customer: { name: 'Harbour FC', email: 'kit@harbourfc.example' },
      dueDate: '2026-12-20',
      priority: 'high',
      fields: { quantity: 45, unit_price: '17.00', colours: 2 },
      items: [{ sku: 'HD-NAVY-L', description: 'Navy hoodie L', quantity: 25 }],
      expectedVersion: 1,
    }),
    path: async () => `/orders/${await editable.number()}`,
    spent: editable.spend,
  },
  {
    route: 'POST /orders/:id/transitions',
    method: 'POST',
    valid: () => ({ to: 'proof_approval', reason: 'Artwork confirmed', expectedVersion: 1 }),
    path: async () => `/orders/${await movable.number()}/transitions`,
    spent: movable.spend,
  },
  {
    route: 'POST /orders/:id/hold',
    method: 'POST',
    valid: () => ({ reason: 'Waiting for the customer', expectedVersion: 1 }),
    path: async () => `/orders/${await holdable.number()}/hold`,
    spent: holdable.spend,
  },
  {
    route: 'POST /orders/:id/resume',
    method: 'POST',
    valid: () => ({ reason: 'The customer answered', expectedVersion: 2 }),
    path: async () => `/orders/${await resumable.number()}/resume`,
    spent: resumable.spend,
  },
  {
    route: 'POST /orders/:id/cancel',
    method: 'POST',
    valid: () => ({ reason: 'The customer withdrew', expectedVersion: 1 }),
    path: async () => `/orders/${await cancellable.number()}/cancel`,
    spent: cancellable.spend,
  },
  {
    route: 'POST /orders/:id/comments',
    method: 'POST',
    valid: () => ({ body: 'Called the customer about sizes' }),
    path: async () => `/orders/${await editable.number()}/comments`,
  },
  {
    route: 'POST /workflows',
    method: 'POST',
    valid: () => ({ key: 'fuzz-made', name: 'Made by fuzzing', orderPrefix: 'FZM', stages: STAGES, fields: FIELDS }),
    path: async () => '/workflows',
  },
  {
    route: 'PUT /workflows/:key',
    method: 'PUT',
    valid: () => ({ key: 'fuzz-flow', name: 'Fuzz flow, revised', orderPrefix: 'FZ', stages: STAGES, fields: FIELDS }),
    path: async () => '/workflows/fuzz-flow',
  },
  {
    route: 'POST /users',
    method: 'POST',
    valid: () => ({ email: 'fuzz@test.floorboard.test', name: 'Fuzz', role: 'viewer', password: 'a long enough password' }),
    path: async () => '/users',
  },
  {
    route: 'PATCH /users/:id',
    method: 'PATCH',
    valid: () => ({ name: 'Fuzzed', role: 'production', disabled: false }),
    path: async () => `/users/${fuzzUserId}`,
  },
  {
    route: 'POST /tokens',
    method: 'POST',
    valid: () => ({ label: 'fuzz', userId: h.userIds.viewer, expiresAt: '2027-06-01T00:00:00.000Z' }),
    path: async () => '/tokens',
  },
];

describe('random input (property-based)', () => {
  beforeAll(async () => {
    const wf = { key: 'fuzz-flow', name: 'Fuzz flow', orderPrefix: 'FZ', stages: STAGES, fields: FIELDS };
    expect((await send('POST', '/workflows', body(wf))).statusCode).toBe(201);
    const user = await send(
      'POST',
      '/users',
      body({ email: 'fuzzed@test.floorboard.test', name: 'Fuzzed', role: 'viewer', password: 'long enough' }),
    );
    fuzzUserId = json<{ id: string }>(user).id;
  });

  it.each(FUZZ_ROUTES)(
    '$route never answers 5xx, and every refusal is a clean problem that changed nothing',
    async ({ method, valid, path, spent }) => {
      await fc.assert(
        fc.asyncProperty(bodies(valid), headers, async (payload, extraHeaders) => {
          const url = await path();
          const before = await writeCounts(h.db);
          const res = await send(method, url, payload, extraHeaders);
          expect(res.statusCode, res.body).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expectCleanProblem(res);
            expect(await writeCounts(h.db)).toEqual(before);
          } else {
            expect([200, 201]).toContain(res.statusCode);
            spent?.();
          }
        }),
        { numRuns: 150 },
      );
    },
    90_000,
  );
});
