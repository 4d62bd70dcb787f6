// Lead time (created to completed) and cycle time (from the cycle-start stage to completed): how they are spread,
// where p50/p85/p95 fall, and how they moved week by week.
import { useMemo } from 'react';
import type { ReportFilters } from '../api/report-queries.ts';
import type { Distribution, LeadTimeReport } from '../api/report-types.ts';
import type { Workflow } from '../api/types.ts';
import { Chart, type ChartOption } from './Chart.tsx';
import {
  BASE,
  COLORS,
  categoryAxis,
  countAxis,
  days,
  hours,
  NARROW_NO_LEGEND,
  orders,
  TOOLTIP,
  valueAxis,
  weekLabel,
} from './figures.ts';
import { Empty, FiguresTable, FilteredReportSection } from './ReportSection.tsx';

export function LeadTimeSection({ filters, wf }: { filters: ReportFilters; wf: Workflow | undefined }) {
  return (
    <FilteredReportSection
      name="lead-time"
      filters={filters}
      title="Lead time and cycle time"
      description="How long the orders completed in the period took: lead time from order created to completed, cycle time from the start of production work."
    >
      {(report) => <LeadTime report={report} wf={wf} />}
    </FilteredReportSection>
  );
}

function LeadTime({ report, wf }: { report: LeadTimeReport; wf: Workflow | undefined }) {
  const cycleStart = wf?.stages.find((s) => s.key === report.cycleStartStage)?.label ?? report.cycleStartStage;
  const leadOption = useMemo(() => histogramOption(report.leadTime, COLORS.accentSoft), [report]);
  const cycleOption = useMemo(() => histogramOption(report.cycleTime, COLORS.holdSoft), [report]);
  const trendOption = useMemo<ChartOption>(() => {
    // p85 dashed with hollow dots, p50 solid with filled ones: the legend tells them apart too.
    const line = (name: string, values: Array<number | null>, color: string, dashed: boolean) => ({
      type: 'line' as const,
      name,
      data: values.map((v) => v ?? '-'),
      color,
      symbol: dashed ? 'emptyCircle' : 'circle',
      symbolSize: 6,
      lineStyle: { width: 2, ...(dashed ? { type: 'dashed' as const } : {}) },
    });
    return {
      ...BASE,
      xAxis: categoryAxis(report.trend.map((t) => weekLabel(t.week))),
      yAxis: valueAxis('days'),
      series: [
        line(
          'Lead time p50',
          report.trend.map((t) => t.leadP50Days),
          COLORS.accent,
          false,
        ),
        line(
          'Lead time p85',
          report.trend.map((t) => t.leadP85Days),
          COLORS.accent,
          true,
        ),
        line(
          'Cycle time p50',
          report.trend.map((t) => t.cycleP50Days),
          COLORS.hold,
          false,
        ),
        line(
          'Cycle time p85',
          report.trend.map((t) => t.cycleP85Days),
          COLORS.hold,
          true,
        ),
      ],
    };
  }, [report]);

  if (report.completed === 0) return <Empty>No orders completed in this period.</Empty>;
  const lead = report.leadTime.days;
  const cycle = report.cycleTime.days;
  return (
    <>
      <p className="report-headline" data-lead-summary>
        <strong>Lead time</strong> of the {orders(report.completed)} completed: half within{' '}
        <strong data-p50>{days(lead?.p50)}</strong>, 85% within <strong data-p85>{days(lead?.p85)}</strong>, 95% within{' '}
        <strong data-p95>{days(lead?.p95)}</strong>.
      </p>
      <p className="report-headline" data-cycle-summary>
        <strong>Cycle time</strong> (from {cycleStart}): half within <strong>{days(cycle?.p50)}</strong>, 85% within{' '}
        <strong>{days(cycle?.p85)}</strong>, 95% within <strong>{days(cycle?.p95)}</strong>.
      </p>
      <div className="chart-pair">
        <figure>
          <figcaption>Lead time, days</figcaption>
          <Chart option={leadOption} label={distributionLabel('Lead time', report.leadTime)} />
        </figure>
        <figure>
          <figcaption>Cycle time, days</figcaption>
          <Chart option={cycleOption} label={distributionLabel('Cycle time', report.cycleTime)} />
        </figure>
      </div>
      <figure>
        <figcaption>Week by week: p50 and p85 of the orders completed that week, in days</figcaption>
        <Chart
          option={trendOption}
          narrow={NARROW_NO_LEGEND}
          label={`Line chart: lead time and cycle time p50 and p85 in each of ${report.trend.length} weeks; weeks without completed orders are left out.`}
        />
      </figure>
      <FiguresTable>
        <table className="table" data-table="lead-time-summary">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col" className="num">
                p50
              </th>
              <th scope="col" className="num">
                p85
              </th>
              <th scope="col" className="num">
                p95
              </th>
              <th scope="col" className="num">
                Mean
              </th>
              <th scope="col" className="num">
                Shortest
              </th>
              <th scope="col" className="num">
                Longest
              </th>
              <th scope="col" className="num">
                p50 working
              </th>
              <th scope="col" className="num">
                p85 working
              </th>
            </tr>
          </thead>
          <tbody>
            {(
              [
                ['lead', 'Lead time', report.leadTime],
                ['cycle', 'Cycle time', report.cycleTime],
              ] as const
            ).map(([key, name, d]) => (
              <tr key={key} data-row={key}>
                <th scope="row">{name}</th>
                <td className="num">{days(d.days?.p50)}</td>
                <td className="num">{days(d.days?.p85)}</td>
                <td className="num">{days(d.days?.p95)}</td>
                <td className="num">{days(d.days?.mean)}</td>
                <td className="num">{days(d.days?.min)}</td>
                <td className="num">{days(d.days?.max)}</td>
                <td className="num">{hours(d.workingHours?.p50)}</td>
                <td className="num">{hours(d.workingHours?.p85)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="table" data-table="lead-time-trend">
          <caption>Week by week</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col" className="num">
                Completed
              </th>
              <th scope="col" className="num">
                Lead p50
              </th>
              <th scope="col" className="num">
                Lead p85
              </th>
              <th scope="col" className="num">
                Cycle p50
              </th>
              <th scope="col" className="num">
                Cycle p85
              </th>
            </tr>
          </thead>
          <tbody>
            {report.trend.map((t) => (
              <tr key={t.week} data-week={t.week}>
                <th scope="row">{weekLabel(t.week)}</th>
                <td className="num">{t.completed}</td>
                <td className="num">{days(t.leadP50Days)}</td>
                <td className="num">{days(t.leadP85Days)}</td>
                <td className="num">{days(t.cycleP50Days)}</td>
                <td className="num">{days(t.cycleP85Days)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="table" data-table="lead-time-histogram">
          <caption>Orders by how many days they took</caption>
          <thead>
            <tr>
              <th scope="col">Days</th>
              <th scope="col" className="num">
                Lead time
              </th>
              <th scope="col" className="num">
                Cycle time
              </th>
            </tr>
          </thead>
          <tbody>
            {bins(report).map(([from, to, leadCount, cycleCount]) => (
              <tr key={from}>
                <th scope="row">
                  {from}–{to}
                </th>
                <td className="num">{leadCount}</td>
                <td className="num">{cycleCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </FiguresTable>
    </>
  );
}

/** Both histograms' bins side by side, from the first bin either has orders in to the last. */
function bins(report: LeadTimeReport): Array<[number, number, number, number]> {
  const rows = new Map<number, [number, number, number, number]>();
  for (const b of report.leadTime.histogram) rows.set(b.fromDays, [b.fromDays, b.toDays, b.count, 0]);
  for (const b of report.cycleTime.histogram) {
    const row = rows.get(b.fromDays) ?? [b.fromDays, b.toDays, 0, 0];
    row[3] = b.count;
    rows.set(b.fromDays, row);
  }
  const all = [...rows.values()].sort((a, b) => a[0] - b[0]);
  const used = (r: [number, number, number, number]) => r[2] + r[3] > 0;
  const first = all.findIndex(used);
  const last = all.length - 1 - [...all].reverse().findIndex(used);
  return first < 0 ? [] : all.slice(first, last + 1);
}

function distributionLabel(name: string, d: Distribution): string {
  const s = d.days;
  if (!s) return `${name}: no orders.`;
  return `Histogram of ${name.toLowerCase()} in days over ${orders(s.count)}: p50 ${days(s.p50)}, p85 ${days(s.p85)}, p95 ${days(s.p95)}, from ${days(s.min)} to ${days(s.max)}.`;
}

/** Bars of orders per day of duration on a day axis, with p50, p85 and p95 marked where they fall. */
function histogramOption(d: Distribution, color: string): ChartOption {
  const used = d.histogram.filter((b) => b.count > 0);
  const min = Math.max(0, (used[0]?.fromDays ?? 0) - 1);
  const max = (used.at(-1)?.toDays ?? 1) + 1;
  const shown = d.histogram.filter((b) => b.fromDays >= min && b.toDays <= max);
  const s = d.days;
  // Dark lines over light bars, so a percentile that falls inside a bar still shows: p50 solid, p85 dashed, p95 dotted.
  const mark = (name: string, value: number | undefined, type: 'solid' | 'dashed' | 'dotted', distance: number) =>
    value === undefined ? [] : [{ name, xAxis: value, label: { formatter: name, distance }, lineStyle: { type } }];
  return {
    ...BASE,
    grid: { ...BASE.grid, top: 44 },
    legend: { show: false },
    tooltip: {
      ...TOOLTIP,
      trigger: 'item',
      formatter: (p: unknown) => {
        const b = shown[(p as { dataIndex: number }).dataIndex];
        return b ? `${b.fromDays}–${b.toDays} days: ${orders(b.count)}` : '';
      },
    },
    xAxis: valueAxis(undefined, { min, max, minInterval: 1, splitLine: { show: false } }),
    yAxis: countAxis('orders'),
    series: [
      {
        type: 'bar',
        name: 'Orders',
        color,
        barCategoryGap: '10%',
        data: shown.map((b) => [(b.fromDays + b.toDays) / 2, b.count]),
        markLine: {
          symbol: 'none',
          silent: true,
          z: 10,
          label: { position: 'end', color: COLORS.ink, fontWeight: 'bold' },
          lineStyle: { color: COLORS.ink, width: 1.5 },
          data: [...mark('p50', s?.p50, 'solid', 4), ...mark('p85', s?.p85, 'dashed', 4), ...mark('p95', s?.p95, 'dotted', 18)],
        },
      },
    ],
  };
}
