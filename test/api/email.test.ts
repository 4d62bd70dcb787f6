// E-mail over real SMTP (an smtp-server in the test): customers hear when their order reaches a stage they care about,
// in plain words with the tracking link and nothing internal; staff get the notices they chose by e-mail.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Automation } from '../../src/jobs/automation.ts';
import { automationFor } from '../support/automation.ts';
import { emailOf, type Harness, json, newOrder, startHarness } from '../support/harness.ts';

interface Mail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  raw: string;
}

/** Headers unfolded, the body decoded from quoted-printable: what a mail client would show. */
function parse(raw: string, envelope: { from: string; to: string[] }): Mail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1] ?? '';
  let body = raw.slice(split + 4);
  if (/quoted-printable/i.test(header('Content-Transfer-Encoding'))) {
    body = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
  return { ...envelope, subject: header('Subject'), text: body.replace(/\r\n/g, '\n'), raw };
}

const inbox: Mail[] = [];
let smtp: SMTPServer;
let smtpPort = 0;

async function startSmtp(port = 0): Promise<void> {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        inbox.push(parse(Buffer.concat(chunks).toString('utf8'), { from, to: session.envelope.rcptTo.map((r) => r.address) }));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', () => resolve()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
}

const stopSmtp = () => new Promise<void>((resolve) => smtp.close(() => resolve()));

let h: Harness;
let jobs: Automation;
beforeAll(async () => {
  await startSmtp();
  h = await startHarness();
  jobs = automationFor(h);
  const res = await h.as('admin').put('/settings', {
    email: { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, from: 'Harbour Print <orders@print.example>', shopName: 'Harbour Print' },
    publicUrl: 'https://track.print.example',
  });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(async () => {
  jobs.mailer.close();
  await h.close();
  await stopSmtp();
});

type Order = { id: string; number: string; trackingUrl: string };
const mailsTo = (address: string) => inbox.filter((m) => m.to.includes(address));

describe('customer updates', () => {
  it('e-mails the customer when the order enters a stage marked notifyCustomer: label, expected date, tracking link, nothing internal', async () => {
    const order = json<Order>(
      await h.as('sales').post('/orders', newOrder({ customer: { name: 'Harbour FC', email: 'kit@harbourfc.example' } })),
    );
    await jobs.drain();
    const [first, ...others] = mailsTo('kit@harbourfc.example');
    expect(others).toEqual([]);
    expect(first).toMatchObject({ from: 'orders@print.example', subject: `Your order ${order.number}: We have your order` });
    expect(first!.raw).toMatch(/^From: Harbour Print <orders@print\.example>$/m);
    const link = `https://track.print.example${order.trackingUrl}`;
    expect(first!.text).toBe(
      [
        'Hello Harbour FC,',
        '',
        `An update on your order ${order.number}: We have your order.`,
        '',
        'Expected delivery: Friday, 18 December 2026',
        '',
        `Follow your order at any time: ${link}`,
        '',
        'Thank you,',
        'Harbour Print',
        '',
      ].join('\n'),
    );
    // Nothing the customer should not see: internal stage names, next actions, field values, prices, people.
    for (const internal of [
      'Order received',
      'Confirm specs',
      'Hoodie',
      '18.50',
      'unit_price',
      'HD-NAVY',
      'Team hoodies',
      'Test sales',
    ]) {
      expect(first!.raw, internal).not.toContain(internal);
    }

    await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
    await h.as('sales').patch(`/orders/${order.number}`, { fields: { proof_approved: true } });
    await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'supplier_confirmation' });
    await jobs.drain();
    // "Awaiting supplier confirmation" does not notify the customer; proof approval does.
    expect(mailsTo('kit@harbourfc.example').map((m) => m.subject)).toEqual([
      `Your order ${order.number}: We have your order`,
      `Your order ${order.number}: Waiting for your proof approval`,
    ]);
  });

  it('sends nothing to a customer whose e-mails are turned off for the order, or who has no address', async () => {
    const quiet = json<Order>(
      await h.as('sales').post('/orders', newOrder({ customer: { name: 'Quiet Ltd', email: 'hush@quiet.example' } })),
    );
    await h.as('service').put(`/orders/${quiet.number}/customer-updates`, { email: false });
    await jobs.drain();
    await h.as('sales').post(`/orders/${quiet.number}/transitions`, { to: 'proof_approval' });
    await jobs.drain();
    // The switch went off after the order was created: its creation was promised an e-mail, nothing after.
    expect(mailsTo('hush@quiet.example').map((m) => m.subject)).toEqual([`Your order ${quiet.number}: We have your order`]);

    const before = inbox.length;
    await h.as('sales').post('/orders', newOrder({ customer: { name: 'No Mail Co' } }));
    await jobs.drain();
    expect(inbox.slice(before).filter((m) => !m.to.some((t) => t.endsWith('@test.floorboard.test')))).toEqual([]);
  });
});

describe('the decision to e-mail the customer', () => {
  it('is taken when the event happens: switching off right after creating still sends the creation e-mail', async () => {
    const order = json<Order>(
      await h.as('sales').post('/orders', newOrder({ customer: { name: 'Quick Off', email: 'quick@off.example' } })),
    );
    // Switched off before the dispatcher has looked at the creation.
    expect((await h.as('service').put(`/orders/${order.number}/customer-updates`, { email: false })).statusCode).toBe(200);
    await jobs.drain();
    expect(mailsTo('quick@off.example').map((m) => m.subject)).toEqual([`Your order ${order.number}: We have your order`]);
  });

  it('and the reverse: a move made while e-mails were off stays unsent when they are switched on right after', async () => {
    const order = json<Order>(
      await h.as('sales').post('/orders', newOrder({ customer: { name: 'Quick On', email: 'quick@on.example' } })),
    );
    await jobs.drain();
    await h.as('service').put(`/orders/${order.number}/customer-updates`, { email: false });
    await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
    await h.as('service').put(`/orders/${order.number}/customer-updates`, { email: true });
    await jobs.drain();
    expect(mailsTo('quick@on.example').map((m) => m.subject)).toEqual([`Your order ${order.number}: We have your order`]);
  });
});

describe('staff e-mail', () => {
  it('sends each person the kinds of notice they chose by e-mail', async () => {
    await h.as('procurement').put('/notifications/preferences', { emailKinds: ['stage-entered'] });
    const order = json<Order>(await h.as('sales').post('/orders', newOrder({ customer: { name: 'Staff Test' } })));
    await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
    await h.as('sales').patch(`/orders/${order.number}`, { fields: { proof_approved: true } });
    await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'supplier_confirmation' });
    await jobs.drain();
    const toProcurement = mailsTo(emailOf('procurement')).filter((m) => m.subject.includes(order.number));
    expect(toProcurement.map((m) => m.subject)).toEqual([
      `${order.number} is ready for you: Confirm blank garment stock and delivery date with the supplier`,
    ]);
    expect(toProcurement[0]!.text).toContain(`https://track.print.example/orders/${order.number}`);
    // Stage hand-offs are not among the default e-mail kinds; escalations are.
    expect(mailsTo(emailOf('sales')).filter((m) => m.subject.includes(order.number))).toEqual([]);

    const stuck = json<Order>(await h.as('sales').post('/orders', newOrder({ customer: { name: 'Stuck Co' } })));
    h.clock.advanceHours(24 * 7);
    await jobs.tick();
    expect(mailsTo(emailOf('manager')).map((m) => m.subject)).toContain(`${stuck.number} is escalated: stuck in Order received`);
    expect(mailsTo(emailOf('sales')).map((m) => m.subject)).not.toContain(`${stuck.number} has stalled in Order received`);
  });

  it('keeps an e-mail while the SMTP server is away and sends it once it is back', async () => {
    await stopSmtp();
    const order = json<Order>(
      await h.as('sales').post('/orders', newOrder({ customer: { name: 'Later Ltd', email: 'later@later.example' } })),
    );
    await jobs.drain();
    const pending = await h.db.kysely.selectFrom('emails').selectAll().where('to_address', '=', 'later@later.example').execute();
    expect(pending).toEqual([expect.objectContaining({ status: 'pending', attempts: 1, last_error: expect.any(String) })]);
    await startSmtp(smtpPort);
    h.clock.advanceHours(0.01);
    await jobs.drain();
    expect(mailsTo('later@later.example').map((m) => m.subject)).toEqual([`Your order ${order.number}: We have your order`]);
    const sent = await h.db.kysely
      .selectFrom('emails')
      .select(['status', 'attempts'])
      .where('to_address', '=', 'later@later.example')
      .execute();
    expect(sent).toEqual([{ status: 'sent', attempts: 2 }]);
  });
});
