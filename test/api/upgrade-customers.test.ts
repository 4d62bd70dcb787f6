// Orders written before migration 015 get customer records: one per customer name however it was typed, with the
// newest e-mail its orders carry, and every order linked to its record.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrations/index.ts';
import { orderToRow } from '../../src/store/orders.ts';
import { freshDb } from '../support/harness.ts';

let db: Db;
let drop: () => Promise<void>;
beforeEach(async () => {
  ({ db, drop } = await freshDb(undefined, undefined, '011-queues-and-keys'));
});
afterEach(() => drop());

describe('upgrading to customer records', () => {
  it('makes one record per customer from the free-text names and links every order to it', async () => {
    const now = '2026-11-24T09:00:00.000Z';
    await db.kysely
      .insertInto('workflows')
      .values({ key: 'w', name: 'W', order_prefix: 'ORD', version: 1, definition: '{}', created_at: now, updated_at: now })
      .execute();
    const written: Array<[string, string | null, string]> = [
      ['Großbäckerei Weiß', null, '2026-10-01T09:00:00.000Z'],
      ['GROSSBÄCKEREI  WEISS', 'alt@weiss.example', '2026-10-02T09:00:00.000Z'],
      ['Großbäckerei Weiß ', 'neu@weiss.example', '2026-10-03T09:00:00.000Z'],
      ['Köln Kiosk', null, '2026-10-04T09:00:00.000Z'],
      ['Koln Kiosk', 'koln@kiosk.example', '2026-10-05T09:00:00.000Z'],
    ];
    for (const [i, [name, email, at]] of written.entries()) {
      const { customer_id: _none, ...row } = orderToRow({
        id: `ord_${i}`,
        number: `ORD-100${i}`,
        workflow: 'w',
        title: 'Aprons',
        customer: { name, email },
        state: 'active',
        stage: 'received',
        stageEnteredAt: at,
        dueDate: null,
        priority: 'normal',
        fields: {},
        items: [],
        version: 1,
        createdAt: at,
        updatedAt: at,
        completedAt: null,
        holdReason: null,
        trackingToken: `tok_${i}`,
      });
      await db.kysely
        .insertInto('orders')
        .values(row as never)
        .execute();
    }

    expect(await migrate(db)).toContain('015-customers');
    // Sorted here: PostgreSQL's collation may order "ö" apart from where JavaScript puts it.
    const records = (await db.kysely.selectFrom('customers').selectAll().execute()).sort((a, b) =>
      a.name_key < b.name_key ? -1 : 1,
    );
    expect(records.map((r) => [r.name, r.email])).toEqual([
      ['Großbäckerei Weiß', 'neu@weiss.example'],
      ['Koln Kiosk', 'koln@kiosk.example'],
      ['Köln Kiosk', null],
    ]);
    const links = await db.kysely.selectFrom('orders').select(['number', 'customer_id']).orderBy('number').execute();
    const idOf = (name: string) => records.find((r) => r.name === name)!.id;
    expect(links.map((l) => l.customer_id)).toEqual([
      idOf('Großbäckerei Weiß'),
      idOf('Großbäckerei Weiß'),
      idOf('Großbäckerei Weiß'),
      idOf('Köln Kiosk'),
      idOf('Koln Kiosk'),
    ]);
  });
});
