// A stage's column: its label, owner, count and WIP limit, and its cards in a virtualized list,
// so a column of a thousand orders scrolls as smoothly as one of ten.
import { useDroppable } from '@dnd-kit/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { forwardRef, useCallback, useImperativeHandle, useRef } from 'react';
import type { Card, Column as ColumnData, Priority } from '../api/types.ts';
import { ROLE_NAMES } from '../auth/roles.ts';
import { PRIORITY_NAMES } from '../ui/badges.tsx';
import { type BoardActions, type CardAbilities, OrderCard } from './OrderCard.tsx';

const CARD_ESTIMATE = 132;

export interface ColumnHandle {
  /** Scrolls card `id` into view and focuses it. */
  focusCard: (id: string) => void;
  focusIndex: (index: number) => void;
}

export interface Lane {
  priority: Priority;
  cards: Card[];
  /** In rem, the same in every column, so lanes line up across the board. */
  height: number;
}

interface Props {
  column: ColumnData;
  /** The cards shown after filtering; `column.count` is all of them. */
  cards: Card[];
  lanes: Lane[] | null;
  mine: boolean;
  now: number;
  /** What this user may do with a card in this column. */
  abilities: CardAbilities;
  actions: BoardActions;
}

export const Column = forwardRef<ColumnHandle, Props>(function Column(
  { column, cards, lanes, mine, now, abilities, actions },
  ref,
) {
  const { stage } = column;
  const { setNodeRef, isOver, active } = useDroppable({ id: stage.key, data: { stage: stage.key } });
  const lists = useRef(new Map<string, ListHandle>());
  const fromHere = active?.data.current?.card?.stage === stage.key;
  const filtered = cards.length !== column.count;

  useImperativeHandle(ref, () => ({
    focusCard: (id) => {
      for (const list of lists.current.values()) if (list.focusCard(id)) return;
    },
    focusIndex: (index) => lists.current.get('all')?.focusIndex(index),
  }));

  const register = (key: string) => (handle: ListHandle | null) => {
    if (handle) lists.current.set(key, handle);
    else lists.current.delete(key);
  };

  return (
    <section
      ref={setNodeRef}
      className={[
        'column',
        column.overWipLimit ? 'column-over-wip' : '',
        isOver && !fromHere ? 'column-drop' : '',
        mine ? 'column-mine' : '',
      ]
        .filter(Boolean)
        .join(' ')}
      data-stage={stage.key}
      data-over-wip={column.overWipLimit ? 'true' : undefined}
      aria-labelledby={`col-${stage.key}`}
    >
      <header className="column-header">
        <div className="column-title-row">
          <h2 id={`col-${stage.key}`} className="column-title">
            {stage.label}
          </h2>
          <span
            className="column-count"
            data-count={column.count}
            title={column.wipLimit !== null ? `${column.count} orders; WIP limit ${column.wipLimit}` : `${column.count} orders`}
          >
            {filtered && <span className="column-count-shown">{cards.length} of </span>}
            {column.count}
            {column.wipLimit !== null && <span className="column-wip"> / {column.wipLimit}</span>}
          </span>
        </div>
        <div className="column-sub">
          <span className={`owner owner-${stage.ownerRole}`}>{ROLE_NAMES[stage.ownerRole]}</span>
          {column.overWipLimit && <span className="wip-alert">Over WIP limit</span>}
        </div>
        <p className="column-action" title={stage.nextAction}>
          {stage.nextAction}
        </p>
      </header>
      {lanes ? (
        <div className="column-lanes">
          {lanes.map((lane) => (
            <div key={lane.priority} className={`lane lane-${lane.priority}`} data-lane={lane.priority}>
              <div className="lane-label">
                {PRIORITY_NAMES[lane.priority]} <span className="lane-count">{lane.cards.length}</span>
              </div>
              <CardList
                ref={register(lane.priority)}
                cards={lane.cards}
                now={now}
                abilities={abilities}
                actions={actions}
                style={{ height: `${lane.height}rem` }}
              />
            </div>
          ))}
        </div>
      ) : (
        <CardList ref={register('all')} cards={cards} now={now} abilities={abilities} actions={actions} className="column-body" />
      )}
    </section>
  );
});

interface ListHandle {
  focusCard: (id: string) => boolean;
  focusIndex: (index: number) => void;
}

const CardList = forwardRef<
  ListHandle,
  {
    cards: Card[];
    now: number;
    abilities: CardAbilities;
    actions: BoardActions;
    className?: string;
    style?: React.CSSProperties;
  }
>(function CardList({ cards, now, abilities, actions, className, style }, ref) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: cards.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => CARD_ESTIMATE,
    getItemKey: (i) => cards[i]!.id,
    overscan: 4,
    gap: 8,
    paddingStart: 4,
    paddingEnd: 12,
    // Measured heights settle in the next frame instead of forcing a synchronous render per column.
    useFlushSync: false,
  });

  const latest = useRef({ cards, virtualizer });
  latest.current = { cards, virtualizer };
  const focusIndex = useCallback((index: number) => {
    const { cards, virtualizer } = latest.current;
    const i = Math.max(0, Math.min(cards.length - 1, index));
    const card = cards[i];
    if (!card) return;
    virtualizer.scrollToIndex(i, { align: 'auto' });
    // The card may only now be rendered: focus it once it is.
    const tryFocus = (attempts: number) => {
      const el = scroller.current?.querySelector<HTMLElement>(`[data-order="${CSS.escape(card.number)}"] .card-link`);
      if (el) el.focus({ preventScroll: false });
      else if (attempts > 0) requestAnimationFrame(() => tryFocus(attempts - 1));
    };
    requestAnimationFrame(() => tryFocus(5));
  }, []);

  useImperativeHandle(ref, () => ({
    focusCard: (id) => {
      const i = cards.findIndex((c) => c.id === id);
      if (i < 0) return false;
      focusIndex(i);
      return true;
    },
    focusIndex,
  }));

  const items = virtualizer.getVirtualItems();
  return (
    <div ref={scroller} className={['card-list', className].filter(Boolean).join(' ')} style={style}>
      {cards.length === 0 ? (
        <p className="column-empty">No orders</p>
      ) : (
        <div className="card-list-inner" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const card = cards[item.index]!;
            return (
              <div
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className="card-slot"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <OrderCard
                  card={card}
                  now={now}
                  nextLabel={abilities.nextLabel}
                  canMove={abilities.canMove}
                  index={item.index}
                  actions={actions}
                  focusIndex={focusIndex}
                />
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
});
