// Throughput: how many orders were started (created) and completed in each week of a period.
import { type DateRange, dayCount, inRange, weeksOf } from './range.ts';
import { weekStart } from './working-time.ts';

export interface DayCount {
  day: string;
  count: number;
}

export interface WeekThroughput {
  /** The Monday the week starts on. */
  week: string;
  started: number;
  completed: number;
}

export interface ThroughputReport {
  weeks: WeekThroughput[];
  started: number;
  completed: number;
  /** Per 7 days of the period. */
  startedPerWeek: number;
  completedPerWeek: number;
}

/**
 * Adds daily counts up by week.
 * @example throughputByWeek({ from: '2026-11-02', to: '2026-11-15' }, [{ day: '2026-11-03', count: 2 }], [])
 *   // weeks: [{ week: '2026-11-02', started: 2, completed: 0 }, { week: '2026-11-09', started: 0, completed: 0 }]
 */
export function throughputByWeek(range: DateRange, started: DayCount[], completed: DayCount[]): ThroughputReport {
  const weeks = new Map<string, WeekThroughput>(weeksOf(range).map((w) => [w, { week: w, started: 0, completed: 0 }]));
  let s = 0;
  let c = 0;
  for (const d of started) {
    if (!inRange(range, d.day)) continue;
    weeks.get(weekStart(d.day))!.started += d.count;
    s += d.count;
  }
  for (const d of completed) {
    if (!inRange(range, d.day)) continue;
    weeks.get(weekStart(d.day))!.completed += d.count;
    c += d.count;
  }
  const perWeek = 7 / dayCount(range);
  return { weeks: [...weeks.values()], started: s, completed: c, startedPerWeek: s * perWeek, completedPerWeek: c * perWeek };
}
