// A diagnostic between the limit and the API: the app's own moveOrder use case (Kysely, the store, the view it
// answers with), called in this process with no HTTP. The gap to the limit is the app and Kysely; the gap to the
// API is HTTP (Fastify, auth, validation, serialization, logging, metrics).
import { actorForToken } from '../src/app/manage-access.ts';
import { moveOrder } from '../src/app/move-order.ts';
import { bringFactsUpToDate } from '../src/app/reports/insight.ts';
import { systemClock } from '../src/domain/clock.ts';
import { type Db, openDb } from '../src/store/db.ts';
import type { LimitResult } from './limit-sqlite.ts';
import { moveBody, readSlots, STAGE_KEYS, sliceSlots } from './seed.ts';
import { summarize } from './stats.ts';

export async function inProcessMoves(url: string, token: string, seconds: number, workers: number): Promise<LimitResult> {
  const db = openDb(url, { poolSize: workers });
  try {
    const result = await timedUseCaseMoves(db, token, seconds, workers);
    return {
      ...result,
      label: `moveOrder use case in-process (Kysely over ${db.dialect === 'sqlite' ? 'better-sqlite3' : 'pg'}), no HTTP`,
    };
  } finally {
    await db.close();
  }
}

/**
 * `workers` loops calling moveOrder on their own slice of the seeded orders for `seconds`; with `withAuth`
 * each move first looks its token up, as a request would.
 */
export async function timedUseCaseMoves(
  db: Db,
  token: string,
  seconds: number,
  workers: number,
  withAuth = false,
): Promise<LimitResult> {
  const app = { db, clock: systemClock };
  // As a running server would have: the history is folded into the insight facts before the clock starts.
  await bringFactsUpToDate(app);
  const actor = await actorForToken(app, token);
  if (!actor) throw new Error('the bench token is not valid');
  const slices = sliceSlots(await readSlots(db), workers);
  const latencies: number[] = [];
  let moves = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    slices.map(async (slice) => {
      for (let i = 0; ; i++) {
        const t0 = performance.now();
        if (t0 >= deadline) return;
        const slot = slice[i % slice.length]!;
        const who = withAuth ? (await actorForToken(app, token))! : actor;
        const view = await moveOrder(app, who, slot.id, moveBody(slot));
        slot.stage = STAGE_KEYS.indexOf(view.stage);
        slot.version = view.version;
        latencies.push(performance.now() - t0);
        moves++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    label: '',
    roundTrips: 0,
    workers,
    seconds: elapsed,
    moves,
    movesPerSecond: moves / elapsed,
    latency: summarize(latencies),
  };
}
