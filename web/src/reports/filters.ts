// The Reports page's filters as they live in the address: ?workflow=&from=&to=&priority=rush,high&customer=&weeks=,
// so a view can be bookmarked and shared.
import type { ReportFilters } from '../api/report-queries.ts';
import { PRIORITIES, type Priority, type Workflow } from '../api/types.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The capacity forecast's look-back choices, in whole weeks. */
export const CAPACITY_WEEKS = [4, 8, 12, 26, 52] as const;

/** The filters the address asks for; the workflow falls back to `fallback`, then to the first one. */
export function readReportFilters(params: URLSearchParams, workflows: Workflow[], fallback: string | null): ReportFilters {
  const wanted = params.get('workflow') ?? fallback;
  const workflow = workflows.find((w) => w.key === wanted)?.key ?? workflows[0]?.key ?? '';
  const date = (key: string) => {
    const v = params.get(key);
    return v && DATE.test(v) ? v : null;
  };
  const priority = (params.get('priority') ?? '')
    .split(',')
    .filter((p): p is Priority => (PRIORITIES as readonly string[]).includes(p));
  return {
    workflow,
    from: date('from'),
    to: date('to'),
    // In the order people think of them, low to rush, whatever order the address had.
    priority: [...PRIORITIES].reverse().filter((p) => priority.includes(p)),
    customer: params.get('customer') || null,
  };
}

/** The address's query for these filters, keeping what else it holds (the capacity's weeks). */
export function writeReportFilters(params: URLSearchParams, f: ReportFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (key: string, value: string | null) => (value ? next.set(key, value) : next.delete(key));
  set('workflow', f.workflow);
  set('from', f.from);
  set('to', f.to);
  set('priority', f.priority.join(','));
  set('customer', f.customer);
  return next;
}

export function readCapacityWeeks(params: URLSearchParams): number {
  const weeks = Number(params.get('weeks'));
  return Number.isInteger(weeks) && weeks >= 1 && weeks <= 104 ? weeks : 12;
}
