// A card on the board: what the order is, for whom, when it is due, how long it has sat here, and what is wrong.
import { useDraggable } from '@dnd-kit/core';
import { type KeyboardEvent, memo, type PointerEvent, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { Card, Eta } from '../api/types.ts';
import { navigate } from '../app/router.tsx';
import { CardSelect } from '../print/selection.tsx';
import { FlagBadges, PriorityBadge } from '../ui/badges.tsx';
import { calendarDate, daysUntil, dueText, duration, fullTimestamp, shortDate } from '../ui/format.ts';
import { notify } from '../ui/notices.tsx';

/** What a card can ask the board to do; one stable object for all cards, so a card re-renders only when it changes. */
export interface BoardActions {
  moveNext: (card: Card) => void;
  moveBack: (card: Card) => void;
  chooseStage: (card: Card) => void;
  /** Focus the nearest card in the column to the left or right. */
  focusColumn: (card: Card, direction: -1 | 1) => void;
}

/** What this user may do with a card where it is. */
export interface CardAbilities {
  /** The next stage's label; null in the last stage. */
  nextLabel: string | null;
  canMove: boolean;
}

export function orderPath(number: string): string {
  return `/orders/${encodeURIComponent(number)}`;
}

/** The card's face, shared by the board and the copy that follows the pointer while dragging. */
export function CardFace({ card, now, link }: { card: Card; now: number; link?: React.ReactNode }) {
  const late = card.dueDate !== null && daysUntil(card.dueDate, now) < 0;
  return (
    <>
      <div className="card-top">
        <span className="card-number">{card.number}</span>
        <PriorityBadge priority={card.priority} quiet />
        {card.eta && <CardEta eta={card.eta} dueDate={card.dueDate} now={now} />}
      </div>
      <div className="card-title">{link ?? card.title}</div>
      <div className="card-customer">{card.customerName}</div>
      <div className="card-meta">
        {card.dueDate ? (
          <span className={late ? 'card-due late' : 'card-due'} title={`Due ${calendarDate(card.dueDate, now)}`}>
            {dueText(card.dueDate, now, shortDate)}
          </span>
        ) : (
          <span className="card-due muted">No due date</span>
        )}
        <span className="card-age" title={`In this stage since ${fullTimestamp(card.stageEnteredAt)}`}>
          <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
            <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
            <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          </svg>{' '}
          {duration(now - new Date(card.stageEnteredAt).getTime())}
          <span className="sr-only"> in this stage</span>
        </span>
      </div>
      <FlagBadges flags={card.flags} />
    </>
  );
}

/** "ETA 17 Dec": when the forecast expects it done (half the time by then); the title gives the 85% date. */
function CardEta({ eta, dueDate, now }: { eta: Eta; dueDate: string | null; now: number }) {
  // Likely late: even the 50% date is after the due date.
  const late = dueDate !== null && eta.p50 > dueDate;
  return (
    <span
      className={late ? 'card-eta late' : 'card-eta'}
      title={`Expected done ${calendarDate(eta.p50, now)}; 85% sure by ${calendarDate(eta.p85, now)}`}
      data-eta={eta.p50}
    >
      ETA {shortDate(eta.p50, now)}
    </span>
  );
}

function classes(card: Card, extra: string) {
  return [
    'card',
    `card-${card.priority}`,
    card.state === 'on_hold' ? 'card-held' : '',
    card.flags.includes('overdue') ? 'card-overdue' : '',
    card.flags.includes('stalled') || card.flags.includes('escalated') ? 'card-stalled' : '',
    card.pending ? 'card-pending' : '',
    extra,
  ]
    .filter(Boolean)
    .join(' ');
}

export const OrderCard = memo(function OrderCard({
  card,
  now,
  nextLabel,
  canMove,
  index,
  actions,
  focusIndex,
}: CardAbilities & {
  card: Card;
  now: number;
  /** The card's place in its list. */
  index: number;
  actions: BoardActions;
  /** Focus the card at this place of the same list. */
  focusIndex: (index: number) => void;
}) {
  const movable = canMove && card.state === 'active';
  const { setNodeRef, listeners, isDragging } = useDraggable({ id: card.id, data: { card }, disabled: !movable });
  const [menuOpen, setMenuOpen] = useState(false);
  // A card that may not move does not lift; a person trying to drag it is told why, once per try.
  const tried = useRef<{ x: number; y: number; told: boolean } | null>(null);
  const refusedDrag = movable
    ? listeners
    : {
        onPointerDown: (e: PointerEvent<HTMLElement>) => {
          if (e.button === 0) tried.current = { x: e.clientX, y: e.clientY, told: false };
        },
        onPointerMove: (e: PointerEvent<HTMLElement>) => {
          const t = tried.current;
          if (!t || t.told || (e.buttons & 1) === 0 || Math.hypot(e.clientX - t.x, e.clientY - t.y) < 8) return;
          t.told = true;
          notify('warning', `${card.number} cannot be moved by you`, whyNotMovable(card));
        },
        onPointerUp: () => {
          tried.current = null;
        },
      };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const key = e.key;
    if ((key === 'ArrowRight' && e.shiftKey) || key === '.') actions.moveNext(card);
    else if ((key === 'ArrowLeft' && e.shiftKey) || key === ',') actions.moveBack(card);
    else if (key === 'm' || key === 'M' || key === 'ContextMenu') setMenuOpen(true);
    else if (key === 'ArrowDown') focusIndex(index + 1);
    else if (key === 'ArrowUp') focusIndex(index - 1);
    else if (key === 'ArrowRight') actions.focusColumn(card, 1);
    else if (key === 'ArrowLeft') actions.focusColumn(card, -1);
    else return;
    e.preventDefault();
  };

  // The title is the card's one focus stop: a link to the order (Enter opens it) that also takes the
  // board's keys for moving. The card around it is what a mouse or a finger drags.
  const link = (
    <a
      href={orderPath(card.number)}
      className="card-link"
      draggable={false}
      aria-describedby="card-keys-help"
      aria-label={`${card.number}: ${card.title}, ${card.customerName}`}
      onKeyDown={onKeyDown}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
        e.preventDefault();
        navigate(orderPath(card.number));
      }}
    >
      {card.title}
    </a>
  );

  return (
    <article
      ref={setNodeRef}
      {...refusedDrag}
      className={classes(card, isDragging ? 'card-dragging' : '')}
      data-order={card.number}
      data-version={card.version}
      onDoubleClick={() => navigate(orderPath(card.number))}
    >
      <CardFace card={card} now={now} link={link} />
      <CardSelect number={card.number} />
      <CardMenu card={card} nextLabel={nextLabel} canMove={canMove} actions={actions} open={menuOpen} setOpen={setMenuOpen} />
    </article>
  );
});

/** Why this person may not move the card, the same words in the menu and after a refused drag. */
function whyNotMovable(card: Card): string {
  return card.state === 'on_hold' ? 'On hold: resume it on the order page to move it.' : 'Your role does not own this stage.';
}

/** The card's "⋯" menu: the same moves as dragging, for a keyboard, a phone, or anyone who prefers it. */
function CardMenu({
  card,
  nextLabel,
  canMove,
  actions,
  open,
  setOpen,
}: CardAbilities & {
  card: Card;
  actions: BoardActions;
  open: boolean;
  setOpen: (open: boolean) => void;
}) {
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState<{ top: number; left: number } | null>(null);
  const movable = canMove && card.state === 'active';

  // The menu is fixed to the window, so it is placed beside its button, and placed again whenever anything scrolls:
  // a live update or a column measuring its cards can scroll the board while the menu is open.
  const place = useCallback(() => {
    if (!button.current) return;
    const r = button.current.getBoundingClientRect();
    const width = 240;
    // Below the button, or above it when the window has no room below.
    const height = menu.current?.offsetHeight ?? 160;
    const below = r.bottom + 4;
    const top = below + height > window.innerHeight - 8 && r.top - 4 - height >= 8 ? r.top - 4 - height : below;
    setPosition({ top, left: Math.max(8, Math.min(r.right - width, window.innerWidth - width - 8)) });
  }, []);

  const shown = open && position !== null;
  useLayoutEffect(() => {
    if (open) place();
  }, [open, place]);
  // Once the menu is drawn its real height is known: place it again with that.
  useLayoutEffect(() => {
    if (shown) place();
  }, [shown, place]);

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]:not([disabled])')?.focus();
    const close = (e: Event) => {
      if (menu.current?.contains(e.target as Node) || button.current?.contains(e.target as Node)) return;
      setOpen(false);
    };
    // Follow the button; close only once it has left the window, where the menu would point at nothing.
    const follow = (e: Event) => {
      if (menu.current?.contains(e.target as Node) || !button.current) return;
      const r = button.current.getBoundingClientRect();
      if (r.bottom < 0 || r.top > window.innerHeight) setOpen(false);
      else place();
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('scroll', follow, true);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('scroll', follow, true);
    };
  }, [open, setOpen, place]);

  const choose = (run: () => void) => () => {
    setOpen(false);
    button.current?.focus();
    run();
  };

  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      setOpen(false);
      button.current?.focus();
    } else if (e.key === 'ArrowDown') items[(i + 1) % items.length]?.focus();
    else if (e.key === 'ArrowUp') items[(i - 1 + items.length) % items.length]?.focus();
    else if (e.key === 'Tab') setOpen(false);
    else return;
    e.preventDefault();
  };

  return (
    <>
      <button
        ref={button}
        type="button"
        className="card-menu-button"
        aria-label={`Actions for ${card.number}`}
        aria-haspopup="menu"
        aria-expanded={open}
        data-card-menu
        onPointerDown={(e) => e.stopPropagation()}
        onMouseDown={(e) => e.stopPropagation()}
        onTouchStart={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.stopPropagation()}
        onClick={(e) => {
          e.stopPropagation();
          setOpen(!open);
        }}
      >
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
          <circle cx="4" cy="10" r="1.8" fill="currentColor" />
          <circle cx="10" cy="10" r="1.8" fill="currentColor" />
          <circle cx="16" cy="10" r="1.8" fill="currentColor" />
        </svg>
      </button>
      {open &&
        position &&
        createPortal(
          <div
            ref={menu}
            className="menu"
            role="menu"
            aria-label={`Actions for ${card.number}`}
            style={{ top: position.top, left: position.left }}
            onKeyDown={onMenuKey}
          >
            {nextLabel && (
              <button type="button" role="menuitem" disabled={!movable} onClick={choose(() => actions.moveNext(card))}>
                Move to <strong>{nextLabel}</strong>
              </button>
            )}
            <button type="button" role="menuitem" disabled={!movable} onClick={choose(() => actions.chooseStage(card))}>
              Move to another stage…
            </button>
            <button type="button" role="menuitem" onClick={choose(() => navigate(orderPath(card.number)))}>
              Open order
            </button>
            {!movable && <p className="menu-note">{whyNotMovable(card)}</p>}
          </div>,
          document.body,
        )}
    </>
  );
}
