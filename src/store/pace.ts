// The shop's pace as stored: recent stage visits to measure it from, and the medians the sweep keeps.
import type { Kysely } from 'kysely';
import type { PaceBook } from '../domain/pace.ts';
import type { Database } from './schema.ts';

/** The most recent finished visits of one stage of one workflow, newest first. */
export async function recentVisits(
  db: Kysely<Database>,
  workflow: string,
  stage: string,
  limit: number,
): Promise<Array<{ enteredAt: string; exitedAt: string }>> {
  const rows = await db
    .selectFrom('stage_visits as v')
    .innerJoin('orders as o', 'o.id', 'v.order_id')
    .select(['v.entered_at', 'v.exited_at'])
    .where('v.stage', '=', stage)
    .where('o.workflow', '=', workflow)
    .where('v.exited_at', 'is not', null)
    .orderBy('v.exited_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ enteredAt: r.entered_at, exitedAt: r.exited_at! }));
}

export interface PaceRow {
  workflow: string;
  stage: string;
  medianHours: number;
  samples: number;
}

/** Replaces a workflow's stored pace. */
export async function savePace(db: Kysely<Database>, workflow: string, rows: PaceRow[], at: string): Promise<void> {
  await db.deleteFrom('stage_pace').where('workflow', '=', workflow).execute();
  if (rows.length === 0) return;
  await db
    .insertInto('stage_pace')
    .values(
      rows.map((r) => ({
        workflow: r.workflow,
        stage: r.stage,
        median_hours: r.medianHours,
        samples: r.samples,
        computed_at: at,
      })),
    )
    .execute();
}

export async function loadPace(db: Kysely<Database>): Promise<PaceBook> {
  const rows = await db.selectFrom('stage_pace').select(['workflow', 'stage', 'median_hours']).execute();
  const book = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const stages = book.get(r.workflow) ?? new Map<string, number>();
    stages.set(r.stage, Number(r.median_hours));
    book.set(r.workflow, stages);
  }
  return book;
}
