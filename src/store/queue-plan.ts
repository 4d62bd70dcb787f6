// Claims from a queue walk its partial index in claim order and stop at the limit, whatever the statistics say.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './db.ts';
import type { Database } from './schema.ts';

/**
 * Runs a queue's claim (a query ordered like one of its partial indexes, with a LIMIT) so that
 * PostgreSQL walks that index and stops once it has enough rows. Without fresh statistics
 * (autovacuum off, a bulk load since the last ANALYZE) the planner guesses that few rows are
 * waiting and filters and sorts all of them instead: with 10,000 deliveries waiting, 100 ms per
 * claim of four. Forbidding the sort leaves the ordered walk as the only plan it can pick; the
 * setting is put back before the rest of the transaction runs, unless that only writes the claimed
 * rows. SQLite plans it right as it is.
 */
export async function inClaimOrder<T>(
  tx: Kysely<Database>,
  dialect: Dialect,
  claim: () => Promise<T>,
  /** 'keep' when the rest of the transaction only writes the claimed rows by key (one round trip fewer). */
  after: 'restore' | 'keep' = 'restore',
): Promise<T> {
  if (dialect !== 'postgres') return claim();
  await sql`set local enable_sort = off`.execute(tx);
  const result = await claim();
  if (after === 'restore') await sql`set local enable_sort to default`.execute(tx);
  return result;
}
