// /reports: the figures that run the business for one workflow and period, each as a chart, its table and its CSV,
// with the filters in the address so a view can be shared. Loaded only when opened (it carries the chart library).

import { useWorkflows } from '../api/queries.ts';
import type { ReportFilters } from '../api/report-queries.ts';
import { useReport } from '../api/report-queries.ts';
import type { Workflow } from '../api/types.ts';
import { setSearchParams, useLocation } from '../app/router.tsx';
import { WORKFLOW_KEY } from '../board/BoardPage.tsx';
import { calendarDate } from '../ui/format.ts';
import { useTitle } from '../ui/title.ts';
import { CapacitySection } from './CapacityReport.tsx';
import { FlowSection } from './FlowReport.tsx';
import { readCapacityWeeks, readReportFilters, writeReportFilters } from './filters.ts';
import { LeadTimeSection } from './LeadTimeReport.tsx';
import { OnTimeSection } from './OnTimeReport.tsx';
import { QuoteForm } from './QuoteForm.tsx';
import { ReportFilterBar } from './ReportFilters.tsx';
import { ReworkSection } from './ReworkReport.tsx';
import { StageTimesSection } from './StageTimeReport.tsx';
import { ThroughputSection } from './ThroughputReport.tsx';
import { WipSection } from './WipReport.tsx';
import '../styles/reports.css';

const CONTENTS: Array<[string, string]> = [
  ['throughput', 'Throughput'],
  ['lead-time', 'Lead time'],
  ['stage-times', 'Stage times'],
  ['flow', 'Flow'],
  ['wip', 'Work in progress'],
  ['on-time', 'On time'],
  ['rework', 'Rework'],
  ['capacity', 'Capacity'],
  ['quote', 'Quote a date'],
];

export function ReportsPage() {
  useTitle('Reports');
  const { params } = useLocation();
  const workflows = useWorkflows();

  if (workflows.isPending) return <main className="page muted">Loading…</main>;
  if (workflows.isError) {
    return (
      <main className="page" id="main">
        <h1>Reports</h1>
        <p className="form-error" role="alert">
          {workflows.error.message}
        </p>
      </main>
    );
  }
  if (workflows.data.length === 0) {
    return (
      <main className="page" id="main">
        <h1>Reports</h1>
        <p className="muted">There is no workflow yet, so there is nothing to report.</p>
      </main>
    );
  }
  const filters = readReportFilters(params, workflows.data, localStorage.getItem(WORKFLOW_KEY));
  const weeks = readCapacityWeeks(params);
  const change = (next: ReportFilters) => setSearchParams(writeReportFilters(params, next));
  const changeWeeks = (w: number) => {
    const next = new URLSearchParams(params);
    next.set('weeks', String(w));
    setSearchParams(next);
  };
  return <Reports filters={filters} weeks={weeks} onChange={change} onWeeks={changeWeeks} workflows={workflows.data} />;
}

function Reports({
  filters,
  weeks,
  onChange,
  onWeeks,
  workflows,
}: {
  filters: ReportFilters;
  weeks: number;
  onChange: (next: ReportFilters) => void;
  onWeeks: (weeks: number) => void;
  workflows: Workflow[];
}) {
  const wf = workflows.find((w) => w.key === filters.workflow);
  // The throughput answer says which period the API chose when none was asked for: the date inputs show it.
  const scope = useReport('throughput', filters).data?.scope;
  const backwards = filters.from !== null && filters.to !== null && filters.from > filters.to;

  return (
    <main className="page reports-page" id="main" data-reports={filters.workflow}>
      <header className="page-header">
        <div>
          <h1>Reports</h1>
          <p className="muted" data-period>
            {wf?.name ?? filters.workflow}
            {scope && (
              <>
                , {calendarDate(scope.from)} to {calendarDate(scope.to)}
              </>
            )}
            {filters.priority.length > 0 && <>, {filters.priority.join(' and ')} priority</>}
            {filters.customer && <>, {filters.customer} only</>}
          </p>
        </div>
      </header>
      <ReportFilterBar workflows={workflows} filters={filters} defaults={scope ?? null} onChange={onChange} />
      <nav className="report-contents" aria-label="Reports on this page">
        {CONTENTS.map(([id, label]) => (
          <a key={id} href={`#report-${id}`}>
            {label}
          </a>
        ))}
      </nav>
      {backwards ? (
        <p className="form-error" role="alert">
          The period starts after it ends: choose a “From” day on or before the “To” day.
        </p>
      ) : (
        <>
          <ThroughputSection filters={filters} />
          <LeadTimeSection filters={filters} wf={wf} />
          <StageTimesSection filters={filters} />
          <FlowSection filters={filters} />
          <WipSection filters={filters} />
          <OnTimeSection filters={filters} />
          <ReworkSection filters={filters} />
        </>
      )}
      <CapacitySection workflow={filters.workflow} weeks={weeks} onWeeks={onWeeks} />
      <section className="panel report" id="report-quote" aria-labelledby="report-quote-title">
        <header className="report-header">
          <div>
            <h2 id="report-quote-title">Quote a delivery date</h2>
            <p className="muted small report-description">
              When a new order started today would be done, from recent stage times and the queue now.
            </p>
          </div>
        </header>
        <QuoteForm key={filters.workflow} workflows={workflows} initial={filters.workflow} />
      </section>
    </main>
  );
}
