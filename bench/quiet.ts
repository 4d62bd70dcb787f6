// Waiting out the server's background jobs (the sweep, the outbox dispatcher), so a measurement sees the steady state.
import type { Db } from '../src/store/db.ts';
import { chainHead } from '../src/store/events.ts';

/**
 * Waits until the server's background jobs are idle: the event chain has not grown for 2 s and no outbox row
 * waits (or the pending count has not moved either). Gives up after 3 minutes.
 */
export async function waitQuiet(db: Db): Promise<{ seconds: number; events: number }> {
  const started = performance.now();
  const first = (await chainHead(db.kysely)).seq;
  let last = { seq: first, pending: -1 };
  let stableSince = performance.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const seq = (await chainHead(db.kysely)).seq;
    let pending = 0;
    try {
      const row = await db.kysely
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('processed_at', 'is', null)
        .executeTakeFirstOrThrow();
      pending = Number(row.n);
    } catch {
      pending = 0;
    }
    const now = performance.now();
    if (seq !== last.seq || pending !== last.pending) stableSince = now;
    last = { seq, pending };
    if ((pending === 0 && now - stableSince >= 1000) || now - stableSince >= 2000 || now - started > 180_000) {
      return { seconds: (now - started) / 1000, events: seq - first };
    }
  }
}
