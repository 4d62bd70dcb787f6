// Customer records: made from orders and imports, found as the new-order form types, merged, and the address
// customer updates go to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Automation } from '../../src/jobs/automation.ts';
import { automationFor } from '../support/automation.ts';
import { type Harness, json, newOrder, startHarness } from '../support/harness.ts';
import { MailCatcher } from '../support/smtp.ts';

interface Customer {
  id: string;
  name: string;
  email: string | null;
  contacts: Array<{ name: string; email: string | null; phone: string | null; role: string | null }>;
  notes: string;
  version: number;
  record: { open: number; completed: number; onTimeRate: number | null; averageLeadDays: number | null };
}
interface Order {
  id: string;
  number: string;
  customer: { name: string; email: string | null };
  customerId: string | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const smtp = new MailCatcher();
const received = smtp.mails;
let h: Harness;
let jobs: Automation;

beforeAll(async () => {
  await smtp.start();
  h = await startHarness();
  jobs = automationFor(h);
  const res = await h.as('admin').put('/settings', {
    email: { smtpUrl: smtp.url, from: 'Shop <orders@shop.example>', shopName: 'Shop' },
  });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(async () => {
  jobs.mailer.close();
  await h.close();
  await smtp.stop();
});

const order = async (customer: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}) => {
  const res = await h.as('sales').post('/orders', newOrder({ customer, ...extra }));
  expect(res.statusCode, res.body).toBe(201);
  return json<Order>(res);
};
const customer = async (id: string) => json<Customer>(await h.as('viewer').get(`/customers/${id}`));
const ordersOf = async (id: string, status = '') =>
  json<Page<Order>>(await h.as('viewer').get(`/customers/${id}/orders${status ? `?status=${status}` : ''}`)).items.map(
    (o) => o.number,
  );
const find = async (q: string) =>
  json<Page<Customer>>(await h.as('sales').get(`/customers?q=${encodeURIComponent(q)}`)).items.map((c) => c.name);
const verified = async () => json<{ ok: boolean }>(await h.as('admin').get('/audit/verify')).ok;

describe('customer records from orders', () => {
  it('makes one record per customer: the same name in another case or spacing, or the same e-mail, joins it', async () => {
    const first = await order({ name: 'Ölmühle Köln', email: 'einkauf@oelmuehle.example' });
    expect(first.customerId).toEqual(expect.any(String));
    // The order's own customer stays as typed: the contract's shape, with the record beside it.
    expect(first.customer).toEqual({ name: 'Ölmühle Köln', email: 'einkauf@oelmuehle.example' });
    const again = await order({ name: '  ÖLMÜHLE   köln ', email: null });
    expect(again.customerId).toBe(first.customerId);
    const byEmail = await order({ name: 'Oelmuehle Cologne', email: 'EINKAUF@oelmuehle.example' });
    expect(byEmail.customerId).toBe(first.customerId);
    const other = await order({ name: 'Ölmühle Bonn', email: null });
    expect(other.customerId).not.toBe(first.customerId);

    const record = await customer(first.customerId!);
    expect(record).toMatchObject({ name: 'Ölmühle Köln', email: 'einkauf@oelmuehle.example' });
    expect((await ordersOf(record.id)).sort()).toEqual([first.number, again.number, byEmail.number].sort());
    expect(record.record.open).toBe(3);
    expect(await verified()).toBe(true);
  });

  it('takes an order for a record named by id, with the record name as the customer', async () => {
    const made = json<Customer>(
      await h.as('service').post('/customers', {
        name: 'Tern Bakery',
        email: 'hello@tern.example',
        contacts: [{ name: 'Ada Tern', email: 'ada@tern.example', phone: '+44 20 7946 0000', role: 'buyer' }],
      }),
    );
    expect(made.contacts).toEqual([{ name: 'Ada Tern', email: 'ada@tern.example', phone: '+44 20 7946 0000', role: 'buyer' }]);
    const o = await order(undefined, { customerId: made.id });
    expect(o).toMatchObject({ customerId: made.id, customer: { name: 'Tern Bakery', email: null } });
    const unknown = await h.as('sales').post('/orders', newOrder({ customer: undefined, customerId: 'no-such-customer' }));
    expect(unknown.statusCode).toBe(400);
    expect(json<{ errors: Array<{ path: string }> }>(unknown).errors.map((e) => e.path)).toContain('customerId');
    const twin = await h.as('sales').post('/customers', { name: 'TERN bakery' });
    expect(twin.statusCode).toBe(409);
    expect(json(twin).customerId).toBe(made.id);
  });

  it('completes names as the new-order form types them, in any case and script, and pages through the list', async () => {
    await order({ name: 'Harbour FC', email: null });
    await order({ name: 'Harbourside Café', email: null });
    await order({ name: 'ΟΔΟΣ ΣΠΑΡΤΗΣ', email: null });
    expect(await find('harb')).toEqual(['Harbour FC', 'Harbourside Café']);
    expect(await find('CAFÉ')).toEqual(['Harbourside Café']);
    expect(await find('οδος')).toEqual(['ΟΔΟΣ ΣΠΑΡΤΗΣ']);
    expect(await find('tern.example')).toEqual(['Tern Bakery']);
    const first = json<Page<Customer>>(await h.as('viewer').get('/customers?limit=2'));
    expect(first.items).toHaveLength(2);
    const second = json<Page<Customer>>(
      await h.as('viewer').get(`/customers?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`),
    );
    expect(second.items.map((c) => c.id)).not.toContain(first.items[0]!.id);
    expect((await h.as('viewer').get('/customers?cursor=forged')).statusCode).toBe(400);
  });

  it('links imported orders to existing records and makes records for new customers', async () => {
    const existing = await order({ name: 'Gull Rowing Club', email: null });
    const content = [
      'Ref,Title,Customer,Email,Garment,Qty',
      'R-1,Club vests,gull rowing club,,T-shirt,20',
      'R-2,Caps,Kestrel Motors,fleet@kestrel.example,T-shirt,30',
      'R-3,More caps,Kestrel Motors,,T-shirt,10',
    ].join('\n');
    const res = await h.as('manager').post('/imports', {
      workflow: 'custom-apparel',
      source: 'csv',
      content,
      mapping: {
        reference: 'Ref',
        title: 'Title',
        customerName: 'Customer',
        customerEmail: 'Email',
        fields: { garment: 'Garment', quantity: 'Qty' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const gull = await ordersOf(existing.customerId!);
    expect(gull).toHaveLength(2);
    const [kestrel] = json<Page<Customer>>(await h.as('viewer').get('/customers?q=kestrel')).items;
    expect(kestrel).toMatchObject({ name: 'Kestrel Motors', email: 'fleet@kestrel.example' });
    expect(await ordersOf(kestrel!.id)).toHaveLength(2);
    expect(await verified()).toBe(true);
  });
});

describe('merging two records of one customer', () => {
  it('moves every order to the record kept, records it in the history, and the other record is gone', async () => {
    const a = await order({ name: 'Puffin Print Co', email: 'buyer@puffin.example' });
    const b1 = await order({ name: 'Puffin Printing Company', email: null });
    const b2 = await order({ name: 'Puffin Printing Company', email: null });
    await h.as('sales').patch(`/customers/${b1.customerId}`, {
      contacts: [{ name: 'Ola', email: 'ola@puffin.example', phone: null }],
      notes: 'Pays on delivery',
    });
    expect(b1.customerId).not.toBe(a.customerId);

    const viewer = await h.as('viewer').post(`/customers/${a.customerId}/merge`, { from: b1.customerId });
    expect(viewer.statusCode).toBe(403);
    expect(await ordersOf(b1.customerId!)).toHaveLength(2);

    const res = await h.as('service').post(`/customers/${a.customerId}/merge`, { from: b1.customerId });
    expect(res.statusCode, res.body).toBe(200);
    const kept = json<Customer>(res);
    expect(kept.record.open).toBe(3);
    expect(kept.contacts.map((c) => c.name)).toEqual(['Ola']);
    expect(kept.notes).toContain('Pays on delivery');
    expect((await ordersOf(a.customerId!)).sort()).toEqual([a.number, b1.number, b2.number].sort());
    for (const o of [b1, b2]) {
      expect(json<Order>(await h.as('viewer').get(`/orders/${o.number}`)).customerId).toBe(a.customerId);
      const events = json<Page<{ type: string; data: Record<string, unknown> }>>(
        await h.as('viewer').get(`/orders/${o.number}/events`),
      ).items;
      expect(events.at(-1)).toMatchObject({ type: 'order.customer_merged', data: { from: b1.customerId, into: a.customerId } });
    }
    const gone = await h.as('viewer').get(`/customers/${b1.customerId}`);
    expect(gone.statusCode).toBe(404);
    expect(json(gone).mergedInto).toBe(a.customerId);
    expect(await find('puffin')).toEqual(['Puffin Print Co']);
    expect((await h.as('sales').post(`/customers/${a.customerId}/merge`, { from: b1.customerId })).statusCode).toBe(400);
    expect((await h.as('sales').post(`/customers/${a.customerId}/merge`, { from: a.customerId })).statusCode).toBe(400);
    // The old spelling now leads to the record kept.
    expect((await order({ name: 'puffin printing company', email: null })).customerId).toBe(a.customerId);
    expect(await verified()).toBe(true);
  });
});

describe('customer updates', () => {
  it("e-mails an order without an address of its own at its customer record's", async () => {
    const made = json<Customer>(await h.as('sales').post('/customers', { name: 'Wren Florists', email: 'shop@wren.example' }));
    const o = await order({ name: 'Wren Florists', email: null });
    expect(o.customerId).toBe(made.id);
    expect(json(await h.as('service').get(`/orders/${o.number}/customer-updates`)).customerEmail).toBe('shop@wren.example');
    await jobs.drain();
    expect(received.filter((m) => m.to.includes('shop@wren.example')).map((m) => /^Subject: (.*)$/m.exec(m.raw)?.[1])).toEqual([
      `Your order ${o.number}: We have your order`,
    ]);
    // An order's own address wins over the record's.
    const own = await order({ name: 'Wren Florists', email: 'events@wren.example' });
    await jobs.drain();
    expect(received.some((m) => m.to.includes('events@wren.example') && m.raw.includes(own.number))).toBe(true);
    expect(received.filter((m) => m.to.includes('shop@wren.example'))).toHaveLength(1);
  });
});

describe('who may do what', () => {
  it('lets everyone read customers; only those who take orders create, edit and merge them', async () => {
    const made = json<Customer>(await h.as('manager').post('/customers', { name: 'Curlew Joinery' }));
    for (const role of ['production', 'finance', 'viewer', 'procurement', 'fulfillment'] as const) {
      expect((await h.as(role).get(`/customers/${made.id}`)).statusCode).toBe(200);
      expect((await h.as(role).post('/customers', { name: `By ${role}` })).statusCode).toBe(403);
      expect((await h.as(role).patch(`/customers/${made.id}`, { notes: 'x' })).statusCode).toBe(403);
    }
    expect(json<Customer>(await h.as('viewer').get(`/customers/${made.id}`)).notes).toBe('');
    const edited = await h.as('sales').patch(`/customers/${made.id}`, { notes: 'Side door', expectedVersion: 1 });
    expect(json<Customer>(edited)).toMatchObject({ notes: 'Side door', version: 2 });
    expect((await h.as('sales').patch(`/customers/${made.id}`, { notes: 'Back', expectedVersion: 1 })).statusCode).toBe(409);
    const bad = await h.as('sales').patch(`/customers/${made.id}`, { contacts: [{ name: 'X', email: 'not-mail' }] });
    expect(bad.statusCode).toBe(400);
  });
});
