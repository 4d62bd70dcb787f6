// Choosing cards on the board to print their travellers together: the choice, and each card's tick box.
import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';

interface Selection {
  /** Whether the board is in "select to print" mode: only then do cards show a tick box. */
  selecting: boolean;
  selected: ReadonlySet<string>;
  setSelecting: (on: boolean) => void;
  toggle: (number: string) => void;
  set: (numbers: Iterable<string>) => void;
}

const SelectionContext = createContext<Selection | null>(null);

export function SelectionProvider({ children }: { children: ReactNode }) {
  const [selecting, setSelectingState] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const value = useMemo<Selection>(
    () => ({
      selecting,
      selected,
      setSelecting: (on) => {
        setSelectingState(on);
        if (!on) setSelected(new Set());
      },
      toggle: (number) =>
        setSelected((now) => {
          const next = new Set(now);
          if (!next.delete(number)) next.add(number);
          return next;
        }),
      set: (numbers) => setSelected(new Set(numbers)),
    }),
    [selecting, selected],
  );
  return <SelectionContext.Provider value={value}>{children}</SelectionContext.Provider>;
}

export function useSelection(): Selection {
  const s = useContext(SelectionContext);
  if (!s) throw new Error('useSelection outside a SelectionProvider');
  return s;
}

/**
 * A card's tick box while selecting. It stops the pointer from reaching the card, so ticking never starts
 * a drag, and it is a focus stop of its own, so the card link keeps its keys.
 */
export function CardSelect({ number }: { number: string }) {
  const s = useContext(SelectionContext);
  if (!s?.selecting) return null;
  return (
    <label
      className="card-select"
      onPointerDown={(e) => e.stopPropagation()}
      onMouseDown={(e) => e.stopPropagation()}
      onTouchStart={(e) => e.stopPropagation()}
      onKeyDown={(e) => e.stopPropagation()}
    >
      <input type="checkbox" checked={s.selected.has(number)} onChange={() => s.toggle(number)} data-select-card={number} />
      <span className="sr-only">Print the traveller of {number}</span>
    </label>
  );
}
