// Closing what a reader could learn without seeing it: field values sealed in the audit chain, and whether a
// customer is e-mailed recorded with each event.
//
// Until now each event's hash covered its field values as they are, so anyone who could read the history (hashes
// included) could confirm a guess at a value hidden from them: a price is a small space to try. Every field value
// is now committed to with a salt of its own (domain/sealing.ts), kept in `events.salts`. The events already
// written are sealed the same way: the chain is first checked as it was hashed until now (a broken chain stops the
// upgrade, rather than being re-hashed into an intact-looking one), then re-chained from the first event in the
// new form, and the re-chaining is recorded in `audit_reseals` with the old and the new head.
//
// `outbox.customer_email` is the order's customer e-mail switch as it stood when the event was written (in the
// same statement): the dispatcher prepares the customer's e-mail from it, not from the switch as it stands by
// the time the event is dispatched. Rows written before this migration have none and fall back to the switch.
import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { chainHash, GENESIS_HASH } from '../../domain/audit.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';
import type { RecordedEvent } from '../../domain/events.ts';
import { saltsFor } from '../../domain/sealing.ts';
import type { Database, EventTable } from '../schema.ts';
import type { MigrationContext } from './index.ts';

const BATCH = 2000;

export async function up(raw: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const db = raw as unknown as Kysely<Database>;
  // Checked before anything changes: SQLite cannot take its schema changes back when the check fails.
  const head = await db.selectFrom('chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  await checkLegacyChain(db, { seq: Number(head.seq), hash: head.hash });
  await raw.schema.alterTable('outbox').addColumn('customer_email', 'integer').execute();
  await raw.schema
    .alterTable('events')
    .addColumn('salts', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await raw.schema
    .createTable('audit_reseals')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('old_head_hash', 'text', (c) => c.notNull())
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .execute();

  if (Number(head.seq) === 0) return;
  // SQLite runs migrations outside a transaction: the re-chaining is one, so it happens whole or not at all.
  const reseal = async (tx: Kysely<Database>) => {
    let prev = GENESIS_HASH;
    let count = 0;
    for (let after = 0; ; ) {
      const rows = await batchAfter(tx, after);
      const updates = rows.map((r) => {
        const event = recorded(r);
        const salts = saltsFor(event.data, () => randomBytes(16).toString('hex'));
        const hash = chainHash(prev, event, salts);
        const update = { seq: r.seq, salts: JSON.stringify(salts), prev_hash: prev, hash };
        prev = hash;
        return update;
      });
      await writeBatch(tx, dialect, updates);
      count += rows.length;
      if (rows.length < BATCH) break;
      after = rows[rows.length - 1]!.seq;
    }
    await tx.updateTable('chain_head').set({ hash: prev }).where('id', '=', 1).execute();
    await tx
      .insertInto('audit_reseals')
      .values({ at: new Date().toISOString(), events: count, old_head_hash: head.hash, head_hash: prev })
      .execute();
  };
  if (dialect === 'sqlite') await db.transaction().execute(reseal);
  else await reseal(db);
}

/** Walks the chain as it was hashed before field values were sealed; throws at the first break. */
async function checkLegacyChain(db: Kysely<Database>, head: { seq: number; hash: string }): Promise<void> {
  let prev = { seq: 0, hash: GENESIS_HASH };
  for (let after = 0; ; ) {
    const rows = await batchAfter(db, after);
    for (const r of rows) {
      const hash = createHash('sha256')
        .update(prev.hash)
        .update(legacyBody(recorded(r)))
        .digest('hex');
      if (r.seq !== prev.seq + 1 || r.prev_hash !== prev.hash || r.hash !== hash) broken(r.seq);
      prev = { seq: r.seq, hash: r.hash };
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1]!.seq;
  }
  if (prev.seq !== head.seq || prev.hash !== head.hash) broken(prev.seq + 1);
}

function broken(seq: number): never {
  throw new Error(
    `The audit chain is broken at event ${seq} (run "floorboard audit verify" on the previous version): ` +
      'it is not re-sealed, so that a tampered history is not made to look intact. Restore the database from a backup.',
  );
}

/** The body events were hashed over until field values were sealed: the event's canonical JSON as it is. */
function legacyBody(e: RecordedEvent): string {
  const { seq, type, at, orderId, orderVersion, actor, data } = e;
  return canonicalJson({ seq, type, at, orderId, orderVersion, actor, data });
}

function batchAfter(db: Kysely<Database>, after: number): Promise<EventTable[]> {
  return db.selectFrom('events').selectAll().where('seq', '>', after).orderBy('seq').limit(BATCH).execute();
}

function recorded(r: EventTable): RecordedEvent {
  return {
    seq: Number(r.seq),
    type: r.type as RecordedEvent['type'],
    at: r.at,
    orderId: r.order_id,
    orderVersion: r.order_version,
    actor: { kind: r.actor_kind as RecordedEvent['actor']['kind'], id: r.actor_id, name: r.actor_name },
    data: JSON.parse(r.data) as Record<string, unknown>,
  };
}

type Resealed = { seq: number; salts: string; prev_hash: string; hash: string };

async function writeBatch(tx: Kysely<Database>, dialect: MigrationContext['dialect'], rows: Resealed[]): Promise<void> {
  if (rows.length === 0) return;
  if (dialect === 'postgres') {
    await sql`update events e set salts = v.salts, prev_hash = v.prev_hash, hash = v.hash
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(seq bigint, salts text, prev_hash text, hash text)
      where e.seq = v.seq`.execute(tx);
    return;
  }
  for (const r of rows) {
    await tx
      .updateTable('events')
      .set({ salts: r.salts, prev_hash: r.prev_hash, hash: r.hash })
      .where('seq', '=', r.seq)
      .execute();
  }
}
