// Stored answers to requests that carried an Idempotency-Key.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface StoredAnswer {
  requestHash: string;
  status: number;
  body: unknown;
}

export async function findAnswer(db: Kysely<Database>, principal: string, key: string): Promise<StoredAnswer | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status', 'response'])
    .where('principal', '=', principal)
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? { requestHash: row.request_hash, status: row.status, body: JSON.parse(row.response) } : undefined;
}

export async function saveAnswer(
  db: Kysely<Database>,
  principal: string,
  key: string,
  answer: StoredAnswer,
  at: string,
): Promise<void> {
  await db
    .insertInto('idempotency_keys')
    .values({
      principal,
      key,
      request_hash: answer.requestHash,
      status: answer.status,
      response: JSON.stringify(answer.body),
      created_at: at,
    })
    .execute();
}
