// The board as the app holds it: cards placed in their stage's column, kept in the server's order as changes arrive.
import type { Board, Card, Order, Priority } from '../api/types.ts';

const RANK: Record<Priority, number> = { rush: 0, high: 1, normal: 2, low: 3 };

/** The server's card order: rush first, then the earliest due date (undated last), then longest in the stage. */
export function compareCards(a: Card, b: Card): number {
  return (
    RANK[a.priority] - RANK[b.priority] ||
    (a.dueDate ?? '9999-99-99').localeCompare(b.dueDate ?? '9999-99-99') ||
    a.stageEnteredAt.localeCompare(b.stageEnteredAt)
  );
}

/** A card as the board shows it, from a full order; null when the order no longer belongs on a board. */
export function cardFromOrder(order: Order): Card | null {
  if (order.state !== 'active' && order.state !== 'on_hold') return null;
  return {
    id: order.id,
    number: order.number,
    title: order.title,
    customerName: order.customer.name,
    priority: order.priority,
    dueDate: order.dueDate,
    stage: order.stage,
    stageEnteredAt: order.stageEnteredAt,
    state: order.state,
    flags: order.flags,
    version: order.version,
    eta: order.eta ?? null,
  };
}

export function findCard(board: Board, id: string): Card | undefined {
  for (const column of board.columns) {
    const card = column.cards.find((c) => c.id === id);
    if (card) return card;
  }
  return undefined;
}

/**
 * The board with order `id` shown as `card` (or removed, for null). An older version never
 * replaces a newer one, so answers and live events may arrive in any order.
 */
export function placeCard(board: Board, id: string, card: Card | null, opts: { force?: boolean } = {}): Board {
  const existing = findCard(board, id);
  if (existing && card && card.version < existing.version && !opts.force) return board;
  const target = card ? (board.columns.find((c) => c.stage.key === card.stage) ?? null) : null;
  let changed = false;
  const columns = board.columns.map((column) => {
    const had = column.cards.some((c) => c.id === id);
    const gets = target === column;
    if (!had && !gets) return column;
    changed = true;
    const cards = column.cards.filter((c) => c.id !== id);
    if (gets && card) cards.push(card);
    cards.sort(compareCards);
    const wipLimit = column.wipLimit;
    return { ...column, cards, count: cards.length, overWipLimit: wipLimit !== null && cards.length > wipLimit };
  });
  return changed ? { ...board, columns } : board;
}
