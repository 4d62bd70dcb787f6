// Checking the audit chain end to end: every event's hash, every link, and the head that seals the last one.
import { type ChainBreak, findChainBreak } from '../domain/audit.ts';
import { chainHead, walkEvents } from '../store/events.ts';
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
  const result = await (async () => {
    const buffered = [];
    let last = { seq: 0, hash: '0'.repeat(64) };
    let checked = 0;
    // Walk in batches so a million events are checked without holding them all.
    for await (const e of walkEvents(db)) {
      buffered.push(e);
      if (buffered.length >= 5000) {
        const r = findChainBreak(buffered, last);
        checked += r.checked;
        if (r.broken) return { checked, last: r.last, broken: r.broken };
        last = r.last;
        buffered.length = 0;
      }
    }
    const r = findChainBreak(buffered, last);
    return { checked: checked + r.checked, last: r.last, broken: r.broken };
  })();
  let broken: ChainBreak | null = result.broken;
  if (!broken && (result.last.seq !== head.seq || result.last.hash !== head.hash)) {
    // The chain ends before the head says it should: events were removed from the end.
    broken = { seq: result.last.seq + 1, problem: 'sequence-gap', expectedSeq: result.last.seq + 1 };
  }
  return {
    ok: broken === null,
    events: result.checked,
    lastSeq: result.last.seq,
    lastHash: result.last.hash,
    broken: broken ? { ...broken, detail: describe(broken) } : null,
  };
}
