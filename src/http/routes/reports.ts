// /api/v1/reports/... and /api/v1/forecast/...: the figures that run the business, as JSON and as CSV.
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { z as zod } from 'zod';
import type { Actor, AppContext } from '../../app/context.ts';
import { quoteFor } from '../../app/reports/forecasts.ts';
import * as Csv from '../../app/reports/report-csv.ts';
import {
  agingReport,
  capacityReport,
  flowReport,
  leadTimeReport,
  onTimeReport,
  type ReportQuery,
  reportCustomers,
  reworkReportOf,
  stageTimeReport,
  throughputReport,
} from '../../app/reports/reports.ts';
import { roundFigures } from '../../domain/metrics/percentiles.ts';
import type { Priority } from '../../domain/order.ts';
import { actorOf } from '../auth.ts';
import * as R from '../report-schemas.ts';
import * as S from '../schemas.ts';
import { WorkflowKey } from '../schemas.ts';

const errors = { 400: S.Problem, 401: S.Problem, 403: S.Problem };

function reportQuery(q: z.infer<typeof R.ReportQuery>): ReportQuery {
  return { ...q, priority: q.priority ? (q.priority.split(',') as Priority[]) : undefined };
}

export function sendCsv(reply: FastifyReply, name: string, csv: string): FastifyReply {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(csv);
}

interface ReportRoute<T> {
  path: string;
  summary: string;
  schema: z.ZodType;
  run: (app: AppContext, actor: Actor, query: ReportQuery) => Promise<T>;
  csv: (report: T) => string;
}

function route<T>(r: ReportRoute<T>): ReportRoute<T> {
  return r;
}

const REPORTS = [
  route({
    path: 'throughput',
    summary: 'Throughput: orders started and completed per week',
    schema: R.ThroughputReport,
    run: throughputReport,
    csv: Csv.throughputCsv,
  }),
  route({
    path: 'lead-time',
    summary: 'Lead time and cycle time: distributions with p50/p85/p95, and their weekly trend',
    schema: R.LeadTimeReport,
    run: leadTimeReport,
    csv: Csv.leadTimeCsv,
  }),
  route({
    path: 'stage-times',
    summary: 'Time in each stage (working and calendar, median and p85), and the bottleneck stage',
    schema: R.StageTimeReport,
    run: stageTimeReport,
    csv: Csv.stageTimeCsv,
  }),
  route({
    path: 'flow',
    summary: 'Cumulative flow diagram: orders in each stage at the end of each day',
    schema: R.FlowReport,
    run: flowReport,
    csv: Csv.flowCsv,
  }),
  route({
    path: 'wip',
    summary: "Work in progress and aging: each open order's age in its stage against the stage's percentiles",
    schema: R.WipReport,
    run: agingReport,
    csv: Csv.wipCsv,
  }),
  route({
    path: 'on-time',
    summary: 'On-time delivery rate, and lateness in days of the late orders',
    schema: R.OnTimeReport,
    run: onTimeReport,
    csv: Csv.onTimeCsv,
  }),
  route({
    path: 'rework',
    summary: 'Rework: how often and from which stage orders go back',
    schema: R.ReworkReport,
    run: reworkReportOf,
    csv: Csv.reworkCsv,
  }),
];

export function reportRoutes(app: AppContext): FastifyPluginAsyncZod {
  return async (server) => {
    for (const r of REPORTS as Array<ReportRoute<unknown>>) {
      server.get(
        `/reports/${r.path}`,
        {
          schema: { tags: ['reports'], summary: r.summary, querystring: R.ReportQuery, response: { 200: r.schema, ...errors } },
        },
        async (request) => roundFigures(await r.run(app, actorOf(request), reportQuery(request.query))),
      );
      server.get(
        `/reports/${r.path}.csv`,
        {
          schema: {
            tags: ['reports'],
            summary: `${r.summary} (CSV)`,
            querystring: R.ReportQuery,
            produces: ['text/csv'],
            response: { 200: R.Csv, ...errors },
          },
        },
        async (request, reply) => {
          const report = roundFigures(await r.run(app, actorOf(request), reportQuery(request.query)));
          return sendCsv(reply, `${r.path}-${request.query.workflow}`, r.csv(report));
        },
      );
    }

    server.get(
      '/reports/customers',
      {
        schema: {
          tags: ['reports'],
          summary: "A workflow's customers with their order counts (for the reports' customer filter)",
          querystring: zod.strictObject({ workflow: WorkflowKey }),
          response: { 200: R.CustomerList, ...errors },
        },
      },
      async (request) => reportCustomers(app, actorOf(request), request.query.workflow),
    );

    server.get(
      '/forecast/quote',
      {
        schema: {
          tags: ['forecasts'],
          summary: 'When an order started today would be done (p50 and p85), given recent history and the current queue',
          querystring: zod.strictObject({ workflow: WorkflowKey }),
          response: { 200: R.Quote, ...errors },
        },
      },
      async (request) => {
        actorOf(request);
        return roundFigures(await quoteFor(app, request.query.workflow));
      },
    );

    server.get(
      '/forecast/capacity',
      {
        schema: {
          tags: ['forecasts'],
          summary: 'Capacity: orders completed per week by stage, and the current load against it',
          querystring: R.CapacityQuery,
          response: { 200: R.CapacityReport, ...errors },
        },
      },
      async (request) => roundFigures(await capacityReport(app, actorOf(request), request.query)),
    );

    server.get(
      '/forecast/capacity.csv',
      {
        schema: {
          tags: ['forecasts'],
          summary: 'Capacity (CSV)',
          querystring: R.CapacityQuery,
          produces: ['text/csv'],
          response: { 200: R.Csv, ...errors },
        },
      },
      async (request, reply) => {
        const report = roundFigures(await capacityReport(app, actorOf(request), request.query));
        return sendCsv(reply, `capacity-${request.query.workflow}`, Csv.capacityCsv(report));
      },
    );
  };
}
