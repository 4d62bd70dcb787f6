// Board filters: text, priority, due window, flag, "my stages", and swimlanes; kept in the URL so a view can be shared.
import { type Card, FLAGS, type Flag, PRIORITIES, type Priority } from '../api/types.ts';
import { daysUntil } from '../ui/format.ts';

export const DUE_WINDOWS = {
  overdue: 'Overdue',
  today: 'Due today',
  '3d': 'Due within 3 days',
  '7d': 'Due within 7 days',
  '14d': 'Due within 14 days',
  none: 'No due date',
} as const;
export type DueWindow = keyof typeof DUE_WINDOWS;

export type Lanes = 'none' | 'priority';

export interface BoardFilters {
  q: string;
  priority: Priority | '';
  due: DueWindow | '';
  flag: Flag | '';
  mine: boolean;
  lanes: Lanes;
}

const oneOf = <T extends string>(list: readonly T[], value: string | null): T | '' =>
  value && (list as readonly string[]).includes(value) ? (value as T) : '';

export function readFilters(params: URLSearchParams): BoardFilters {
  return {
    q: params.get('q') ?? '',
    priority: oneOf(PRIORITIES, params.get('priority')),
    due: oneOf(Object.keys(DUE_WINDOWS) as DueWindow[], params.get('due')),
    flag: oneOf(FLAGS, params.get('flag')),
    mine: params.get('mine') === '1',
    lanes: params.get('lanes') === 'priority' ? 'priority' : 'none',
  };
}

/** The URL parameters for `filters`, keeping any others (the workflow) as they are. */
export function writeFilters(filters: BoardFilters, base: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams(base);
  const set = (key: string, value: string) => (value ? params.set(key, value) : params.delete(key));
  set('q', filters.q);
  set('priority', filters.priority);
  set('due', filters.due);
  set('flag', filters.flag);
  set('mine', filters.mine ? '1' : '');
  set('lanes', filters.lanes === 'priority' ? 'priority' : '');
  return params;
}

export function isFiltering(f: BoardFilters): boolean {
  return Boolean(f.q.trim() || f.priority || f.due || f.flag || f.mine);
}

function dueMatches(card: Card, due: DueWindow, now: number): boolean {
  if (due === 'none') return card.dueDate === null;
  if (card.dueDate === null) return false;
  const days = daysUntil(card.dueDate, now);
  switch (due) {
    case 'overdue':
      return days < 0;
    case 'today':
      return days === 0;
    case '3d':
      return days <= 3;
    case '7d':
      return days <= 7;
    case '14d':
      return days <= 14;
  }
}

/** Whether a card passes the card filters (the "my stages" filter works on columns, not cards). */
export function cardMatches(card: Card, f: BoardFilters, now: number): boolean {
  if (f.priority && card.priority !== f.priority) return false;
  if (f.flag && !card.flags.includes(f.flag)) return false;
  if (f.due && !dueMatches(card, f.due, now)) return false;
  const q = f.q.trim().toLowerCase();
  if (q) {
    const text = `${card.number} ${card.title} ${card.customerName}`.toLowerCase();
    if (!q.split(/\s+/).every((word) => text.includes(word))) return false;
  }
  return true;
}
