// The board: one column per stage of a workflow, a card per open order, flags as of now.
import { type Flag, flagJudge, PRIORITY_RANK, type Priority } from '../domain/order.ts';
import type { StageDef, Workflow } from '../domain/workflow.ts';
import { openOrdersOf } from '../store/orders.ts';
import type { Actor, AppContext } from './context.ts';
import { loadWorkflow } from './load.ts';
import { type Eta, presentEta } from './reports/forecasts.ts';
import { flagContext } from './settings.ts';

export interface Card {
  id: string;
  number: string;
  title: string;
  customerName: string;
  priority: Priority;
  dueDate: string | null;
  stage: string;
  stageEnteredAt: string;
  state: 'active' | 'on_hold';
  flags: Flag[];
  version: number;
  /** Expected completion (local dates, 50% and 85% sure), as on the order. */
  eta: Eta | null;
}

export interface Column {
  stage: StageDef;
  count: number;
  wipLimit: number | null;
  overWipLimit: boolean;
  cards: Card[];
}

export interface Board {
  workflow: Workflow;
  generatedAt: string;
  columns: Column[];
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rush first, then the earliest due date (undated last), then longest in the stage. */
export function compareCards(a: Card, b: Card): number {
  // Plain code-unit order: dates and ISO times compare correctly as text, and faster than localeCompare.
  return (
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    byText(a.dueDate ?? '9999-99-99', b.dueDate ?? '9999-99-99') ||
    byText(a.stageEnteredAt, b.stageEnteredAt)
  );
}

export async function readBoard(app: AppContext, _actor: Actor, workflowKey: string): Promise<Board> {
  const db = app.db.kysely;
  const wf = await loadWorkflow(db, workflowKey);
  const now = app.clock.now();
  const orders = await openOrdersOf(app.db, wf.key);
  const ctx = await flagContext(app);
  const columns = new Map<string, Card[]>(wf.stages.map((s) => [s.key, []]));
  const flagsOf = flagJudge(wf, now, ctx);
  for (const o of orders) {
    const card: Card = {
      id: o.id,
      number: o.number,
      title: o.title,
      customerName: o.customerName,
      priority: o.priority,
      dueDate: o.dueDate,
      stage: o.stage,
      stageEnteredAt: o.stageEnteredAt,
      state: o.state as Card['state'],
      flags: flagsOf(o),
      version: o.version,
      eta: presentEta(ctx.eta?.(o, wf)),
    };
    // An order whose stage a later workflow version renamed still shows, in the first column.
    (columns.get(o.stage) ?? columns.get(wf.stages[0]!.key)!).push(card);
  }
  return {
    workflow: wf,
    generatedAt: now.toISOString(),
    columns: wf.stages.map((stage) => {
      const cards = columns.get(stage.key)!.sort(compareCards);
      const wipLimit = stage.wipLimit ?? null;
      return { stage, count: cards.length, wipLimit, overWipLimit: wipLimit !== null && cards.length > wipLimit, cards };
    }),
  };
}
