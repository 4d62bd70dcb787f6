// Throughput: how many orders came in and how many were finished, week by week, side by side.
import { useMemo } from 'react';
import type { ReportFilters } from '../api/report-queries.ts';
import type { ThroughputReport } from '../api/report-types.ts';
import { Chart, type ChartOption } from './Chart.tsx';
import { BASE, COLORS, categoryAxis, countAxis, decimal, weekLabel } from './figures.ts';
import { Empty, FiguresTable, FilteredReportSection } from './ReportSection.tsx';

export function ThroughputSection({ filters }: { filters: ReportFilters }) {
  return (
    <FilteredReportSection
      name="throughput"
      filters={filters}
      title="Throughput"
      description="Orders started (created) and completed each week, weeks named by their Monday."
    >
      {(report) => <Throughput report={report} />}
    </FilteredReportSection>
  );
}

function Throughput({ report }: { report: ThroughputReport }) {
  const option = useMemo<ChartOption>(
    () => ({
      ...BASE,
      xAxis: categoryAxis(report.weeks.map((w) => weekLabel(w.week))),
      yAxis: countAxis('orders'),
      series: [
        { type: 'bar', name: 'Started', data: report.weeks.map((w) => w.started), color: COLORS.accentSoft },
        { type: 'bar', name: 'Completed', data: report.weeks.map((w) => w.completed), color: COLORS.accent },
      ],
    }),
    [report],
  );
  if (report.started === 0 && report.completed === 0) return <Empty>No orders started or completed in this period.</Empty>;

  const busiest = report.weeks.reduce((a, b) => (b.completed > a.completed ? b : a), report.weeks[0]!);
  return (
    <>
      <p className="report-headline">
        <strong>{report.completed}</strong> completed and <strong>{report.started}</strong> started:{' '}
        {decimal(report.completedPerWeek)} completed and {decimal(report.startedPerWeek)} started a week on average.
      </p>
      <Chart
        option={option}
        label={`Bar chart: orders started and completed in each of ${report.weeks.length} weeks. ${report.started} started, ${report.completed} completed; the most completed in one week: ${busiest.completed}, the week of ${weekLabel(busiest.week)}.`}
      />
      <FiguresTable>
        <table className="table" data-table="throughput">
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col" className="num">
                Started
              </th>
              <th scope="col" className="num">
                Completed
              </th>
            </tr>
          </thead>
          <tbody>
            {report.weeks.map((w) => (
              <tr key={w.week} data-week={w.week}>
                <th scope="row">{weekLabel(w.week)}</th>
                <td className="num" data-started>
                  {w.started}
                </td>
                <td className="num" data-completed>
                  {w.completed}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td className="num">{report.started}</td>
              <td className="num">{report.completed}</td>
            </tr>
          </tfoot>
        </table>
      </FiguresTable>
    </>
  );
}
