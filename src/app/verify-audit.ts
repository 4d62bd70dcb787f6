// Checking the audit chain end to end: every event's hash, every link, and the head that seals the last one.
import { type ChainBreak, findChainBreak, GENESIS_HASH } from '../domain/audit.ts';
import { chainHead, eventBatches } from '../store/events.ts';
import type { AppContext } from './context.ts';

export interface AuditReport {
  ok: boolean;
  events: number;
  lastSeq: number;
  lastHash: string;
  broken: (ChainBreak & { detail: string }) | null;
}

function describe(b: ChainBreak): string {
  switch (b.problem) {
    case 'hash-mismatch':
      return `event ${b.seq} does not match its hash: its content was changed after it was written`;
    case 'prev-hash-mismatch':
      return `event ${b.seq} does not link to the event before it`;
    case 'sequence-gap':
      return `event ${b.expectedSeq} is missing (the next one found is ${b.seq})`;
  }
}

export async function verifyAudit(app: AppContext): Promise<AuditReport> {
  const db = app.db.kysely;
  const head = await chainHead(db);
  let last = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  let broken: ChainBreak | null = null;
  for await (const batch of eventBatches(db)) {
    const result = findChainBreak(batch, last);
    checked += result.checked;
    last = result.last;
    broken = result.broken;
    if (broken) break;
  }
  if (!broken && last.seq < head.seq) {
    // The chain stops short of the head: events were removed from the end.
    broken = { seq: last.seq + 1, problem: 'sequence-gap', expectedSeq: last.seq + 1 };
  } else if (!broken && last.hash !== head.hash) {
    broken = { seq: last.seq, problem: 'hash-mismatch', expected: head.hash, stored: last.hash };
  }
  return {
    ok: broken === null,
    events: checked,
    lastSeq: last.seq,
    lastHash: last.hash,
    broken: broken ? { ...broken, detail: describe(broken) } : null,
  };
}
