// An imported order's history as Floorboard records its own: the events and stage visits a draft becomes, dated as the file says.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.ts';
import type { OrderEventType, StageChangedData } from '../events.ts';
import type { MoveKind } from '../moves.ts';
import type { OrderState } from '../order.ts';
import { firstStage, stageIndex, type WorkflowDefinition } from '../workflow.ts';
import type { DraftEntry, OrderDraft } from './model.ts';

/** The reason recorded on an imported skip or move back, which natively needs one. */
export const IMPORTED_REASON = 'Imported history';

export interface PlannedEvent {
  type: OrderEventType;
  ms: number;
  row: number;
  /** The order's version once the event applied. */
  version: number;
  data: Record<string, unknown>;
}

export interface PlannedVisit {
  stage: string;
  enteredMs: number;
  exitedMs: number | null;
  row: number;
  by: string | null;
}

export interface OrderHistory {
  events: PlannedEvent[];
  visits: PlannedVisit[];
  state: OrderState;
  stage: string;
  stageEnteredMs: number;
  createdMs: number;
  completedMs: number | null;
  updatedMs: number;
  version: number;
}

/** What a row says of an order, as a fingerprint: the same row read again (even re-saved by another program) gives the same hash. */
export function draftHash(draft: OrderDraft): string {
  const { row: _row, ...rest } = draft;
  const strip = <T extends { row: number }>(list: T[]) => list.map(({ row: _r, ...x }) => x);
  const body = {
    ...rest,
    entries: strip(rest.entries),
    comments: strip(rest.comments),
    end: rest.end && { state: rest.end.state, ms: rest.end.ms },
  };
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export function moveKind(wf: WorkflowDefinition, from: string, to: string): { kind: MoveKind; skipped: string[] } {
  const [a, b] = [stageIndex(wf, from), stageIndex(wf, to)];
  if (b < a) return { kind: 'rework', skipped: [] };
  if (b === a + 1) return { kind: 'forward', skipped: [] };
  return { kind: 'skip', skipped: wf.stages.slice(a + 1, b).map((s) => s.key) };
}

function stageChanged(wf: WorkflowDefinition, from: string, to: string): StageChangedData {
  const { kind, skipped } = moveKind(wf, from, to);
  return {
    from,
    to,
    reason: kind === 'forward' ? null : IMPORTED_REASON,
    override: kind === 'skip',
    kind,
    ...(skipped.length ? { skipped } : {}),
  };
}

/**
 * The moves, completion or cancellation, and comments that take an order from `stage` (entered at `since`, at `version`)
 * through `entries`, merged in time order. The order.created event is the caller's.
 */
function continueHistory(
  wf: WorkflowDefinition,
  draft: OrderDraft,
  start: { stage: string; since: number; version: number; createdMs: number; visits: PlannedVisit[] },
  entries: DraftEntry[],
  comments: OrderDraft['comments'],
  withEnd: boolean,
): OrderHistory {
  const events: PlannedEvent[] = [];
  const visits = start.visits;
  let { stage, since, version } = start;
  for (const e of entries) {
    if (e.stage === stage) continue;
    version += 1;
    events.push({ type: 'order.stage_changed', ms: e.ms, row: e.row, version, data: { ...stageChanged(wf, stage, e.stage) } });
    const open = visits[visits.length - 1];
    if (open) open.exitedMs = e.ms;
    visits.push({ stage: e.stage, enteredMs: e.ms, exitedMs: null, row: e.row, by: e.by ?? null });
    stage = e.stage;
    since = e.ms;
  }
  let state: OrderState = 'active';
  let completedMs: number | null = null;
  if (withEnd && draft.end?.state === 'completed') {
    state = 'completed';
    completedMs = draft.end.ms;
    events.push({ type: 'order.completed', ms: draft.end.ms, row: draft.end.row, version, data: { stage } });
  } else if (withEnd && draft.end?.state === 'cancelled') {
    state = 'cancelled';
    version += 1;
    events.push({
      type: 'order.cancelled',
      ms: draft.end.ms,
      row: draft.end.row,
      version,
      data: { reason: IMPORTED_REASON, stage },
    });
  }
  // Comments join in time order; they never change the version, so each carries the version in force when it was made.
  const merged: PlannedEvent[] = [];
  const sorted = [...comments].sort((a, b) => a.ms - b.ms);
  let c = 0;
  let current = start.version;
  for (const e of events) {
    while (c < sorted.length && sorted[c]!.ms < e.ms) merged.push(commentEvent(sorted[c++]!, current));
    merged.push(e);
    current = e.version;
  }
  while (c < sorted.length) merged.push(commentEvent(sorted[c++]!, current));
  const last = merged[merged.length - 1];
  return {
    events: merged,
    visits,
    state,
    stage,
    stageEnteredMs: since,
    createdMs: start.createdMs,
    completedMs,
    updatedMs: Math.max(since, last?.ms ?? since),
    version,
  };
}

function commentEvent(c: OrderDraft['comments'][number], version: number): PlannedEvent {
  return { type: 'comment.added', ms: c.ms, row: c.row, version, data: { body: c.body, author: c.author } };
}

/** A new order's whole history: created in its first recorded stage (or the workflow's first, when created earlier). */
export function newOrderHistory(wf: WorkflowDefinition, draft: OrderDraft): OrderHistory & { createdStage: string } {
  const entries = draft.entries;
  const first = entries[0]!;
  const start = firstStage(wf).key;
  let createdStage = first.stage;
  let createdMs = first.ms;
  let rest = entries.slice(1);
  if (draft.createdMs !== null && draft.createdMs < first.ms) {
    createdMs = draft.createdMs;
    // Created before its first dated stage: it sat in the workflow's first stage until then.
    createdStage = start;
    rest = first.stage === start ? rest : entries;
  }
  const createdEvent: PlannedEvent = { type: 'order.created', ms: createdMs, row: draft.row, version: 1, data: {} };
  const visits: PlannedVisit[] = [
    { stage: createdStage, enteredMs: createdMs, exitedMs: null, row: first.row, by: first.by ?? null },
  ];
  const earlyComments = draft.comments.filter((c) => c.ms < createdMs);
  const history = continueHistory(
    wf,
    draft,
    { stage: createdStage, since: createdMs, version: 1, createdMs, visits },
    rest,
    draft.comments.filter((c) => c.ms >= createdMs),
    true,
  );
  // A comment older than the order (a Trello card commented on before it was moved in) is kept, dated when the order was created.
  const early = earlyComments.map((c) => commentEvent({ ...c, ms: createdMs }, 1));
  return { ...history, events: [createdEvent, ...early, ...history.events], createdStage };
}

export interface ExistingOrder {
  stage: string;
  state: OrderState;
  stageEnteredMs: number;
  version: number;
  createdMs: number;
}

/**
 * What a changed row adds to an order imported before: its stage entries after the order's current one, and how it ended.
 * History already recorded is never rewritten; entries dated before the current stage's entry are reported as `kept`.
 */
export function laterHistory(
  wf: WorkflowDefinition,
  draft: OrderDraft,
  order: ExistingOrder,
): OrderHistory & { ignored: DraftEntry[] } {
  const open = order.state === 'active' || order.state === 'on_hold';
  const later = open ? draft.entries.filter((e) => e.ms > order.stageEnteredMs) : [];
  const ignored = draft.entries.filter((e) => e.ms < order.stageEnteredMs && !later.includes(e));
  const visits: PlannedVisit[] = [];
  const history = continueHistory(
    wf,
    draft,
    { stage: order.stage, since: order.stageEnteredMs, version: order.version, createdMs: order.createdMs, visits },
    later,
    [],
    open && order.state === 'active' && (later.length > 0 || draft.end?.state === 'cancelled'),
  );
  return { ...history, state: open ? history.state : order.state, ignored };
}
