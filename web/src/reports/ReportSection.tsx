// The frame of one report on the Reports page: its title, what it measures, the CSV of its figures, and its state
// (loading, the API's refusal in its own words, or the report itself).
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { type ReportFilters, reportCsvUrl, useReport } from '../api/report-queries.ts';
import type { ReportName, Reports } from '../api/report-types.ts';

export function ReportSection<T>({
  name,
  title,
  description,
  csv,
  tools,
  result,
  children,
}: {
  /** The report's path under /api/v1/reports/ (or `capacity`): the section's id and data-report. */
  name: string;
  title: string;
  description: ReactNode;
  /** Where its CSV is downloaded from. */
  csv?: string;
  /** Controls of this report alone (the capacity's weeks). */
  tools?: ReactNode;
  result: UseQueryResult<T>;
  children: (data: T) => ReactNode;
}) {
  // Figures from the previous filters stay while the new ones load, dimmed, so the page does not jump.
  const stale = result.isPlaceholderData;
  return (
    <section
      className={stale ? 'panel report report-stale' : 'panel report'}
      id={`report-${name}`}
      data-report={name}
      data-ready={result.isSuccess && !stale && !result.isFetching ? 'true' : undefined}
      aria-labelledby={`report-${name}-title`}
      aria-busy={result.isFetching}
    >
      <header className="report-header">
        <div>
          <h2 id={`report-${name}-title`}>{title}</h2>
          <p className="muted small report-description">{description}</p>
        </div>
        <div className="report-tools">
          {tools}
          {csv && (
            <a className="button small" href={csv} download data-csv={name}>
              <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
                <path
                  d="M8 2v8m0 0L4.5 6.5M8 10l3.5-3.5M2.5 13.5h11"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.6"
                  strokeLinecap="round"
                />
              </svg>{' '}
              CSV<span className="sr-only"> of {title.toLowerCase()}</span>
            </a>
          )}
        </div>
      </header>
      {result.isPending ? (
        <p className="muted report-loading">Loading…</p>
      ) : result.isError ? (
        <p className="form-error" role="alert" data-report-error>
          {result.error.message}
        </p>
      ) : (
        children(result.data)
      )}
    </section>
  );
}

/** A report under /api/v1/reports/ for the page's filters: its figures and its CSV, named once. */
export function FilteredReportSection<N extends ReportName>({
  name,
  filters,
  title,
  description,
  children,
}: {
  name: N;
  filters: ReportFilters;
  title: string;
  description: ReactNode;
  children: (report: Reports[N]) => ReactNode;
}) {
  return (
    <ReportSection
      name={name}
      title={title}
      description={description}
      csv={reportCsvUrl(name, filters)}
      result={useReport(name, filters)}
    >
      {children}
    </ReportSection>
  );
}

/** What a report says when there is nothing to chart: a sentence, not an empty chart. */
export function Empty({ children }: { children: ReactNode }) {
  return (
    <p className="report-empty" data-empty>
      {children}
    </p>
  );
}

/** The figures behind a chart, folded away until asked for. */
export function FiguresTable({ summary = 'Show table', children }: { summary?: string; children: ReactNode }) {
  return (
    <details className="report-table">
      <summary>{summary}</summary>
      <div className="table-scroll">{children}</div>
    </details>
  );
}
