// The cumulative flow diagram: at the end of each day, how many orders stood in each stage, stacked, with the
// completed ones at the bottom; a band that widens is work piling up in that stage.
import { useMemo } from 'react';
import type { ReportFilters } from '../api/report-queries.ts';
import type { FlowReport } from '../api/report-types.ts';
import { shortDate } from '../ui/format.ts';
import { Chart, type ChartOption } from './Chart.tsx';
import { BASE, categoryAxis, countAxis, NARROW_NO_LEGEND, STAGE_COLORS } from './figures.ts';
import { Empty, FiguresTable, FilteredReportSection } from './ReportSection.tsx';

export function FlowSection({ filters }: { filters: ReportFilters }) {
  return (
    <FilteredReportSection
      name="flow"
      filters={filters}
      title="Cumulative flow"
      description="Orders in each stage at the end of each day; the last stage counts the orders completed since the first day."
    >
      {(report) => <Flow report={report} />}
    </FilteredReportSection>
  );
}

function Flow({ report }: { report: FlowReport }) {
  const option = useMemo<ChartOption>(
    () => ({
      ...BASE,
      grid: { ...BASE.grid, top: 64 },
      // Legend and tooltip in workflow order, top of the stack first.
      legend: { ...BASE.legend, data: report.stages.map((s) => s.label) },
      tooltip: { ...BASE.tooltip, order: 'seriesDesc' },
      xAxis: categoryAxis(
        report.days.map((d) => shortDate(d)),
        { boundaryGap: false },
      ),
      yAxis: countAxis('orders'),
      // Stacked from the last stage up, so finished work is the floor and new work sits on top.
      series: [...report.stages].reverse().map((s, i) => ({
        type: 'line' as const,
        name: s.label,
        stack: 'flow',
        data: s.counts,
        symbol: 'none',
        smooth: false,
        lineStyle: { width: 0.5 },
        areaStyle: { opacity: 0.9 },
        emphasis: { focus: 'series' as const },
        color: STAGE_COLORS[(report.stages.length - 1 - i) % STAGE_COLORS.length],
      })),
    }),
    [report],
  );
  const any = report.stages.some((s) => s.counts.some((c) => c > 0));
  if (!any) return <Empty>No orders in this workflow during this period.</Empty>;

  const last = report.days.length - 1;
  const today = report.stages.map((s) => `${s.label} ${s.counts[last] ?? 0}`).join(', ');
  return (
    <>
      <Chart
        option={option}
        narrow={NARROW_NO_LEGEND}
        tall
        label={`Stacked area chart of orders per stage each day from ${shortDate(report.days[0]!)} to ${shortDate(report.days[last]!)}. On the last day: ${today}.`}
      />
      <FiguresTable>
        <table className="table table-dense" data-table="flow">
          <thead>
            <tr>
              <th scope="col">Day</th>
              {report.stages.map((s) => (
                <th key={s.stage} scope="col" className="num">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.days.map((d, i) => (
              <tr key={d} data-day={d}>
                <th scope="row">{shortDate(d)}</th>
                {report.stages.map((s) => (
                  <td key={s.stage} className="num">
                    {s.counts[i]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </FiguresTable>
    </>
  );
}
