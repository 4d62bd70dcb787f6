// Capacity: how many orders each stage finishes in a week, and how many weeks of work wait in it now at that pace.
import { useMemo } from 'react';
import { capacityCsvUrl, useCapacity } from '../api/report-queries.ts';
import type { CapacityReport } from '../api/report-types.ts';
import { Chart, type ChartOption } from './Chart.tsx';
import { BASE, COLORS, countAxis, decimal, NARROW_STAGES, orders, stageAxis, valueAxis, weekLabel } from './figures.ts';
import { CAPACITY_WEEKS } from './filters.ts';
import { Empty, FiguresTable, ReportSection } from './ReportSection.tsx';

export function CapacitySection({
  workflow,
  weeks,
  onWeeks,
}: {
  workflow: string;
  weeks: number;
  onWeeks: (weeks: number) => void;
}) {
  const choices = CAPACITY_WEEKS.includes(weeks as (typeof CAPACITY_WEEKS)[number]) ? CAPACITY_WEEKS : [...CAPACITY_WEEKS, weeks];
  return (
    <ReportSection
      name="capacity"
      title="Capacity and load"
      description="Orders each stage finished per week over the last whole weeks (dates and filters above do not apply), and the open orders waiting in it now."
      csv={capacityCsvUrl(workflow, weeks)}
      tools={
        <label className="report-weeks">
          Over the last{' '}
          <select value={weeks} onChange={(e) => onWeeks(Number(e.target.value))} data-control="weeks">
            {choices.map((w) => (
              <option key={w} value={w}>
                {w} weeks
              </option>
            ))}
          </select>
        </label>
      }
      result={useCapacity(workflow, weeks)}
    >
      {(report) => <Capacity report={report} />}
    </ReportSection>
  );
}

function Capacity({ report }: { report: CapacityReport }) {
  const stages = report.stages;
  const pace = useMemo<ChartOption>(
    () => ({
      ...BASE,
      xAxis: countAxis(),
      yAxis: stageAxis(stages.map((s) => s.label)),
      tooltip: { ...BASE.tooltip, valueFormatter: (v: unknown) => decimal(Number(v)) },
      series: [
        { type: 'bar', name: 'Finished per week (average)', color: COLORS.accent, data: stages.map((s) => s.averagePerWeek) },
        { type: 'bar', name: 'Open now', color: COLORS.warn, data: stages.map((s) => s.open) },
      ],
    }),
    [stages],
  );
  const load = useMemo<ChartOption>(
    () => ({
      ...BASE,
      grid: { ...BASE.grid, right: 48 },
      legend: { show: false },
      xAxis: valueAxis(),
      yAxis: stageAxis(stages.map((s) => s.label)),
      tooltip: {
        ...BASE.tooltip,
        valueFormatter: (v: unknown) => (typeof v === 'number' ? `${decimal(v)} weeks` : 'no pace yet'),
      },
      series: [
        {
          type: 'bar',
          name: 'Weeks of work waiting',
          color: COLORS.hold,
          data: stages.map((s) => s.weeksOfWork ?? '-'),
          label: { show: true, position: 'right', color: COLORS.text, formatter: (p: unknown) => weeksText(p) },
        },
      ],
    }),
    [stages],
  );
  const finished = stages.some((s) => s.perWeek.some((n) => n > 0));
  const open = stages.some((s) => s.open > 0);
  if (!finished && !open) return <Empty>No order finished a stage in these weeks, and none is open.</Empty>;

  const heaviest = stages.reduce<CapacityReport['stages'][number] | null>(
    (a, s) => (s.weeksOfWork !== null && s.weeksOfWork > (a?.weeksOfWork ?? 0) ? s : a),
    null,
  );
  const completed = report.completedPerWeek.reduce((n, c) => n + c, 0);
  return (
    <>
      <p className="report-headline">
        Over the last {report.weeks.length} whole weeks the workflow completed{' '}
        <strong>{decimal(completed / Math.max(1, report.weeks.length))}</strong> orders a week.
        {heaviest && (
          <>
            {' '}
            The most work waits in <strong data-heaviest={heaviest.stage}>{heaviest.label}</strong>: {orders(heaviest.open)},
            about {decimal(heaviest.weeksOfWork)} weeks at its pace.
          </>
        )}
      </p>
      <div className="chart-pair">
        <figure>
          <figcaption>Pace and load per stage</figcaption>
          <Chart
            option={pace}
            narrow={NARROW_STAGES}
            tall
            label={`Bar chart per stage of orders finished per week on average and orders open now: ${stages
              .map((s) => `${s.label} ${decimal(s.averagePerWeek)} a week, ${s.open} open`)
              .join('; ')}.`}
          />
        </figure>
        <figure>
          <figcaption>Weeks of work waiting (open ÷ pace)</figcaption>
          <Chart
            option={load}
            narrow={NARROW_STAGES}
            tall
            label={`Bar chart of weeks of work waiting per stage: ${stages
              .map((s) => `${s.label} ${s.weeksOfWork === null ? 'no pace yet' : `${decimal(s.weeksOfWork)} weeks`}`)
              .join('; ')}.`}
          />
        </figure>
      </div>
      <FiguresTable>
        <table className="table table-dense" data-table="capacity">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              {report.weeks.map((w) => (
                <th key={w} scope="col" className="num">
                  {weekLabel(w)}
                </th>
              ))}
              <th scope="col" className="num">
                Average
              </th>
              <th scope="col" className="num">
                Open
              </th>
              <th scope="col" className="num">
                Weeks of work
              </th>
            </tr>
          </thead>
          <tbody>
            {stages.map((s) => (
              <tr key={s.stage} data-stage={s.stage}>
                <th scope="row">{s.label}</th>
                {s.perWeek.map((n, i) => (
                  <td key={report.weeks[i]} className="num">
                    {n}
                  </td>
                ))}
                <td className="num" data-average>
                  {decimal(s.averagePerWeek)}
                </td>
                <td className="num" data-open>
                  {s.open}
                </td>
                <td className="num">{s.weeksOfWork === null ? 'no pace yet' : decimal(s.weeksOfWork)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </FiguresTable>
    </>
  );
}

function weeksText(p: unknown): string {
  const v = (p as { value: unknown }).value;
  return typeof v === 'number' ? `${decimal(v)} wk` : '';
}
