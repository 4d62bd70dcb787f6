// Rework: how often orders went back to an earlier stage, out of which stage, and along which paths.
import { useMemo } from 'react';
import type { ReportFilters } from '../api/report-queries.ts';
import type { ReworkReport } from '../api/report-types.ts';
import { Chart, type ChartOption } from './Chart.tsx';
import { BASE, COLORS, countAxis, NARROW_STAGES, orders, percent, stageAxis } from './figures.ts';
import { Empty, FiguresTable, FilteredReportSection } from './ReportSection.tsx';

export function ReworkSection({ filters }: { filters: ReportFilters }) {
  return (
    <FilteredReportSection
      name="rework"
      filters={filters}
      title="Rework"
      description="Moves back to an earlier stage in the period: how many, out of which stage, and to where."
    >
      {(report) => <Rework report={report} />}
    </FilteredReportSection>
  );
}

function Rework({ report }: { report: ReworkReport }) {
  const stages = useMemo(() => report.stages.filter((s) => s.exits > 0), [report]);
  const option = useMemo<ChartOption>(
    () => ({
      ...BASE,
      grid: { ...BASE.grid, right: 64 },
      xAxis: countAxis(),
      yAxis: stageAxis(stages.map((s) => s.label)),
      series: [
        {
          type: 'bar',
          name: 'Sent back from this stage',
          color: COLORS.warn,
          data: stages.map((s) => s.reworks),
          label: {
            show: true,
            position: 'right',
            color: COLORS.text,
            formatter: (p: unknown) => {
              const s = stages[(p as { dataIndex: number }).dataIndex];
              return s && s.reworks > 0 ? `${s.reworks} (${percent(s.rate)})` : '';
            },
          },
        },
      ],
    }),
    [stages],
  );
  if (report.moves === 0) return <Empty>No order moved between stages in this period.</Empty>;
  if (report.reworks === 0)
    return <Empty>No order went back to an earlier stage in this period ({report.moves} moves, all forward).</Empty>;

  return (
    <>
      <p className="report-headline">
        <strong data-reworks>{report.reworks}</strong> of {report.moves} moves ({percent(report.rate)}) sent an order back to an
        earlier stage
        {report.completed > 0 && (
          <>
            ; <strong>{report.completedWithRework}</strong> of the {orders(report.completed)} completed (
            {percent(report.completedWithReworkRate)}) went back at least once
          </>
        )}
        .
      </p>
      <div className="chart-with-aside">
        <Chart
          option={option}
          narrow={NARROW_STAGES}
          label={`Bar chart of moves back per stage: ${stages
            .filter((s) => s.reworks > 0)
            .map((s) => `${s.label} ${s.reworks} (${percent(s.rate)})`)
            .join('; ')}.`}
        />
        <div className="table-scroll table-short">
          <table className="table" data-table="rework-paths">
            <caption>Where they went back to</caption>
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">Back to</th>
                <th scope="col" className="num">
                  Times
                </th>
              </tr>
            </thead>
            <tbody>
              {report.paths.map((p) => (
                <tr key={`${p.from}>${p.to}`} data-path={`${p.from}>${p.to}`}>
                  <td>{p.fromLabel}</td>
                  <td>{p.toLabel}</td>
                  <td className="num">{p.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <FiguresTable>
        <table className="table" data-table="rework-stages">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col" className="num">
                Moves out
              </th>
              <th scope="col" className="num">
                Sent back
              </th>
              <th scope="col" className="num">
                Rate
              </th>
            </tr>
          </thead>
          <tbody>
            {report.stages.map((s) => (
              <tr key={s.stage} data-stage={s.stage}>
                <th scope="row">{s.label}</th>
                <td className="num">{s.exits}</td>
                <td className="num">{s.reworks}</td>
                <td className="num">{percent(s.rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </FiguresTable>
    </>
  );
}
