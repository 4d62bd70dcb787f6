// The reports: throughput, lead and cycle time, time in stage, cumulative flow, WIP aging, on-time delivery, rework, capacity.
import type { BusinessCalendar } from '../../domain/calendar.ts';
import { type AgingReport, agingOf, type StagePercentiles } from '../../domain/metrics/aging.ts';
import { type CapacityReport, capacityOf } from '../../domain/metrics/capacity.ts';
import { customerKey } from '../../domain/metrics/facts.ts';
import { type CumulativeFlow, cumulativeFlow } from '../../domain/metrics/flow.ts';
import { completionDaysOf, type LeadTimeReport, leadTimes } from '../../domain/metrics/lead-time.ts';
import { type OnTimeReport, onTimeDelivery } from '../../domain/metrics/on-time.ts';
import { type DateRange, dayCount } from '../../domain/metrics/range.ts';
import { type ReworkReport, reworkReport } from '../../domain/metrics/rework.ts';
import { type StageTimeReport, stageTimes } from '../../domain/metrics/stage-time.ts';
import { type ThroughputReport, throughputByWeek } from '../../domain/metrics/throughput.ts';
import { plusDays, WorkingTime, weekStart } from '../../domain/metrics/working-time.ts';
import type { Priority } from '../../domain/order.ts';
import type { Workflow } from '../../domain/workflow.ts';
import { openOrdersPerStage } from '../../store/orders.ts';
import {
  completedOrders,
  completedWithRework,
  completionDays,
  customersOf,
  deliveryCounts,
  firstOrderAt,
  type InsightFilter,
  latestDeliveries,
  openOrdersNow,
  reworkPaths,
  stageDayCounts,
  stageDays,
  startsAndCompletions,
} from '../../store/reports.ts';
import type { Actor, AppContext } from '../context.ts';
import { workflowNamedIn } from '../load.ts';
import { validationFailed } from '../problem.ts';
import { type Eta, etaForecaster } from './forecasts.ts';
import { bringFactsUpToDate, businessCalendar } from './insight.ts';

/** Without dates a report covers the last twelve weeks, today included. */
export const DEFAULT_DAYS = 84;
const MAX_DAYS = 3660;
/** The on-time report lists this many of the latest orders. */
const LATE_LIST = 200;

export interface ReportQuery {
  workflow: string;
  from?: string | undefined;
  to?: string | undefined;
  priority?: Priority[] | undefined;
  customer?: string | undefined;
}

/** What a report covers, returned with it. */
export interface ReportScope {
  workflow: string;
  from: string;
  to: string;
  priority: Priority[] | null;
  customer: string | null;
  generatedAt: string;
}

interface Resolved {
  wf: Workflow;
  range: DateRange;
  filter: InsightFilter;
  scope: ReportScope;
  calendar: BusinessCalendar;
  time: WorkingTime;
  now: Date;
}

/**
 * The first day a report covers when none is asked for: twelve weeks back, or the day of the workflow's first order
 * when its history is shorter (weeks before a shop's first order are not weeks it made nothing in).
 */
async function defaultFrom(app: AppContext, workflow: string, to: string, time: WorkingTime): Promise<string> {
  const twelveWeeks = plusDays(to, -(DEFAULT_DAYS - 1));
  const first = await firstOrderAt(app.db.kysely, workflow);
  if (first === null) return twelveWeeks;
  const firstDay = time.localDate(Date.parse(first));
  return firstDay > twelveWeeks && firstDay <= to ? firstDay : twelveWeeks;
}

async function resolve(app: AppContext, query: ReportQuery): Promise<Resolved> {
  const wf = await workflowNamedIn(app.db.kysely, query.workflow);
  const calendar = await businessCalendar(app);
  const time = WorkingTime.of(calendar);
  const now = app.clock.now();
  const to = query.to ?? time.localDate(now.getTime());
  const from = query.from ?? (await defaultFrom(app, wf.key, to, time));
  if (from > to) throw validationFailed('from must not be after to', [{ path: 'querystring.from', message: 'is after to' }]);
  if (dayCount({ from, to }) > MAX_DAYS) {
    throw validationFailed('A report covers at most ten years', [{ path: 'querystring.from', message: 'is too early' }]);
  }
  await bringFactsUpToDate(app);
  const customer = query.customer?.trim() || undefined;
  const priorities = query.priority?.length ? [...new Set(query.priority)] : undefined;
  return {
    wf,
    range: { from, to },
    filter: { workflow: wf.key, priorities, customerKey: customer === undefined ? undefined : customerKey(customer) },
    scope: {
      workflow: wf.key,
      from,
      to,
      priority: priorities ?? null,
      customer: customer ?? null,
      generatedAt: now.toISOString(),
    },
    calendar,
    time,
    now,
  };
}

export type Scoped<T> = { scope: ReportScope } & T;

export async function throughputReport(app: AppContext, _actor: Actor, query: ReportQuery): Promise<Scoped<ThroughputReport>> {
  const r = await resolve(app, query);
  const counts = await startsAndCompletions(app.db.kysely, r.filter, r.range);
  return { scope: r.scope, ...throughputByWeek(r.range, counts.started, counts.completed) };
}

export async function leadTimeReport(app: AppContext, _actor: Actor, query: ReportQuery): Promise<Scoped<LeadTimeReport>> {
  const r = await resolve(app, query);
  // One customer's orders are few: their times are worked out from the orders; everyone's come from the completion days.
  const days =
    r.filter.customerKey === undefined
      ? await completionDays(app.db.kysely, r.filter, r.range)
      : completionDaysOf(r.wf, await completedOrders(app.db.kysely, r.filter, r.range, { firstEntries: true }), r.time);
  return { scope: r.scope, ...leadTimes(r.wf, days, r.range) };
}

async function stageTimesOf(app: AppContext, r: Resolved, calendar = true): Promise<StageTimeReport> {
  const days = await stageDays(app.db.kysely, r.filter, r.range, calendar ? 'both' : 'working');
  return stageTimes(r.wf, days, r.range, calendar);
}

export async function stageTimeReport(app: AppContext, _actor: Actor, query: ReportQuery): Promise<Scoped<StageTimeReport>> {
  const r = await resolve(app, query);
  return { scope: r.scope, ...(await stageTimesOf(app, r)) };
}

export async function flowReport(app: AppContext, _actor: Actor, query: ReportQuery): Promise<Scoped<CumulativeFlow>> {
  const r = await resolve(app, query);
  const days = await stageDayCounts(app.db.kysely, r.filter, r.range, { before: true, byDay: true });
  return { scope: r.scope, ...cumulativeFlow(r.wf, days, r.range) };
}

export type AgingWithEta = Omit<AgingReport, 'orders'> & {
  orders: Array<AgingReport['orders'][number] & { eta: Eta | null }>;
};

/** Open orders now, each against the usual times of its stage over the report's period. */
export async function agingReport(app: AppContext, _actor: Actor, query: ReportQuery): Promise<Scoped<AgingWithEta>> {
  const r = await resolve(app, query);
  // Ages are working hours: the stages' calendar times are not needed here.
  const times = await stageTimesOf(app, r, false);
  const usual = new Map<string, StagePercentiles>();
  for (const s of times.stages) if (s.workingHours) usual.set(s.stage, { p50: s.workingHours.p50, p85: s.workingHours.p85 });
  const open = await openOrdersNow(app.db.kysely, r.filter);
  const report = agingOf(r.wf, open, usual, r.now, r.time);
  const eta = await etaForecaster(app, r.wf);
  return { scope: r.scope, ...report, orders: report.orders.map((o) => ({ ...o, eta: eta(o) })) };
}

export async function onTimeReport(app: AppContext, _actor: Actor, query: ReportQuery): Promise<Scoped<OnTimeReport>> {
  const r = await resolve(app, query);
  const counts = await deliveryCounts(app.db.kysely, r.filter, r.range);
  const late = await latestDeliveries(app.db.kysely, r.filter, r.range, LATE_LIST);
  return { scope: r.scope, ...onTimeDelivery(counts, late, r.range) };
}

export async function reworkReportOf(app: AppContext, _actor: Actor, query: ReportQuery): Promise<Scoped<ReworkReport>> {
  const r = await resolve(app, query);
  const days = await stageDayCounts(app.db.kysely, r.filter, r.range, { before: false, byDay: false });
  const paths = await reworkPaths(app.db.kysely, r.filter, r.range);
  const completed = await completedWithRework(app.db.kysely, r.filter, r.range);
  return { scope: r.scope, ...reworkReport(r.wf, days, paths, completed, r.range) };
}

/**
 * Orders each stage finished per week over the last `weeks` whole weeks (the current week left
 * out), and the open orders waiting in each stage now against that pace.
 */
export async function capacityReport(
  app: AppContext,
  _actor: Actor,
  query: { workflow: string; weeks: number },
): Promise<Scoped<CapacityReport>> {
  const thisWeek = weekStart((await resolve(app, { workflow: query.workflow })).range.to);
  const range = { from: plusDays(thisWeek, -7 * query.weeks), to: plusDays(thisWeek, -1) };
  const r = await resolve(app, { workflow: query.workflow, ...range });
  const days = await stageDayCounts(app.db.kysely, r.filter, r.range, { before: false, byDay: true });
  const open = await openOrdersPerStage(app.db.kysely, r.wf.key);
  return { scope: r.scope, ...capacityOf(r.wf, days, open, r.range) };
}

export async function reportCustomers(
  app: AppContext,
  _actor: Actor,
  workflow: string,
): Promise<{ items: Array<{ name: string; orders: number }> }> {
  const wf = await workflowNamedIn(app.db.kysely, workflow);
  await bringFactsUpToDate(app);
  return { items: await customersOf(app.db.kysely, wf.key) };
}
