// Settings take effect at once and are recorded: a new time zone moves stalled flags and etas on the next read,
// every change is an audit event (secrets masked), and customer e-mail follows the shop's default.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, newOrder, startHarness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const UTC = { timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], dayStart: '08:00', dayEnd: '17:00', holidays: [] };
const LOS_ANGELES = { ...UTC, timeZone: 'America/Los_Angeles' };

/** A two-stage line whose history says: an order leaves "Pack" one working hour after it came in. */
const QUICK = {
  key: 'quick',
  name: 'Quick line',
  orderPrefix: 'QK',
  stages: [
    { key: 'pack', label: 'Pack', ownerRole: 'fulfillment', nextAction: 'Pack it', stallAfterHours: 0.25 },
    { key: 'sent', label: 'Sent', ownerRole: 'fulfillment', nextAction: 'Nothing' },
  ],
  fields: [],
};

type Order = { id: string; number: string; flags: string[]; eta: { p50: string; p85: string } | null };

async function systemEvents(type: string): Promise<Array<{ data: Record<string, unknown>; actor_name: string }>> {
  const rows = await h.db.kysely
    .selectFrom('events')
    .select(['data', 'actor_name'])
    .where('type', '=', type)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ data: JSON.parse(r.data) as Record<string, unknown>, actor_name: r.actor_name }));
}

describe('a changed time zone', () => {
  it('moves the stalled flag and the eta on the very next read, on the board and the order', async () => {
    expect((await h.as('admin').post('/workflows', QUICK)).statusCode).toBe(201);
    // 16:00-17:00 UTC on six weekdays: inside the working day both in UTC and in Los Angeles (08:00-09:00 there).
    for (const day of ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-30']) {
      h.clock.set(`${day}T16:00:00.000Z`);
      const o = json<Order>(
        await h.as('admin').post('/orders', { workflow: 'quick', title: `Parcel ${day}`, customer: { name: 'Bolt Ltd' } }),
      );
      h.clock.set(`${day}T17:00:00.000Z`);
      expect((await h.as('fulfillment').post(`/orders/${o.id}/transitions`, { to: 'sent' })).statusCode).toBe(200);
    }
    // Tuesday 1 December: in at 16:50 UTC, looked at 17:30 UTC.
    h.clock.set('2026-12-01T16:50:00.000Z');
    const order = json<Order>(
      await h.as('admin').post('/orders', { workflow: 'quick', title: 'Today', customer: { name: 'Bolt Ltd' } }),
    );
    h.clock.set('2026-12-01T17:30:00.000Z');

    // In UTC only ten working minutes have passed (the day closed at 17:00): not stalled, done tomorrow.
    const before = json<Order>(await h.as('admin').get(`/orders/${order.number}`));
    expect(before.flags).not.toContain('stalled');
    expect(before.eta?.p50).toBe('2026-12-02');

    expect((await h.as('admin').put('/settings', { calendar: LOS_ANGELES })).statusCode).toBe(200);

    // In Los Angeles it is 09:30 on Tuesday: forty working minutes, past the quarter hour allowed; done this morning.
    const after = json<Order>(await h.as('admin').get(`/orders/${order.number}`));
    expect(after.flags).toContain('stalled');
    expect(after.eta?.p50).toBe('2026-12-01');
    const board = json<{ columns: Array<{ cards: Array<{ number: string; flags: string[]; eta: { p50: string } | null }> }> }>(
      await h.as('admin').get('/board?workflow=quick'),
    );
    const card = board.columns[0]!.cards.find((c) => c.number === order.number)!;
    expect(card.flags).toContain('stalled');
    expect(card.eta?.p50).toBe('2026-12-01');

    // And back again.
    expect((await h.as('admin').put('/settings', { calendar: UTC })).statusCode).toBe(200);
    const back = json<Order>(await h.as('admin').get(`/orders/${order.number}`));
    expect(back.flags).not.toContain('stalled');
    expect(back.eta?.p50).toBe('2026-12-02');
  });
});

describe('the audit trail', () => {
  it('records each settings change with who made it, before and after, the SMTP password masked; a no-op records nothing', async () => {
    const count = (await systemEvents('settings.changed')).length;
    const res = await h.as('admin').put('/settings', {
      dueSoonDays: 5,
      email: { smtpUrl: 'smtp://mailer:hunter22@mail.example:587', shopName: 'Harbour Print' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const events = await systemEvents('settings.changed');
    expect(events).toHaveLength(count + 1);
    const last = events.at(-1)!;
    expect(last.actor_name).toBe('Test admin (tests)');
    const changes = last.data.changes as Array<{ field: string; before: unknown; after: unknown }>;
    expect(changes.map((c) => c.field).sort()).toEqual(['dueSoonDays', 'email.shopName', 'email.smtpUrl']);
    expect(changes.find((c) => c.field === 'dueSoonDays')).toMatchObject({ before: 2, after: 5 });
    expect(changes.find((c) => c.field === 'email.shopName')?.after).toBe('Harbour Print');
    expect(JSON.stringify(last.data)).not.toContain('hunter22');
    expect(String(changes.find((c) => c.field === 'email.smtpUrl')?.after)).toContain('mail.example');

    // The same values again change nothing, so nothing is recorded.
    expect((await h.as('admin').put('/settings', { dueSoonDays: 5, email: { shopName: 'Harbour Print' } })).statusCode).toBe(200);
    expect(await systemEvents('settings.changed')).toHaveLength(count + 1);
    // A refused change records nothing either.
    expect((await h.as('admin').put('/settings', { dueSoonDays: -3 })).statusCode).toBe(400);
    expect(await systemEvents('settings.changed')).toHaveLength(count + 1);
    // An admin's export of the events shows it; the chain still verifies with the new kinds of event in it.
    const exported = await h.as('admin').get('/export/events.json');
    expect(exported.statusCode).toBe(200);
    expect(JSON.parse(exported.body).some((e: { type: string }) => e.type === 'settings.changed')).toBe(true);
    expect(json(await h.as('admin').get('/audit/verify'))).toMatchObject({ ok: true });
  });

  it('records webhooks created, paused, re-keyed and removed, never their secret', async () => {
    await h.as('admin').put('/settings', { webhooks: { allowPrivateNetworks: true } });
    const created = json<{ id: string; secret: string }>(
      await h.as('admin').post('/webhooks', { url: 'http://127.0.0.1:9/hook', eventTypes: ['order.created'] }),
    );
    const paused = await h.as('admin').patch(`/webhooks/${created.id}`, { active: false });
    expect(json(paused)).toMatchObject({ active: false });
    const rotated = json<{ secret: string }>(await h.as('admin').post(`/webhooks/${created.id}/rotate-secret`));
    expect((await h.as('admin').delete(`/webhooks/${created.id}`)).statusCode).toBe(204);

    const all = [
      ...(await systemEvents('webhook.created')),
      ...(await systemEvents('webhook.updated')),
      ...(await systemEvents('webhook.removed')),
    ];
    expect(all.map((e) => e.data.webhookId)).toEqual([created.id, created.id, created.id, created.id]);
    expect((await systemEvents('webhook.created'))[0]!.data).toMatchObject({ url: 'http://127.0.0.1:9/hook', active: true });
    expect((await systemEvents('webhook.updated'))[0]!.data).toMatchObject({
      changes: [{ field: 'active', before: true, after: false }],
    });
    expect((await systemEvents('webhook.updated'))[1]!.data).toEqual({ webhookId: created.id, secretRotated: true });
    for (const e of all) {
      expect(JSON.stringify(e.data)).not.toContain(created.secret);
      expect(JSON.stringify(e.data)).not.toContain(rotated.secret);
    }
  });
});

describe('customer-update defaults', () => {
  it('switch customer e-mail off for new orders when the shop says so; orders made before keep theirs', async () => {
    const earlier = json<Order>(await h.as('sales').post('/orders', newOrder()));
    const res = await h.as('admin').put('/settings', { customerUpdates: { emailByDefault: false } });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ customerUpdates: { emailByDefault: false } });
    const later = json<Order>(await h.as('sales').post('/orders', newOrder()));
    expect(json(await h.as('sales').get(`/orders/${later.id}/customer-updates`))).toMatchObject({ email: false });
    expect(json(await h.as('sales').get(`/orders/${earlier.id}/customer-updates`))).toMatchObject({ email: true });

    await h.as('admin').put('/settings', { customerUpdates: { emailByDefault: true } });
    const again = json<Order>(await h.as('sales').post('/orders', newOrder()));
    expect(json(await h.as('sales').get(`/orders/${again.id}/customer-updates`))).toMatchObject({ email: true });
  });
});
