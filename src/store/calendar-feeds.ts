// Calendar feed subscriptions: a secret token per feed (stored hashed), whose user and scope it serves.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface CalendarFeed {
  id: string;
  userId: string;
  workflow: string | null;
  mineOnly: boolean;
  createdAt: string;
  revokedAt: string | null;
}

function fromRow(r: Database['calendar_feeds']): CalendarFeed {
  return {
    id: r.id,
    userId: r.user_id,
    workflow: r.workflow,
    mineOnly: r.mine_only === 1,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

export async function insertFeed(db: Kysely<Database>, feed: CalendarFeed, tokenHash: string): Promise<void> {
  await db
    .insertInto('calendar_feeds')
    .values({
      id: feed.id,
      user_id: feed.userId,
      token_hash: tokenHash,
      workflow: feed.workflow,
      mine_only: feed.mineOnly ? 1 : 0,
      created_at: feed.createdAt,
      revoked_at: null,
    })
    .execute();
}

export async function feedsOf(db: Kysely<Database>, userId: string): Promise<CalendarFeed[]> {
  const rows = await db
    .selectFrom('calendar_feeds')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map(fromRow);
}

export async function findFeed(db: Kysely<Database>, id: string): Promise<CalendarFeed | undefined> {
  const row = await db.selectFrom('calendar_feeds').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function feedForTokenHash(db: Kysely<Database>, tokenHash: string): Promise<CalendarFeed | undefined> {
  const row = await db
    .selectFrom('calendar_feeds')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function revokeFeed(db: Kysely<Database>, id: string, at: string): Promise<void> {
  await db.updateTable('calendar_feeds').set({ revoked_at: at }).where('id', '=', id).execute();
}

export interface DueOrder {
  id: string;
  number: string;
  workflow: string;
  title: string;
  customerName: string;
  state: string;
  stage: string;
  stageEnteredAt: string;
  dueDate: string;
  priority: string;
  version: number;
  updatedAt: string;
}

/** Open orders with a due date, in one workflow or all, optionally only in the given (workflow, stage) pairs. */
export async function openOrdersDue(
  db: Kysely<Database>,
  workflow: string | null,
  stages: Array<{ workflow: string; stage: string }> | null,
): Promise<DueOrder[]> {
  if (stages && stages.length === 0) return [];
  let q = db
    .selectFrom('orders')
    .select([
      'id',
      'number',
      'workflow',
      'title',
      'customer_name',
      'state',
      'stage',
      'stage_entered_at',
      'due_date',
      'priority',
      'version',
      'updated_at',
    ])
    .where('state', 'in', ['active', 'on_hold'])
    .where('due_date', 'is not', null);
  if (workflow) q = q.where('workflow', '=', workflow);
  if (stages) q = q.where((eb) => eb.or(stages.map((s) => eb.and([eb('workflow', '=', s.workflow), eb('stage', '=', s.stage)]))));
  const rows = await q.orderBy('due_date').orderBy('number').execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    workflow: r.workflow,
    title: r.title,
    customerName: r.customer_name,
    state: r.state,
    stage: r.stage,
    stageEnteredAt: r.stage_entered_at,
    dueDate: r.due_date!,
    priority: r.priority,
    version: r.version,
    updatedAt: r.updated_at,
  }));
}
