// The customer's tracking link: what it shows (and never shows), approving a proof or asking for changes as the
// customer, staff rotating or switching off the link, live updates, rate limits, and tokens kept out of the log.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { buildServer } from '../../src/http/server.ts';
import { OutboxDispatcher } from '../../src/jobs/dispatcher.ts';
import { type Harness, json, newOrder, startHarness, writeCounts } from '../support/harness.ts';
import { readSse, type SseMessage } from '../support/sse.ts';

let h: Harness;
let base: string;
beforeAll(async () => {
  h = await startHarness();
  await h.server.listen({ port: 0, host: '127.0.0.1' });
  const address = h.server.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => h.close());

interface Order {
  id: string;
  number: string;
  version: number;
  stage: string;
  trackingUrl: string;
  customerStatus: string;
  fields: Record<string, unknown>;
}

interface Tracking {
  order: { number: string; title: string };
  status: { label: string; state: string };
  steps: Array<{ label: string; state: string; reachedOn: string | null }>;
  delivery: { basis: string; text: string | null; promised: string | null };
  note: { kind: string; text: string; action: string } | null;
  approval: { proofUrl: string | null; proofFile: { id: string; url: string } | null; canRespond: boolean } | null;
  shop: { name: string; logoUrl: string | null; accentColor: string };
}

let machine = 0;
/** Lookups are rate-limited per address: each test's customer calls from a machine of its own. */
function customer() {
  machine += 1;
  const remoteAddress = `198.51.100.${machine}`;
  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    h.server.inject({ method, url, remoteAddress, ...(payload ? { payload } : {}) });
  return {
    view: (token: string) => call('GET', `/api/v1/track/${token}`),
    page: (token: string) => call('GET', `/track/${token}`),
    approve: (token: string) => call('POST', `/api/v1/track/${token}/approve`, {}),
    requestChanges: (token: string, message: string) => call('POST', `/api/v1/track/${token}/request-changes`, { message }),
  };
}

const tokenOf = (order: Order) => order.trackingUrl.replace('/track/', '');

async function created(overrides: Record<string, unknown> = {}): Promise<Order> {
  const res = await h.as('sales').post('/orders', newOrder(overrides));
  expect(res.statusCode, res.body).toBe(201);
  return json<Order>(res);
}

/** An order waiting in proof approval, with the proof link set. */
async function awaitingProof(proof: string | null = 'https://proofs.example/harbour-v1.pdf'): Promise<Order> {
  const order = await created();
  expect((await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' })).statusCode).toBe(200);
  if (proof)
    expect((await h.as('sales').patch(`/orders/${order.number}`, { fields: { proof_url: proof } })).statusCode).toBe(200);
  return json<Order>(await h.as('sales').get(`/orders/${order.number}`));
}

/** Gives an order a token of the caller's choosing, as one issued under another length would be. */
async function setToken(orderId: string, token: string): Promise<void> {
  await h.app.db.kysely.updateTable('orders').set({ tracking_token: token }).where('id', '=', orderId).execute();
}

async function eventsOf(number: string) {
  return json<{ items: Array<{ type: string; actor: Record<string, unknown>; data: Record<string, unknown> }> }>(
    await h.as('admin').get(`/orders/${number}/events`),
  ).items;
}

describe('the tracking link', () => {
  it('carries at least 128 random bits, different for every order', async () => {
    const a = await created();
    const b = await created();
    for (const o of [a, b]) expect(tokenOf(o)).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(tokenOf(a)).not.toBe(tokenOf(b));
  });

  it('shows the number, title, status in plain words, dated steps and the delivery date', async () => {
    const order = await created({ title: 'Harbour away kit' });
    const res = await customer().view(tokenOf(order));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const view = json<Tracking>(res);
    expect(view.order).toEqual({ number: order.number, title: 'Harbour away kit' });
    expect(view.status).toEqual({ label: 'We have your order', state: 'active' });
    expect(view.steps[0]).toEqual({ label: 'We have your order', state: 'current', reachedOn: '2026-11-24' });
    expect(view.steps.map((s) => s.label)).toEqual([
      'We have your order',
      'Waiting for your proof approval',
      'Sourcing your garments',
      'Scheduled for production',
      'Being printed',
      'Final quality check',
      'Packed and ready to ship',
      'On its way to you',
      'Delivered',
    ]);
    // No forecast without history: the promised date, said as a date.
    expect(view.delivery).toMatchObject({
      basis: 'promised',
      promised: '2026-12-18',
      text: 'Promised delivery: Friday 18 December',
    });
    expect(view.note).toBeNull();
    expect(order.customerStatus).toBe('We have your order');
  });

  it('shows nothing internal: no staff, internal stage labels, fields, prices, comments, hold reasons or other orders', async () => {
    const other = await created({ title: 'Somebody else’s order', customer: { name: 'Other Club', email: 'x@other.example' } });
    const order = await awaitingProof();
    await h.as('sales').post(`/orders/${order.number}/comments`, { body: 'Customer is slow to pay, chase the deposit' });
    await h.as('manager').post(`/orders/${order.number}/hold`, { reason: 'Deposit not received yet' });
    const who = customer();
    const api = await who.view(tokenOf(order));
    const page = await who.page(tokenOf(order));
    expect(api.statusCode).toBe(200);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    for (const body of [api.body, page.body]) {
      for (const internal of [
        'Test sales',
        'Test manager',
        'Awaiting customer proof approval',
        'Order received',
        'Send the proof',
        'proof_approval',
        '18.50',
        'unit_price',
        'Hoodie',
        'HD-NAVY',
        'harbour.pdf',
        'kit@harbourfc.example',
        'Customer is slow',
        'Deposit not received',
        other.number,
        other.id,
        order.id,
        'sales',
      ]) {
        expect(body, internal).not.toContain(internal);
      }
    }
    const view = json<Tracking>(api);
    expect(view.status.state).toBe('on_hold');
    expect(view.note).toMatchObject({ kind: 'on-hold', text: 'Your order is on hold for the moment.' });
    expect(view.approval).toEqual({ proofUrl: 'https://proofs.example/harbour-v1.pdf', proofFile: null, canRespond: false });
    // The page carries no link into the staff app and loads none of its code.
    expect(page.body).not.toMatch(/\/assets\/|\/api\/v1\/orders|\/board/);
  });

  it('answers an unknown token with a plain 404 page, not the sign-in page, and a 404 problem on the API', async () => {
    const who = customer();
    const page = await who.page('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('This tracking link does not work');
    expect(page.body).not.toMatch(/sign in|password|id="root"/i);
    for (const path of ['/track', '/track/', '/track/x']) {
      const res = await h.server.inject({ method: 'GET', url: path, remoteAddress: '198.51.100.250' });
      expect(res.statusCode, path).toBe(404);
      expect(res.body).toContain('This tracking link does not work');
    }
    const api = await who.view('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(api.statusCode).toBe(404);
    expect(json(api)).toMatchObject({ type: 'not-found', detail: 'This tracking link was not found' });
  });

  it('answers every /track/ path that is not exactly a live page with the plain 404, never the staff app', async () => {
    const order = await created();
    const token = tokenOf(order);
    const paths = [
      `/track/${'A'.repeat(101)}`,
      `/track/${'A'.repeat(128)}`,
      `/track/${'A'.repeat(300)}`,
      `/track/${token}/more`,
      `/track/${token}/approve`,
      `/track/x/y/z`,
      `/track/${token}x/`,
      `/track//${token}`,
    ];
    for (const path of paths) {
      const res = await h.server.inject({ method: 'GET', url: path, remoteAddress: '198.51.100.251' });
      expect(res.statusCode, path).toBe(404);
      expect(res.body, path).toContain('This tracking link does not work');
      expect(res.body, path).not.toMatch(/id="root"|\/assets\/|web app has not been built/);
    }
    // The live link with a trailing slash (the page's own script accepts it) leads to the page.
    const slash = await h.server.inject({ method: 'GET', url: `/track/${token}/`, remoteAddress: '198.51.100.252' });
    expect(slash.statusCode).toBe(308);
    expect(slash.headers.location).toBe(`/track/${token}`);
  });

  it('finds an order by a token of up to 128 characters, on the page and the API', async () => {
    const order = await created();
    const long = 'L'.repeat(120) + tokenOf(order).slice(0, 8);
    expect(long).toHaveLength(128);
    await setToken(order.id, long);
    const who = customer();
    const page = await who.page(long);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(order.number);
    expect((await who.view(long)).statusCode).toBe(200);
    expect((await who.view('L'.repeat(129))).statusCode).toBe(404);
  });

  it('wears the shop name, logo and accent colour from the settings', async () => {
    const res = await h.as('admin').put('/settings', {
      email: { shopName: 'Harbour Print' },
      tracking: { logoUrl: 'https://cdn.print.example/logo.png', accentColor: '#C0392B', contact: 'Call 0161 496 0000' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res).tracking).toEqual({
      logoUrl: 'https://cdn.print.example/logo.png',
      accentColor: '#c0392b',
      contact: 'Call 0161 496 0000',
    });
    const order = await created();
    const who = customer();
    expect(json<Tracking>(await who.view(tokenOf(order))).shop).toEqual({
      name: 'Harbour Print',
      logoUrl: 'https://cdn.print.example/logo.png',
      accentColor: '#c0392b',
      contact: 'Call 0161 496 0000',
    });
    const page = (await who.page(tokenOf(order))).body;
    expect(page).toContain('<span class="shop-name">Harbour Print</span>');
    expect(page).toContain('src="https://cdn.print.example/logo.png"');
    expect(page).toContain('--accent:#c0392b');

    for (const bad of [{ accentColor: 'red;}body{display:none' }, { logoUrl: 'javascript:alert(1)' }]) {
      const refused = await h.as('admin').put('/settings', { tracking: bad });
      expect(refused.statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect((await h.as('manager').put('/settings', { tracking: { accentColor: '#000000' } })).statusCode).toBe(403);
  });

  it('escapes what staff typed: a title cannot put markup into the page', async () => {
    const order = await created({ title: '<script>alert(1)</script><img src=x onerror=alert(2)>' });
    const page = (await customer().page(tokenOf(order))).body;
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });
});

describe('staff and the link', () => {
  it('rotates the link: the old one stops working at once, the new one works, and the history says so without the token', async () => {
    const order = await created();
    const old = tokenOf(order);
    const who = customer();
    expect((await who.view(old)).statusCode).toBe(200);
    const rotated = await h.as('service').post(`/orders/${order.number}/tracking/rotate`);
    expect(rotated.statusCode, rotated.body).toBe(200);
    const link = json<{ trackingUrl: string; enabled: boolean }>(rotated);
    expect(link.enabled).toBe(true);
    expect(link.trackingUrl).not.toBe(order.trackingUrl);
    expect((await who.view(old)).statusCode).toBe(404);
    expect((await who.page(old)).statusCode).toBe(404);
    expect((await who.view(link.trackingUrl.replace('/track/', ''))).statusCode).toBe(200);
    expect(json<Order>(await h.as('viewer').get(`/orders/${order.number}`)).trackingUrl).toBe(link.trackingUrl);

    const events = await eventsOf(order.number);
    const changed = events.find((e) => e.type === 'order.tracking_changed');
    expect(changed?.data).toEqual({ change: 'rotated' });
    expect(JSON.stringify(events)).not.toContain(old);
    expect(JSON.stringify(events)).not.toContain(link.trackingUrl.replace('/track/', ''));
  });

  it('switches tracking off for an order (the link then answers as unknown) and back on', async () => {
    const order = await created();
    const who = customer();
    const off = await h.as('sales').put(`/orders/${order.number}/tracking`, { enabled: false });
    expect(off.statusCode).toBe(200);
    expect(json(off)).toMatchObject({ enabled: false, trackingUrl: order.trackingUrl });
    expect((await who.view(tokenOf(order))).statusCode).toBe(404);
    expect((await who.page(tokenOf(order))).body).toContain('This tracking link does not work');
    expect(json(await h.as('viewer').get(`/orders/${order.number}/tracking`))).toMatchObject({ enabled: false });
    expect((await h.as('sales').put(`/orders/${order.number}/tracking`, { enabled: true })).statusCode).toBe(200);
    expect((await who.view(tokenOf(order))).statusCode).toBe(200);
    const changes = (await eventsOf(order.number)).filter((e) => e.type === 'order.tracking_changed').map((e) => e.data.change);
    expect(changes).toEqual(['disabled', 'enabled']);
  });

  it('lets only those who edit orders rotate or switch off a link', async () => {
    const order = await created();
    for (const role of ['production', 'fulfillment', 'procurement', 'finance', 'viewer'] as const) {
      expect((await h.as(role).post(`/orders/${order.number}/tracking/rotate`)).statusCode, role).toBe(403);
      expect((await h.as(role).put(`/orders/${order.number}/tracking`, { enabled: false })).statusCode, role).toBe(403);
    }
    expect((await customer().view(tokenOf(order))).statusCode).toBe(200);
  });

  it('leaves the tracking link out of the customer e-mail while tracking is off', async () => {
    expect((await h.as('admin').put('/settings', { email: { smtpUrl: 'smtp://127.0.0.1:9' } })).statusCode).toBe(200);
    try {
      const dispatcher = new OutboxDispatcher(h.app);
      while ((await dispatcher.dispatchOnce()) > 0);
      const order = await created({ customer: { name: 'Quiet FC', email: 'quiet@fc.example' } });
      while ((await dispatcher.dispatchOnce()) > 0);
      await h.as('sales').put(`/orders/${order.number}/tracking`, { enabled: false });
      await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
      while ((await dispatcher.dispatchOnce()) > 0);
      const mails = await h.db.kysely
        .selectFrom('emails')
        .select(['subject', 'body'])
        .where('to_address', '=', 'quiet@fc.example')
        .execute();
      expect(mails.map((m) => m.subject)).toEqual([
        `Your order ${order.number}: We have your order`,
        `Your order ${order.number}: Waiting for your proof approval`,
      ]);
      expect(mails[0]!.body).toContain(order.trackingUrl);
      expect(mails[1]!.body).not.toContain('/track/');
    } finally {
      await h.as('admin').put('/settings', { email: { smtpUrl: null } });
    }
  });
});

describe('customer approval', () => {
  it('shows the proof link and Approve / Request changes while the order waits for the customer', async () => {
    const order = await awaitingProof();
    const who = customer();
    const view = json<Tracking>(await who.view(tokenOf(order)));
    expect(view.status.label).toBe('Waiting for your proof approval');
    expect(view.approval).toEqual({ proofUrl: 'https://proofs.example/harbour-v1.pdf', proofFile: null, canRespond: true });
    expect(view.note).toMatchObject({ kind: 'approval', text: 'We need your approval to go on.' });
    const page = (await who.page(tokenOf(order))).body;
    expect(page).toContain('href="https://proofs.example/harbour-v1.pdf"');
    expect(page).toContain('rel="noopener noreferrer"');
    expect(page).toContain('data-action="approve"');
    expect(page).toContain('data-action="request-changes"');
  });

  it('approving moves the order on, ticks "proof approved", and records the customer as the actor', async () => {
    const order = await awaitingProof();
    const res = await customer().approve(tokenOf(order));
    expect(res.statusCode, res.body).toBe(200);
    expect(json<Tracking>(res).status.label).toBe('Sourcing your garments');

    const after = json<Order>(await h.as('sales').get(`/orders/${order.number}`));
    expect(after.stage).toBe('supplier_confirmation');
    expect(after.fields.proof_approved).toBe(true);
    expect(after.version).toBe(order.version + 1);

    const events = (await eventsOf(order.number)).slice(-3);
    expect(events.map((e) => e.type)).toEqual(['order.customer_approved', 'order.updated', 'order.stage_changed']);
    for (const e of events) expect(e.actor).toEqual({ kind: 'customer', id: null, name: 'Harbour FC' });
    expect(events[0]!.data).toEqual({ stage: 'proof_approval', proof: 'https://proofs.example/harbour-v1.pdf', proofFile: null });
    expect(events[2]!.data).toMatchObject({ from: 'proof_approval', to: 'supplier_confirmation', kind: 'forward' });
    expect(json(await h.as('admin').get('/audit/verify')).ok).toBe(true);
  });

  it('asking for changes sends the order back with the message, and tells the stage owner', async () => {
    const dispatcher = new OutboxDispatcher(h.app);
    while ((await dispatcher.dispatchOnce()) > 0);
    const order = await awaitingProof();
    const who = customer();
    const empty = await who.requestChanges(tokenOf(order), '   ');
    expect(empty.statusCode).toBe(400);

    const res = await who.requestChanges(tokenOf(order), 'Please make the crest bigger');
    expect(res.statusCode, res.body).toBe(200);
    expect(json<Tracking>(res).status.label).toBe('We have your order');
    expect(json<Order>(await h.as('sales').get(`/orders/${order.number}`)).stage).toBe('received');

    const [asked, moved] = (await eventsOf(order.number)).slice(-2);
    expect(asked).toMatchObject({
      type: 'order.changes_requested',
      actor: { kind: 'customer', name: 'Harbour FC' },
      data: { stage: 'proof_approval', returnTo: 'received', message: 'Please make the crest bigger' },
    });
    expect(moved).toMatchObject({
      type: 'order.stage_changed',
      data: {
        from: 'proof_approval',
        to: 'received',
        kind: 'rework',
        reason: 'The customer asked for changes: Please make the crest bigger',
      },
    });

    while ((await dispatcher.dispatchOnce()) > 0);
    const notices = json<{ items: Array<{ title: string; body: string; orderNumber: string }> }>(
      await h.as('sales').get('/notifications'),
    ).items.filter((n) => n.orderNumber === order.number);
    expect(notices[0]).toMatchObject({
      title: `${order.number} is ready for you: Confirm specs and artwork with the customer`,
      body: 'Team hoodies for Harbour FC is now in Order received. It came back: The customer asked for changes: Please make the crest bigger',
    });
  });

  it('works as plain form posts too, for a browser without the script', async () => {
    const order = await awaitingProof();
    const page = (await customer().page(tokenOf(order))).body;
    expect(page).toContain(`action="${order.trackingUrl}/approve"`);
    const form = (path: string, payload: string | Buffer) =>
      h.server.inject({
        method: 'POST',
        url: `${order.trackingUrl}/${path}`,
        payload,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        remoteAddress: '198.51.100.240',
      });
    // Bytes that are not UTF-8 are refused, never stored with U+FFFD in their place.
    const before = await writeCounts(h.db);
    const garbled = await form('request-changes', Buffer.concat([Buffer.from('message=Navy '), Buffer.from([0xc0, 0xaf])]));
    expect(garbled.statusCode).toBe(400);
    expect(json<{ type: string; errors: Array<{ path: string }> }>(garbled)).toMatchObject({
      type: 'validation-failed',
      errors: [{ path: 'body' }],
    });
    expect(await writeCounts(h.db)).toEqual(before);
    const empty = await form('request-changes', 'message=');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Tell us what to change');
    const asked = await form('request-changes', 'message=Navy+please');
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe(`${order.trackingUrl}?thanks=changes`);
    expect(json<Order>(await h.as('sales').get(`/orders/${order.number}`)).stage).toBe('received');
    const thanked = await h.server.inject({ url: asked.headers.location as string, remoteAddress: '198.51.100.240' });
    expect(thanked.body).toContain('Thank you: we have your changes and will send a new proof.');
    // Nothing waits for the customer now: the page says so.
    const again = await form('approve', '');
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Nothing is waiting for your approval right now');
    // The API itself still takes JSON only.
    const api = await h.server.inject({
      method: 'POST',
      url: `/api/v1${order.trackingUrl}/request-changes`,
      payload: 'message=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(api.statusCode).toBe(415);
  });

  it('refuses to approve when nothing waits for the customer, the proof is missing, or the order is on hold', async () => {
    const who = customer();
    const early = await created();
    const notYet = await who.approve(tokenOf(early));
    expect(notYet.statusCode).toBe(409);
    expect(json(notYet).detail).toBe('Nothing is waiting for your approval right now');

    const noProof = await awaitingProof(null);
    const missing = await who.approve(tokenOf(noProof));
    expect(missing.statusCode).toBe(409);
    expect(json(missing).detail).toMatch(/proof is not ready/);

    const held = await awaitingProof();
    await h.as('sales').post(`/orders/${held.number}/hold`, { reason: 'Customer asked us to wait' });
    const onHold = await who.approve(tokenOf(held));
    expect(onHold.statusCode).toBe(409);
    expect(json(onHold)).toMatchObject({ type: 'order-not-active' });
    expect(onHold.body).not.toContain('Customer asked us to wait');
    for (const o of [early, noProof, held]) {
      expect(json<Order>(await h.as('sales').get(`/orders/${o.number}`)).version, o.number).toBe(
        o.number === held.number ? held.version + 1 : o.version,
      );
    }
    expect((await who.approve('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(404);
  });
});

describe('rate limits', () => {
  it('limits lookups per address across the page and the API, so tokens cannot be guessed', async () => {
    const remoteAddress = '203.0.113.7';
    const guess = (i: number) =>
      h.server.inject({
        method: 'GET',
        url: i % 2 ? `/api/v1/track/guess${i}AAAAAAAAAAAAAAAAAAAA` : `/track/guess${i}AAAAAAAAAAAAAAAAAAAA`,
        remoteAddress,
      });
    for (let i = 0; i < 120; i++) expect((await guess(i)).statusCode, `guess ${i}`).toBe(404);
    const limited = await guess(121);
    expect(limited.statusCode).toBe(429);
    expect(json(limited)).toMatchObject({ type: 'rate-limited' });
    // Another address is not held back.
    expect((await customer().view('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(404);
  });

  it('limits approvals and change requests per address', async () => {
    const remoteAddress = '203.0.113.8';
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await h.server.inject({ method: 'POST', url: '/api/v1/track/nope/approve', remoteAddress, payload: {} });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

describe('live updates', () => {
  async function listen(token: string, until: (events: string[]) => boolean, act: () => Promise<void>) {
    const names = (messages: SseMessage[]) => messages.map((m) => m.event);
    const { messages, text } = await readSse(`${base}/api/v1/track/${token}/stream`, {
      until: (m) => until(names(m)),
      act,
      ms: 4000,
    });
    return { events: names(messages), text };
  }

  it('tells the page to look again when the order moves, and that the link is gone once rotated; nothing else', async () => {
    const order = await created();
    const token = tokenOf(order);
    const { events, text } = await listen(
      token,
      (e) => e.includes('gone'),
      async () => {
        await h.as('sales').post(`/orders/${order.number}/comments`, { body: 'internal note' });
        await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
        await new Promise((r) => setTimeout(r, 300));
        await h.as('sales').post(`/orders/${order.number}/tracking/rotate`);
      },
    );
    expect(events).toEqual(['update', 'gone']);
    expect(text).not.toMatch(/^id:/m);
    expect(text).not.toContain(order.number);
    expect(text).not.toContain('comment');
  });

  it('refuses a stream for an unknown link', async () => {
    const res = await fetch(`${base}/api/v1/track/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/stream`);
    expect(res.status).toBe(404);
  });
});

describe('logs', () => {
  it('never writes a tracking token to the log', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app: AppContext = { db: h.db, clock: h.clock };
    const server = await buildServer(app, { logger: pino({ level: 'trace' }, sink) });
    try {
      const order = await created();
      const token = tokenOf(order);
      expect((await server.inject({ method: 'GET', url: `/api/v1/track/${token}` })).statusCode).toBe(200);
      expect((await server.inject({ method: 'GET', url: `/track/${token}?utm=mail` })).statusCode).toBe(200);
      expect((await server.inject({ method: 'POST', url: `/api/v1/track/${token}/approve`, payload: {} })).statusCode).toBe(409);
      const log = lines.join('');
      expect(log).toContain('"url":"/api/v1/track/<token>"');
      expect(log).toContain('"url":"/track/<token>?utm=mail"');
      expect(log).not.toContain(token);
    } finally {
      await server.close();
    }
  });
});

describe('a step a manager skipped', () => {
  it('shows as skipped with no date, never as done today', async () => {
    const order = await created();
    h.clock.set(new Date(h.clock.now().getTime() + 2 * 86_400_000));
    const skip = await h
      .as('manager')
      .post(`/orders/${order.number}/transitions`, { to: 'scheduled', reason: 'Repeat order: proof and stock on file' });
    expect(skip.statusCode, skip.body).toBe(200);
    const who = customer();
    const view = json<Tracking>(await who.view(tokenOf(order)));
    expect(view.steps.slice(0, 4)).toEqual([
      { label: 'We have your order', state: 'done', reachedOn: '2026-11-24' },
      { label: 'Waiting for your proof approval', state: 'skipped', reachedOn: null },
      { label: 'Sourcing your garments', state: 'skipped', reachedOn: null },
      { label: 'Scheduled for production', state: 'current', reachedOn: '2026-11-26' },
    ]);
    const page = (await who.page(tokenOf(order))).body;
    const skipped = [...page.matchAll(/<li class="step step-skipped"[\s\S]*?<\/li>/g)].map((m) => m[0]);
    expect(skipped).toHaveLength(2);
    for (const li of skipped) {
      expect(li).toContain('Skipped');
      expect(li).not.toContain('<time');
    }
  });
});

describe('the customer who answers', () => {
  it('is thanked after approving, on the page the form leads back to', async () => {
    const order = await awaitingProof();
    const approved = await h.server.inject({
      method: 'POST',
      url: `${order.trackingUrl}/approve`,
      payload: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: '198.51.100.241',
    });
    expect(approved.statusCode).toBe(303);
    expect(approved.headers.location).toBe(`${order.trackingUrl}?thanks=approved`);
    const page = await h.server.inject({ url: approved.headers.location as string, remoteAddress: '198.51.100.241' });
    expect(page.body).toContain('Thank you for approving your proof: we are getting on with your order.');
    // The thank-you is never shown while the approval is still being asked for.
    const other = await awaitingProof();
    const early = await h.server.inject({ url: `${other.trackingUrl}?thanks=approved`, remoteAddress: '198.51.100.241' });
    expect(early.body).not.toContain('Thank you');
  });
});
