// Admin settings as rows of JSON by key.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export async function readSettingRows(db: Kysely<Database>): Promise<Record<string, unknown>> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute();
  return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
}

export async function writeSettingRows(
  db: Kysely<Database>,
  values: Record<string, unknown>,
  at: string,
  by: string | null,
): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    const row = { key, value: JSON.stringify(value), updated_at: at, updated_by: by };
    await db
      .insertInto('settings')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: at, updated_by: by }))
      .execute();
  }
}
