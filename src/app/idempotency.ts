// Idempotency-Key handling: a repeat with the same key and body gets the first answer and creates nothing.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { canonicalJson } from '../domain/canonical-json.ts';
import { findAnswer, saveAnswer } from '../store/idempotency.ts';
import type { Database } from '../store/schema.ts';
import { Problem } from './problem.ts';

export interface IdempotencyRequest {
  /** Whose key space: the same key from two users are two keys. */
  principal: string;
  key: string;
  /** What was asked: route plus body, so the same key with another body is caught. */
  request: unknown;
}

export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/**
 * Looks up an earlier answer for this key inside the caller's transaction. Returns it when
 * the request matches, refuses when the same key came with another request.
 */
export async function earlierAnswer<T>(tx: Kysely<Database>, idem: IdempotencyRequest): Promise<T | undefined> {
  const stored = await findAnswer(tx, idem.principal, idem.key);
  if (!stored) return undefined;
  if (stored.requestHash !== requestHash(idem.request)) {
    throw new Problem('idempotency-key-reused', 'This Idempotency-Key was used before with a different request');
  }
  return stored.body as T;
}

/** Records the answer in the same transaction as the change it describes. */
export async function rememberAnswer(
  tx: Kysely<Database>,
  idem: IdempotencyRequest,
  status: number,
  body: unknown,
  at: string,
): Promise<void> {
  await saveAnswer(tx, idem.principal, idem.key, { requestHash: requestHash(idem.request), status, body }, at);
}
