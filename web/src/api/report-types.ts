// The shapes of the insight API (reports and forecasts; docs/insight.md, /api/v1/openapi.json) as the web app reads them.
import type { Eta, OrderState, Priority } from './types.ts';

/** Count, extremes, mean and percentiles; null when there is nothing to summarise. */
export type Summary = { count: number; min: number; max: number; mean: number; p50: number; p85: number; p95: number } | null;

/** What a report is about: the period and filters it was made for (defaults filled in). */
export interface ReportScope {
  workflow: string;
  from: string;
  to: string;
  priority: Priority[] | null;
  customer: string | null;
  generatedAt: string;
}

export interface ThroughputReport {
  scope: ReportScope;
  weeks: Array<{ week: string; started: number; completed: number }>;
  started: number;
  completed: number;
  startedPerWeek: number;
  completedPerWeek: number;
}

export interface Distribution {
  days: Summary;
  workingHours: Summary;
  histogram: Array<{ fromDays: number; toDays: number; count: number }>;
}

export interface LeadTimeReport {
  scope: ReportScope;
  completed: number;
  cycleStartStage: string;
  leadTime: Distribution;
  cycleTime: Distribution;
  trend: Array<{
    week: string;
    completed: number;
    leadP50Days: number | null;
    leadP85Days: number | null;
    cycleP50Days: number | null;
    cycleP85Days: number | null;
  }>;
}

export interface StageTimeReport {
  scope: ReportScope;
  stages: Array<{ stage: string; label: string; visits: number; workingHours: Summary; calendarHours: Summary }>;
  bottleneck: { stage: string; label: string; medianWorkingHours: number; why: string } | null;
}

export interface FlowReport {
  scope: ReportScope;
  days: string[];
  stages: Array<{ stage: string; label: string; counts: number[] }>;
}

export type AgeBand = 'within-p50' | 'p50-p85' | 'over-p85' | 'no-history';

export interface WipOrder {
  id: string;
  number: string;
  title: string;
  customerName: string;
  state: OrderState;
  stage: string;
  stageLabel: string;
  stageEnteredAt: string;
  createdAt: string;
  dueDate: string | null;
  priority: Priority;
  ageInStageWorkingHours: number;
  ageInStageCalendarHours: number;
  ageDays: number;
  stageP50WorkingHours: number | null;
  stageP85WorkingHours: number | null;
  band: AgeBand;
  eta: Eta | null;
}

export interface WipReport {
  scope: ReportScope;
  asOf: string;
  total: number;
  stages: Array<{
    stage: string;
    label: string;
    count: number;
    p50WorkingHours: number | null;
    p85WorkingHours: number | null;
    overP50: number;
    overP85: number;
  }>;
  orders: WipOrder[];
}

export interface OnTimeReport {
  scope: ReportScope;
  completed: number;
  withDueDate: number;
  withoutDueDate: number;
  onTime: number;
  late: number;
  rate: number | null;
  lateness: Summary;
  weeks: Array<{ week: string; withDueDate: number; onTime: number; late: number; rate: number | null }>;
  lateOrders: Array<{ orderId: string; number: string; completedDate: string; dueDate: string | null; daysLate: number | null }>;
}

export interface ReworkReport {
  scope: ReportScope;
  moves: number;
  reworks: number;
  rate: number | null;
  stages: Array<{ stage: string; label: string; exits: number; reworks: number; rate: number | null }>;
  paths: Array<{ from: string; fromLabel: string; to: string; toLabel: string; count: number }>;
  completed: number;
  completedWithRework: number;
  completedWithReworkRate: number | null;
}

export interface CapacityReport {
  scope: ReportScope;
  weeks: string[];
  stages: Array<{
    stage: string;
    label: string;
    perWeek: number[];
    averagePerWeek: number;
    open: number;
    weeksOfWork: number | null;
  }>;
  completedPerWeek: number[];
}

/** The reports the page shows, by their path under /api/v1/reports/. */
export interface Reports {
  throughput: ThroughputReport;
  'lead-time': LeadTimeReport;
  'stage-times': StageTimeReport;
  flow: FlowReport;
  wip: WipReport;
  'on-time': OnTimeReport;
  rework: ReworkReport;
}

export type ReportName = keyof Reports;

export interface CustomerList {
  items: Array<{ name: string; orders: number }>;
}
