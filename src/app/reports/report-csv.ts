// Each report's main table as CSV: what its chart shows, for a spreadsheet.

import { toCsv } from '../../domain/exports/csv.ts';
import type { CapacityReport } from '../../domain/metrics/capacity.ts';
import type { CumulativeFlow } from '../../domain/metrics/flow.ts';
import type { LeadTimeReport } from '../../domain/metrics/lead-time.ts';
import type { OnTimeReport } from '../../domain/metrics/on-time.ts';
import type { ReworkReport } from '../../domain/metrics/rework.ts';
import type { StageTimeReport } from '../../domain/metrics/stage-time.ts';
import type { ThroughputReport } from '../../domain/metrics/throughput.ts';
import type { AgingWithEta } from './reports.ts';

export function throughputCsv(r: ThroughputReport): string {
  return toCsv(
    ['week', 'started', 'completed'],
    r.weeks.map((w) => [w.week, w.started, w.completed]),
  );
}

export function leadTimeCsv(r: LeadTimeReport): string {
  return toCsv(
    ['week', 'completed', 'lead_p50_days', 'lead_p85_days', 'cycle_p50_days', 'cycle_p85_days'],
    r.trend.map((w) => [w.week, w.completed, w.leadP50Days, w.leadP85Days, w.cycleP50Days, w.cycleP85Days]),
  );
}

export function stageTimeCsv(r: StageTimeReport): string {
  return toCsv(
    [
      'stage',
      'label',
      'visits',
      'working_p50_hours',
      'working_p85_hours',
      'working_mean_hours',
      'calendar_p50_hours',
      'calendar_p85_hours',
      'calendar_mean_hours',
      'bottleneck',
    ],
    r.stages.map((s) => [
      s.stage,
      s.label,
      s.visits,
      s.workingHours?.p50,
      s.workingHours?.p85,
      s.workingHours?.mean,
      s.calendarHours?.p50,
      s.calendarHours?.p85,
      s.calendarHours?.mean,
      r.bottleneck?.stage === s.stage,
    ]),
  );
}

export function flowCsv(r: CumulativeFlow): string {
  return toCsv(
    ['day', ...r.stages.map((s) => s.stage)],
    r.days.map((d, i) => [d, ...r.stages.map((s) => s.counts[i])]),
  );
}

export function wipCsv(r: AgingWithEta): string {
  return toCsv(
    [
      'number',
      'title',
      'customer',
      'stage',
      'state',
      'priority',
      'due_date',
      'age_in_stage_working_hours',
      'age_in_stage_calendar_hours',
      'age_days',
      'stage_p50_working_hours',
      'stage_p85_working_hours',
      'band',
      'eta_p50',
      'eta_p85',
    ],
    r.orders.map((o) => [
      o.number,
      o.title,
      o.customerName,
      o.stage,
      o.state,
      o.priority,
      o.dueDate,
      o.ageInStageWorkingHours,
      o.ageInStageCalendarHours,
      o.ageDays,
      o.stageP50WorkingHours,
      o.stageP85WorkingHours,
      o.band,
      o.eta?.p50,
      o.eta?.p85,
    ]),
  );
}

export function onTimeCsv(r: OnTimeReport): string {
  return toCsv(
    ['week', 'with_due_date', 'on_time', 'late', 'rate'],
    r.weeks.map((w) => [w.week, w.withDueDate, w.onTime, w.late, w.rate]),
  );
}

export function reworkCsv(r: ReworkReport): string {
  return toCsv(
    ['stage', 'label', 'exits', 'reworks', 'rate'],
    r.stages.map((s) => [s.stage, s.label, s.exits, s.reworks, s.rate]),
  );
}

export function capacityCsv(r: CapacityReport): string {
  return toCsv(
    ['stage', 'label', ...r.weeks, 'average_per_week', 'open', 'weeks_of_work'],
    r.stages.map((s) => [s.stage, s.label, ...s.perWeek, s.averagePerWeek, s.open, s.weeksOfWork]),
  );
}
