// The reports and forecasts the Reports page and the quote form read, as TanStack Query hooks.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { get, query } from './client.ts';
import type { CapacityReport, CustomerList, ReportName, Reports } from './report-types.ts';
import type { Priority, Quote } from './types.ts';

/** What every report is asked for: a workflow, a period (the API's default of 12 weeks when left out) and filters. */
export interface ReportFilters {
  workflow: string;
  from: string | null;
  to: string | null;
  priority: Priority[];
  customer: string | null;
}

/** The query string of a report: the same for its JSON, its CSV and the page's own address. */
export function reportQuery(f: ReportFilters): string {
  return query({
    workflow: f.workflow,
    from: f.from,
    to: f.to,
    priority: f.priority.length ? f.priority.join(',') : null,
    customer: f.customer,
  });
}

/** Where a report's CSV is downloaded from (the session cookie goes along with a plain link). */
export function reportCsvUrl(name: ReportName, f: ReportFilters): string {
  return `/api/v1/reports/${name}.csv${reportQuery(f)}`;
}

export function capacityCsvUrl(workflow: string, weeks: number): string {
  return `/api/v1/forecast/capacity.csv${query({ workflow, weeks })}`;
}

/** One report; the last answer stays on screen while the next filters' answer is on its way. */
export function useReport<N extends ReportName>(name: N, f: ReportFilters) {
  const q = reportQuery(f);
  return useQuery({
    queryKey: ['report', name, q],
    queryFn: ({ signal }) => get<Reports[N]>(`/reports/${name}${q}`, signal),
    enabled: Boolean(f.workflow),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export function useCapacity(workflow: string, weeks: number) {
  return useQuery({
    queryKey: ['capacity', workflow, weeks],
    queryFn: ({ signal }) => get<CapacityReport>(`/forecast/capacity${query({ workflow, weeks })}`, signal),
    enabled: Boolean(workflow),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** A workflow's customers, for the customer filter. */
export function useReportCustomers(workflow: string) {
  return useQuery({
    queryKey: ['report-customers', workflow],
    queryFn: ({ signal }) => get<CustomerList>(`/reports/customers${query({ workflow })}`, signal).then((r) => r.items),
    enabled: Boolean(workflow),
    staleTime: 5 * 60_000,
  });
}

/** When an order started now would be done; asked only once `workflow` is set (the quote form's "Get a date"). */
export function useQuoteFor(workflow: string | null, asked: number) {
  return useQuery({
    queryKey: ['quote', workflow, asked],
    queryFn: ({ signal }) => get<Quote>(`/forecast/quote${query({ workflow })}`, signal),
    enabled: Boolean(workflow),
    staleTime: 60_000,
  });
}
