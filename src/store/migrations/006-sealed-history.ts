// Closing what a reader could learn without seeing it: whether a customer is e-mailed is recorded with each event.
//
// `outbox.customer_email` is the order's customer e-mail switch as it stood when the event was written (in the
// same statement): the dispatcher prepares the customer's e-mail from it, not from the switch as it stands by
// the time the event is dispatched. Rows written before this migration have none and fall back to the switch.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('customer_email', 'integer').execute();
}
