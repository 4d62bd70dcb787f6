// Schemas of the insight API (reports, forecasts, finance, exports): they validate queries and document the answers.
import { z } from 'zod';
import { PRIORITIES } from '../domain/order.ts';
import { CalendarDate, EtaDates, Timestamp, WorkflowKey } from './schemas.ts';

const Priority = z.enum(PRIORITIES);
const Count = z.number().int();
const Num = z.number();
const Day = z.string().meta({ format: 'date', example: '2026-11-23' });

export const ReportQuery = z.strictObject({
  workflow: WorkflowKey.meta({ description: 'The workflow the report is about' }),
  from: CalendarDate.optional().meta({ description: 'First day (local business calendar); default: 12 weeks before `to`' }),
  to: CalendarDate.optional().meta({ description: 'Last day, included; default: today' }),
  priority: z
    .string()
    .max(40)
    .regex(/^(low|normal|high|rush)(,(low|normal|high|rush))*$/, 'must be priorities separated by commas, e.g. rush,high')
    .optional()
    .meta({ description: 'Only orders of these priorities (their priority now), comma-separated' }),
  customer: z.string().trim().min(1).max(200).optional().meta({ description: "Only this customer's orders (name, any case)" }),
});

export const Summary = z
  .object({ count: Count, min: Num, max: Num, mean: Num, p50: Num, p85: Num, p95: Num })
  .nullable()
  .meta({ id: 'Summary', description: 'Count, extremes, mean and percentiles (linear interpolation, as SQL percentile_cont)' });

export const ReportScope = z
  .object({
    workflow: z.string(),
    from: Day,
    to: Day,
    priority: z.array(Priority).nullable(),
    customer: z.string().nullable(),
    generatedAt: Timestamp,
  })
  .meta({ id: 'ReportScope' });

export const ThroughputReport = z
  .object({
    scope: ReportScope,
    weeks: z.array(z.object({ week: Day.meta({ description: 'Monday of the week' }), started: Count, completed: Count })),
    started: Count,
    completed: Count,
    startedPerWeek: Num,
    completedPerWeek: Num,
  })
  .meta({ id: 'ThroughputReport', description: 'Orders started (created) and completed per week' });

const Distribution = z.object({
  days: Summary.meta({ description: 'Calendar days' }),
  workingHours: Summary.meta({ description: 'Working hours on the business calendar' }),
  histogram: z.array(z.object({ fromDays: Count, toDays: Count, count: Count })),
});

export const LeadTimeReport = z
  .object({
    scope: ReportScope,
    completed: Count,
    cycleStartStage: z.string().meta({ description: 'Cycle time starts when an order first enters this stage or a later one' }),
    leadTime: Distribution,
    cycleTime: Distribution,
    trend: z.array(
      z.object({
        week: Day,
        completed: Count,
        leadP50Days: Num.nullable(),
        leadP85Days: Num.nullable(),
        cycleP50Days: Num.nullable(),
        cycleP85Days: Num.nullable(),
      }),
    ),
  })
  .meta({
    id: 'LeadTimeReport',
    description: 'Lead time (created to completed) and cycle time of the orders completed in the period',
  });

export const StageTimeReport = z
  .object({
    scope: ReportScope,
    stages: z.array(
      z.object({
        stage: z.string(),
        label: z.string(),
        visits: Count,
        workingHours: Summary,
        calendarHours: Summary,
      }),
    ),
    bottleneck: z
      .object({ stage: z.string(), label: z.string(), medianWorkingHours: Num, why: z.string() })
      .nullable()
      .meta({ description: 'The stage with the longest median working time' }),
  })
  .meta({ id: 'StageTimeReport', description: 'Time in each stage of the visits that left it in the period' });

export const FlowReport = z
  .object({
    scope: ReportScope,
    days: z.array(Day),
    stages: z.array(
      z.object({
        stage: z.string(),
        label: z.string(),
        counts: z
          .array(Count)
          .meta({ description: 'Per day: orders in the stage at its end; the final stage: completed since the first day' }),
      }),
    ),
  })
  .meta({ id: 'FlowReport', description: 'Cumulative flow: orders per stage at the end of each day' });

export const Eta = EtaDates;

const AgeBand = z.enum(['within-p50', 'p50-p85', 'over-p85', 'no-history']);

export const WipReport = z
  .object({
    scope: ReportScope,
    asOf: Timestamp,
    total: Count,
    stages: z.array(
      z.object({
        stage: z.string(),
        label: z.string(),
        count: Count,
        p50WorkingHours: Num.nullable(),
        p85WorkingHours: Num.nullable(),
        overP50: Count,
        overP85: Count,
      }),
    ),
    orders: z.array(
      z.object({
        id: z.string(),
        number: z.string(),
        title: z.string(),
        customerName: z.string(),
        state: z.enum(['active', 'on_hold', 'cancelled', 'completed']),
        stage: z.string(),
        stageLabel: z.string(),
        stageEnteredAt: Timestamp,
        createdAt: Timestamp,
        dueDate: z.string().nullable(),
        priority: Priority,
        ageInStageWorkingHours: Num,
        ageInStageCalendarHours: Num,
        ageDays: Num,
        stageP50WorkingHours: Num.nullable(),
        stageP85WorkingHours: Num.nullable(),
        band: AgeBand,
        eta: Eta,
      }),
    ),
  })
  .meta({
    id: 'WipReport',
    description: "Open orders now, each one's age in its stage against the stage's usual times in the period",
  });

export const OnTimeReport = z
  .object({
    scope: ReportScope,
    completed: Count,
    withDueDate: Count,
    withoutDueDate: Count,
    onTime: Count,
    late: Count,
    rate: Num.nullable(),
    lateness: Summary.meta({ description: 'Days late, of the late orders' }),
    weeks: z.array(z.object({ week: Day, withDueDate: Count, onTime: Count, late: Count, rate: Num.nullable() })),
    lateOrders: z.array(
      z.object({
        orderId: z.string(),
        number: z.string(),
        completedDate: Day,
        dueDate: z.string().nullable(),
        daysLate: Count.nullable(),
      }),
    ),
  })
  .meta({ id: 'OnTimeReport', description: 'Orders completed on or before their due date, and how late the others were' });

export const ReworkReport = z
  .object({
    scope: ReportScope,
    moves: Count,
    reworks: Count,
    rate: Num.nullable(),
    stages: z.array(z.object({ stage: z.string(), label: z.string(), exits: Count, reworks: Count, rate: Num.nullable() })),
    paths: z.array(z.object({ from: z.string(), fromLabel: z.string(), to: z.string(), toLabel: z.string(), count: Count })),
    completed: Count,
    completedWithRework: Count,
    completedWithReworkRate: Num.nullable(),
  })
  .meta({ id: 'ReworkReport', description: 'Moves back to an earlier stage: how often, and from which stage' });

export const CapacityReport = z
  .object({
    scope: ReportScope,
    weeks: z.array(Day),
    stages: z.array(
      z.object({
        stage: z.string(),
        label: z.string(),
        perWeek: z.array(Count),
        averagePerWeek: Num,
        open: Count,
        weeksOfWork: Num.nullable(),
      }),
    ),
    completedPerWeek: z.array(Count),
  })
  .meta({
    id: 'CapacityReport',
    description: 'Orders each stage finished per week, and the open orders waiting against that pace',
  });

export const CapacityQuery = z.strictObject({
  workflow: WorkflowKey,
  weeks: z.coerce.number().int().min(1).max(104).default(12).meta({ description: 'Whole weeks before this one' }),
});

export const Quote = z
  .object({
    workflow: z.string(),
    asOf: Timestamp,
    startDate: Day,
    enoughHistory: z.boolean(),
    p50: Day.nullable(),
    p85: Day.nullable(),
    p50WorkingHours: Num.nullable(),
    p85WorkingHours: Num.nullable(),
    basedOn: z.object({ orders: Count, stageVisits: Count, since: Day, trials: Count }),
    queue: z.array(z.object({ stage: z.string(), label: z.string(), open: Count, usual: Num.nullable(), factor: Num })),
    message: z.string(),
  })
  .meta({ id: 'Quote', description: 'When an order started now would be done' });

export const CustomerList = z.object({ items: z.array(z.object({ name: z.string(), orders: Count })) });

export const Csv = z.string().meta({ description: 'CSV (RFC 4180, UTF-8, CRLF), a header row first' });

// ---- finance

export const InvoiceLine = z.object({
  field: z.string(),
  label: z.string(),
  value: z.string(),
  quantity: z.number().nullable().meta({ description: 'The order quantity a unit price (`unit_...` field) is multiplied by' }),
  amount: z.string().meta({ description: 'Decimal string, exact' }),
});

export const ReadyToInvoice = z
  .object({
    orderId: z.string(),
    number: z.string(),
    workflow: z.string(),
    title: z.string(),
    customer: z.object({ name: z.string(), email: z.string().nullable() }),
    state: z.enum(['active', 'on_hold', 'cancelled', 'completed']),
    stage: z.string(),
    stageLabel: z.string(),
    readySince: Timestamp,
    completedAt: Timestamp.nullable(),
    dueDate: z.string().nullable(),
    lines: z.array(InvoiceLine),
    amount: z.string().nullable().meta({ description: 'The lines added up (decimal string); null without any money field' }),
  })
  .meta({ id: 'ReadyToInvoice' });

export const ReadyList = z.object({
  items: z.array(ReadyToInvoice),
  totals: z.object({ orders: Count, amount: z.string(), withoutAmount: Count }),
  currency: z.string().meta({ description: "The workspace's currency (ISO 4217) the amounts are in", example: 'USD' }),
  nextCursor: z.string().nullable(),
});

export const ReadyQuery = z.strictObject({
  workflow: WorkflowKey.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a cursor this server gave out')
    .optional(),
});

export const InvoiceBody = z.strictObject({
  reference: z.string().trim().max(200).nullable().optional().meta({ description: 'The invoice number in the accounts system' }),
});

export const BulkInvoiceBody = z.strictObject({
  orders: z
    .array(z.string().min(1).max(100))
    .min(1, 'name at least one order')
    .max(200, 'at most 200 orders at once')
    .meta({ description: 'Order numbers or ids' }),
  reference: z.string().trim().max(200).nullable().optional().meta({ description: 'One reference for all of them' }),
});

export const InvoiceMark = z
  .object({
    orderId: z.string(),
    number: z.string(),
    invoicedAt: Timestamp,
    reference: z.string().nullable(),
    by: z.object({ kind: z.string(), id: z.string().nullable(), name: z.string() }),
    eventSeq: Count,
  })
  .meta({ id: 'InvoiceMark' });

export const BulkInvoiceMarks = z.object({ marked: z.array(InvoiceMark) });

// ---- exports and calendar feeds

export const ExportQuery = z.strictObject({
  workflow: WorkflowKey.optional(),
  state: z.enum(['active', 'on_hold', 'cancelled', 'completed']).optional(),
  from: CalendarDate.optional().meta({ description: 'Orders created / events happened on or after this day (UTC)' }),
  to: CalendarDate.optional().meta({ description: 'On or before this day (UTC)' }),
});

export const EventExportQuery = ExportQuery.omit({ state: true });

export const FeedInput = z.strictObject({
  workflow: WorkflowKey.optional().meta({ description: 'Only this workflow (default: all)' }),
  mine: z.boolean().optional().meta({ description: "Only orders whose current stage the user's role owns" }),
});

export const Feed = z
  .object({ id: z.string(), workflow: z.string().nullable(), mine: z.boolean(), createdAt: Timestamp })
  .meta({ id: 'CalendarFeed' });

export const IssuedFeed = Feed.extend({
  url: z.string().meta({ description: 'Subscribe to this address; it is shown only now' }),
  webcalUrl: z.string(),
});
