// The workflow's stages as a list in their order: drag a stage by its handle (mouse, touch, or keyboard: Space to
// pick up, arrows to move, Space to drop) to reorder; insert a stage between two; pick one to open its panel.
import {
  type Announcements,
  closestCenter,
  DndContext,
  type DragEndEvent,
  type DragOverEvent,
  KeyboardCode,
  type KeyboardCoordinateGetter,
  KeyboardSensor,
  MouseSensor,
  TouchSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { useState } from 'react';
import { ROLE_NAMES } from '../../auth/roles.ts';
import type { StageDraft } from './draft.ts';

/**
 * Arrow keys move the lifted stage one place up or down: onto the stage above or below the one it is over
 * (dnd-kit's own keyboard steps are 25 px, which means nothing in a list).
 */
const oneStagePerKey: KeyboardCoordinateGetter = (event, { context, currentCoordinates }) => {
  const step = event.code === KeyboardCode.Down ? 1 : event.code === KeyboardCode.Up ? -1 : 0;
  const { active, over, collisionRect, droppableRects } = context;
  if (!step || !active || !collisionRect) return undefined;
  event.preventDefault();
  const rows = [...droppableRects.entries()].sort(([, a], [, b]) => a.top - b.top);
  const at = rows.findIndex(([id]) => id === (over?.id ?? active));
  const target = rows[at + step]?.[1];
  if (!target) return currentCoordinates;
  return { x: currentCoordinates.x, y: target.top + (target.height - collisionRect.height) / 2 };
};

export function StageList({
  stages,
  selected,
  problems,
  onSelect,
  onMove,
  onInsert,
}: {
  stages: StageDraft[];
  selected: string | null;
  /** Ids of stages with something to fix. */
  problems: Set<string>;
  onSelect: (id: string) => void;
  onMove: (from: number, to: number) => void;
  /** Adds a new stage at this place (0 = first). */
  onInsert: (at: number) => void;
}) {
  const [over, setOver] = useState<{ id: string; below: boolean } | null>(null);
  /** The stage a lifted stage is over, itself included: set once a drag has measured the list and takes keys. */
  const [overKey, setOverKey] = useState<string | null>(null);
  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 180, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: oneStagePerKey }),
  );
  const indexOf = (id: unknown) => stages.findIndex((s) => s.id === id);
  const name = (id: unknown) => {
    const i = indexOf(id);
    return `stage ${i + 1}, ${stages[i]?.label || 'New stage'}`;
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${name(active.id)}. Arrow keys move it, Space drops it, Escape cancels.`,
    onDragOver: ({ active, over }) => (over ? `${name(active.id)} would go to place ${indexOf(over.id) + 1}.` : undefined),
    onDragEnd: ({ over }) => (over ? `Dropped: the stage is now at place ${indexOf(over.id) + 1}.` : 'Dropped.'),
    onDragCancel: ({ active }) => `Cancelled: ${name(active.id)} stays where it was.`,
  };
  const onDragOver = ({ active, over }: DragOverEvent) => {
    setOver(over && over.id !== active.id ? { id: String(over.id), below: indexOf(over.id) > indexOf(active.id) } : null);
    setOverKey(over ? (stages[indexOf(over.id)]?.key ?? null) : null);
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setOver(null);
    setOverKey(null);
    if (!over || over.id === active.id) return;
    onMove(indexOf(active.id), indexOf(over.id));
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={() => {
        setOver(null);
        setOverKey(null);
      }}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable: 'To move this stage, press Space, then the up and down arrows, then Space again to drop it.',
        },
      }}
    >
      <div className="wf-stage-column">
        <button type="button" className="wf-insert" onClick={() => onInsert(0)}>
          + Insert a stage at the start
        </button>
        <ol className="wf-stage-list" aria-label="Stages, in order" data-over-stage={overKey ?? undefined}>
          {stages.map((s, i) => (
            <StageRow
              key={s.id}
              stage={s}
              place={i + 1}
              last={i === stages.length - 1}
              open={s.id === selected}
              needsWork={problems.has(s.id)}
              dropHint={over?.id === s.id ? (over.below ? 'below' : 'above') : null}
              onSelect={() => onSelect(s.id)}
              onInsertAfter={() => onInsert(i + 1)}
            />
          ))}
        </ol>
      </div>
    </DndContext>
  );
}

function StageRow({
  stage,
  place,
  last,
  open,
  needsWork,
  dropHint,
  onSelect,
  onInsertAfter,
}: {
  stage: StageDraft;
  place: number;
  last: boolean;
  open: boolean;
  needsWork: boolean;
  dropHint: 'above' | 'below' | null;
  onSelect: () => void;
  onInsertAfter: () => void;
}) {
  const drag = useDraggable({ id: stage.id });
  const drop = useDroppable({ id: stage.id });
  const label = stage.label || 'New stage';
  const style = drag.transform ? { transform: `translate3d(0, ${drag.transform.y}px, 0)` } : undefined;
  return (
    <li
      ref={(node) => {
        drag.setNodeRef(node);
        drop.setNodeRef(node);
      }}
      style={style}
      className={[
        'wf-stage-row',
        open ? 'open' : '',
        drag.isDragging ? 'dragging' : '',
        dropHint ? `drop-${dropHint}` : '',
        needsWork ? 'needs-work' : '',
      ]
        .filter(Boolean)
        .join(' ')}
      data-stage-row={stage.key}
      data-drop-target={dropHint ?? undefined}
    >
      <div className="wf-stage-line">
        <button
          type="button"
          className="wf-drag-handle"
          ref={drag.setActivatorNodeRef}
          {...drag.attributes}
          {...drag.listeners}
          aria-label={`Move ${label} (stage ${place})`}
          data-drag-stage={stage.key}
        >
          <span aria-hidden="true">⠿</span>
        </button>
        <button type="button" className="wf-stage-open" aria-expanded={open} onClick={onSelect} data-open-stage={stage.key}>
          <span className="wf-stage-number">{place}</span>
          <span className="wf-stage-text">
            <strong>{label}</strong>
            <span className="muted small">
              <code>{stage.key}</code> · {ROLE_NAMES[stage.ownerRole]}
              {last ? ' · completes the order' : ''}
            </span>
          </span>
          {needsWork && <span className="wf-stage-warning">Needs attention</span>}
        </button>
      </div>
      <button type="button" className="wf-insert" onClick={onInsertAfter} aria-label={`Insert a stage after ${label}`}>
        + Insert stage here
      </button>
    </li>
  );
}
