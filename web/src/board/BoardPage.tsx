// The board: every stage a column, every open order a card, kept true live; drag a card on to move it.
import {
  type CollisionDetection,
  DndContext,
  type DragEndEvent,
  DragOverlay,
  type DragStartEvent,
  MouseSensor,
  pointerWithin,
  rectIntersection,
  TouchSensor,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { keys, useBoard, useWorkflows } from '../api/queries.ts';
import { type Board, type Card, type Flag, PRIORITIES } from '../api/types.ts';
import { setSearchParams, useLocation } from '../app/router.tsx';
import { mayMoveOutOf, mayOverride } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { BoardPrintBar } from '../print/BoardPrintBar.tsx';
import { SelectionProvider } from '../print/selection.tsx';
import { notify } from '../ui/notices.tsx';
import { useNow } from '../ui/now.ts';
import { useTitle } from '../ui/title.ts';
import { AlertsBar } from './AlertsBar.tsx';
import { findCard } from './board-cache.ts';
import { Column, type ColumnHandle, type Lane } from './Column.tsx';
import { FilterBar } from './FilterBar.tsx';
import { cardMatches, readFilters, writeFilters } from './filters.ts';
import { nextStage, stageLabel, useMoves } from './moves.tsx';
import { type BoardActions, type CardAbilities, CardFace } from './OrderCard.tsx';

export const WORKFLOW_KEY = 'floorboard.workflow';
/** A card's height in a lane, in rem so it grows with the wall-screen text size. */
const LANE_CARD_REM = 10;

const collisions: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  return hits.length ? hits : rectIntersection(args);
};

export function BoardPage() {
  // Which cards are ticked for printing: the print bar and every card read it.
  return (
    <SelectionProvider>
      <BoardScreen />
    </SelectionProvider>
  );
}

function BoardScreen() {
  const user = useUser();
  const qc = useQueryClient();
  useTitle('Board');
  const { params } = useLocation();
  const workflows = useWorkflows();
  const wanted = params.get('workflow') ?? localStorage.getItem(WORKFLOW_KEY) ?? undefined;
  // The board the screen showed last is asked for at once, before the list of workflows confirms it exists.
  const workflowKey = workflows.data ? (workflows.data.find((w) => w.key === wanted)?.key ?? workflows.data[0]?.key) : wanted;
  const board = useBoard(workflowKey);
  const wf = board.data?.workflow;
  const search = params.toString();
  const filters = useMemo(() => readFilters(new URLSearchParams(search)), [search]);
  const now = useNow();
  const moves = useMoves(wf);
  const columnRefs = useRef(new Map<string, ColumnHandle>());
  const boardRef = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState<Card | null>(null);

  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 180, tolerance: 8 } }),
  );

  const view = useMemo(() => shape(board.data, filters, user.role, now), [board.data, filters, user.role, now]);

  // Mark the moment the board is first on screen: the bench reads it (performance.mark).
  const marked = useRef(false);
  useEffect(() => {
    if (!board.data || marked.current) return;
    marked.current = true;
    requestAnimationFrame(() => {
      performance.mark('board-rendered');
      boardRef.current?.setAttribute('data-ready', 'true');
    });
  }, [board.data]);

  const chooseWorkflow = (key: string) => {
    localStorage.setItem(WORKFLOW_KEY, key);
    const next = new URLSearchParams(params);
    next.set('workflow', key);
    setSearchParams(next);
  };

  const focusCardSoon = useCallback(
    (card: Card) => {
      setTimeout(() => {
        const board = qc.getQueryData<Board>(keys.board(workflowKey ?? ''));
        const now = board && findCard(board, card.id);
        if (now) columnRefs.current.get(now.stage)?.focusCard(card.id);
      }, 60);
    },
    [qc, workflowKey],
  );

  // One stable set of actions for every card; they read the board as it is when they run.
  const latest = useRef({ wf, moves, view, focusCardSoon });
  latest.current = { wf, moves, view, focusCardSoon };
  const actions = useMemo<BoardActions>(
    () => ({
      moveNext: (card) => {
        const { wf, moves, focusCardSoon } = latest.current;
        const next = wf ? nextStage(wf, card.stage) : undefined;
        if (!next || card.state !== 'active') return;
        moves.requestMove(card, next.key);
        focusCardSoon(card);
      },
      moveBack: (card) => {
        const { wf, moves } = latest.current;
        const index = wf?.stages.findIndex((s) => s.key === card.stage) ?? -1;
        const previous = wf?.stages[index - 1];
        if (previous && card.state === 'active') moves.requestMove(card, previous.key);
      },
      chooseStage: (card) => latest.current.moves.chooseStage(card),
      focusColumn: (card, direction) => {
        const shown = latest.current.view.columns;
        let i = shown.findIndex((c) => c.column.stage.key === card.stage) + direction;
        while (i >= 0 && i < shown.length && shown[i]!.cards.length === 0) i += direction;
        const target = shown[i];
        if (target) columnRefs.current.get(target.column.stage.key)?.focusIndex(0);
      },
    }),
    [],
  );
  const abilitiesOf = (stageKey: string): CardAbilities => {
    const stage = wf?.stages.find((s) => s.key === stageKey);
    return {
      nextLabel: (wf && nextStage(wf, stageKey)?.label) ?? null,
      canMove: Boolean(stage && mayMoveOutOf(user.role, stage.ownerRole)),
    };
  };

  const dragStart = useRef<Card | null>(null);
  const onDragStart = (e: DragStartEvent) => {
    const card = e.active.data.current?.card as Card | undefined;
    dragStart.current = card ? { ...card } : null;
    setDragging(card ?? null);
  };
  const onDragEnd = (e: DragEndEvent) => {
    const start = dragStart.current;
    dragStart.current = null;
    setDragging(null);
    const to = e.over?.data.current?.stage as string | undefined;
    if (!start || !to || to === start.stage || !board.data) return;
    // Someone may have moved the card while it was in the air: the server's word wins.
    const current = findCard(board.data, start.id);
    if (!current || current.version !== start.version || current.stage !== start.stage) {
      notify(
        'warning',
        `${start.number} was changed by someone else while you were dragging it`,
        current
          ? `It is in ${stageLabel(wf, current.stage)}${current.state === 'on_hold' ? ', on hold' : ''}. Nothing was moved.`
          : 'It is no longer open on this board. Nothing was moved.',
      );
      return;
    }
    moves.requestMove(current, to);
  };

  if (workflows.isError || board.isError) {
    return (
      <main className="page">
        <p className="form-error" role="alert">
          The board could not be loaded: {(board.error ?? workflows.error)?.message}
        </p>
        <button type="button" className="button" onClick={() => board.refetch()}>
          Try again
        </button>
      </main>
    );
  }
  if (workflows.data && workflows.data.length === 0) {
    return (
      <main className="page">
        <h1>No workflows yet</h1>
        <p className="muted">An admin creates the first workflow under Admin → Workflows.</p>
      </main>
    );
  }

  return (
    <main className="board-page" id="main">
      <h1 className="sr-only">Board</h1>
      <FilterBar
        workflows={workflows.data ?? []}
        workflow={workflowKey ?? ''}
        onWorkflow={chooseWorkflow}
        filters={filters}
        onChange={(next) => setSearchParams(writeFilters(next, params))}
        shown={view.shown}
        total={view.total}
      />
      <BoardPrintBar shown={view.columns.flatMap((c) => c.cards.map((card) => card.number))} />
      <Summary board={board.data} onFlag={(flag) => setSearchParams(writeFilters({ ...filters, flag }, params))} />
      {mayOverride(user.role) && <AlertsBar workflow={workflowKey} />}
      <nav className="stage-jump" aria-label="Go to stage">
        {view.columns.map(({ column, cards }) => (
          <button
            key={column.stage.key}
            type="button"
            className={column.overWipLimit ? 'stage-chip over' : 'stage-chip'}
            onClick={() =>
              boardRef.current
                ?.querySelector(`[data-stage="${column.stage.key}"]`)
                ?.scrollIntoView({ inline: 'center', block: 'nearest', behavior: 'smooth' })
            }
          >
            {column.stage.label} <strong>{cards.length}</strong>
          </button>
        ))}
      </nav>
      {/* Someone who may move no card of this workflow (a viewer) is not told the keys for moving. */}
      <p id="card-keys-help" className="sr-only" data-keys-help>
        {wf?.stages.some((s) => mayMoveOutOf(user.role, s.ownerRole))
          ? 'Enter opens the order. Shift and Right arrow moves it to the next stage; Shift and Left arrow sends it back. M opens its menu. Arrow keys move between cards.'
          : 'Enter opens the order. M opens its menu. Arrow keys move between cards.'}
      </p>
      {!board.data ? (
        <div className="board board-loading" aria-busy="true">
          <p className="muted">Loading the board…</p>
        </div>
      ) : (
        <DndContext
          sensors={sensors}
          collisionDetection={collisions}
          onDragStart={onDragStart}
          onDragEnd={onDragEnd}
          onDragCancel={() => {
            dragStart.current = null;
            setDragging(null);
          }}
          accessibility={{
            announcements: {
              onDragStart: ({ active }) => `Picked up ${(active.data.current?.card as Card)?.number ?? 'order'}`,
              onDragOver: ({ over }) => (over ? `Over ${stageLabel(wf, String(over.id))}` : 'Not over a stage'),
              onDragEnd: ({ over }) => (over ? `Dropped on ${stageLabel(wf, String(over.id))}` : 'Dropped back'),
              onDragCancel: () => 'Move cancelled',
            },
          }}
        >
          <div
            ref={boardRef}
            className={view.lanes ? 'board board-lanes' : 'board'}
            data-board={workflowKey}
            data-dragging={dragging ? 'true' : undefined}
          >
            {view.columns.length === 0 && (
              <p className="board-empty muted">
                No stage of this workflow is owned by your role. Untick "Only my stages" to see the whole board.
              </p>
            )}
            {view.columns.map(({ column, cards, lanes }) => (
              <Column
                key={column.stage.key}
                ref={(handle) => {
                  if (handle) columnRefs.current.set(column.stage.key, handle);
                  else columnRefs.current.delete(column.stage.key);
                }}
                column={column}
                cards={cards}
                lanes={lanes}
                mine={column.stage.ownerRole === user.role}
                now={now}
                abilities={abilitiesOf(column.stage.key)}
                actions={actions}
              />
            ))}
          </div>
          <DragOverlay dropAnimation={null}>
            {dragging && (
              <div className={`card card-${dragging.priority} card-overlay`}>
                <CardFace card={dragging} now={now} />
              </div>
            )}
          </DragOverlay>
        </DndContext>
      )}
      {moves.dialog}
    </main>
  );
}

/** The few numbers a manager looks for first; each one filters the board to those orders. */
function Summary({ board, onFlag }: { board: Board | undefined; onFlag: (flag: Flag) => void }) {
  if (!board) return null;
  const count = (flag: string) =>
    board.columns.reduce((n, c) => n + c.cards.filter((x) => x.flags.includes(flag as never)).length, 0);
  const over = board.columns.filter((c) => c.overWipLimit).length;
  const items = [
    ['stalled', 'stalled', count('stalled')],
    ['at-risk', 'at risk', count('at-risk')],
    ['overdue', 'overdue', count('overdue')],
    ['on-hold', 'on hold', count('on-hold')],
  ] as const;
  return (
    <div className="summary">
      {items.map(([flag, label, n]) => (
        <button
          key={flag}
          type="button"
          className={`summary-item summary-${flag}`}
          disabled={n === 0}
          onClick={() => onFlag(flag)}
        >
          <strong>{n}</strong> {label}
        </button>
      ))}
      {over > 0 && (
        <span className="summary-item summary-wip">
          <strong>{over}</strong> {over === 1 ? 'stage' : 'stages'} over WIP limit
        </span>
      )}
    </div>
  );
}

interface ShapedColumn {
  column: Board['columns'][number];
  cards: Card[];
  lanes: Lane[] | null;
}

/** The board as this user asked to see it: filtered, narrowed to their stages, split into lanes. */
function shape(
  board: Board | undefined,
  filters: ReturnType<typeof readFilters>,
  role: string,
  now: number,
): { columns: ShapedColumn[]; shown: number; total: number; lanes: boolean } {
  if (!board) return { columns: [], shown: 0, total: 0, lanes: false };
  const columns = board.columns
    .filter((c) => !filters.mine || c.stage.ownerRole === role)
    .map((column) => ({ column, cards: column.cards.filter((card) => cardMatches(card, filters, now)) }));
  const total = board.columns.reduce((n, c) => n + c.count, 0);
  const shown = columns.reduce((n, c) => n + c.cards.length, 0);
  if (filters.lanes !== 'priority') return { columns: columns.map((c) => ({ ...c, lanes: null })), shown, total, lanes: false };
  // A lane is as tall as its fullest cell (up to three cards; longer cells scroll), the same in every column.
  const heights = new Map(
    PRIORITIES.map((p) => {
      const most = Math.max(0, ...columns.map((c) => c.cards.filter((card) => card.priority === p).length));
      return [p, most === 0 ? 0 : Math.min(most, 3) * LANE_CARD_REM + 1];
    }),
  );
  const used = PRIORITIES.filter((p) => heights.get(p)! > 0);
  return {
    columns: columns.map((c) => ({
      ...c,
      lanes: used.map((p) => ({ priority: p, cards: c.cards.filter((card) => card.priority === p), height: heights.get(p)! })),
    })),
    shown,
    total,
    lanes: true,
  };
}
