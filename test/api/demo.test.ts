// The demo shows what the README promises whenever it is started: stalled orders on the board, even at a weekend or at night.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBoard } from '../../src/app/board.ts';
import { SYSTEM_ACTOR } from '../../src/app/context.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { freshDb } from '../support/harness.ts';

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
/** "about 60 orders with six weeks of believable history" → 6. */
function readmeWeeks(): number {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  const word = /orders with (\w+) weeks of/.exec(readme)?.[1] ?? '';
  return WORDS.indexOf(word);
}

describe('the demo seeded at any hour', () => {
  for (const [when, at] of [
    ['on a Saturday morning', '2026-12-05T10:00:00Z'],
    ['on a Sunday evening', '2026-12-06T21:30:00Z'],
    ['on a weekday evening', '2026-12-09T19:45:00Z'],
    ['on a Monday morning before opening', '2026-12-07T06:00:00Z'],
  ] as const) {
    it(`has stalled orders on the board ${when}`, async () => {
      const { db, drop } = await freshDb();
      try {
        const app = { db, clock: new ManualClock(at) };
        await seedDemo(app);
        const board = await readBoard(app, SYSTEM_ACTOR, 'custom-apparel');
        const cards = board.columns.flatMap((c) => c.cards);
        const stalled = cards.filter((c) => c.flags.includes('stalled'));
        expect(stalled.length, `stalled of ${cards.length} open`).toBeGreaterThanOrEqual(4);
        // Stalled in more than one stage, so the board shows them across the pipeline.
        expect(new Set(stalled.map((c) => c.stage)).size).toBeGreaterThanOrEqual(2);
        // As many weeks of history as the README says.
        const oldest = await db.kysely
          .selectFrom('orders')
          .select('created_at')
          .orderBy('created_at')
          .limit(1)
          .executeTakeFirstOrThrow();
        const weeks = (Date.parse(at) - new Date(oldest.created_at as string | Date).getTime()) / (7 * 86_400_000);
        expect(Math.round(weeks)).toBe(readmeWeeks());
      } finally {
        await drop();
      }
    }, 120_000);
  }
});
