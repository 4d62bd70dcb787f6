// On-time delivery: the share of completed orders done by their due date, week by week, and how late the others were.
import { useMemo } from 'react';
import type { ReportFilters } from '../api/report-queries.ts';
import type { OnTimeReport } from '../api/report-types.ts';
import { Link } from '../app/router.tsx';
import { orderPath } from '../board/OrderCard.tsx';
import { shortDate } from '../ui/format.ts';
import { Chart, type ChartOption } from './Chart.tsx';
import { BASE, COLORS, categoryAxis, countAxis, days, orders, percent, valueAxis, weekLabel } from './figures.ts';
import { Empty, FiguresTable, FilteredReportSection } from './ReportSection.tsx';

export function OnTimeSection({ filters }: { filters: ReportFilters }) {
  return (
    <FilteredReportSection
      name="on-time"
      filters={filters}
      title="On-time delivery"
      description="Completed orders done on or before their due date; orders without a due date are counted apart."
    >
      {(report) => <OnTime report={report} />}
    </FilteredReportSection>
  );
}

function OnTime({ report }: { report: OnTimeReport }) {
  const option = useMemo<ChartOption>(
    () => ({
      ...BASE,
      grid: { ...BASE.grid, right: 8 },
      xAxis: categoryAxis(report.weeks.map((w) => weekLabel(w.week))),
      yAxis: [
        countAxis('orders'),
        valueAxis(undefined, {
          min: 0,
          max: 100,
          splitLine: { show: false },
          axisLabel: { color: COLORS.muted, formatter: '{value}%' },
        }),
      ],
      series: [
        { type: 'bar', name: 'On time', stack: 'done', color: COLORS.okSoft, data: report.weeks.map((w) => w.onTime) },
        { type: 'bar', name: 'Late', stack: 'done', color: COLORS.danger, data: report.weeks.map((w) => w.late) },
        {
          type: 'line',
          name: 'On-time rate',
          yAxisIndex: 1,
          color: COLORS.ok,
          symbolSize: 7,
          lineStyle: { width: 2.5 },
          tooltip: { valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v}%` : '–') },
          data: report.weeks.map((w) => (w.rate === null ? '-' : Math.round(w.rate * 100))),
        },
      ],
    }),
    [report],
  );
  if (report.completed === 0) return <Empty>No orders completed in this period.</Empty>;
  if (report.withDueDate === 0)
    return <Empty>None of the {orders(report.completed)} completed in this period had a due date.</Empty>;

  const lateness = report.lateness;
  return (
    <>
      <div className="on-time-figure">
        <p className="big-number" data-rate>
          {percent(report.rate)}
        </p>
        <p className="report-headline">
          on time: <strong>{report.onTime}</strong> of the {orders(report.withDueDate)} with a due date were done by it,{' '}
          <strong className={report.late ? 'late' : undefined}>{report.late}</strong> late.
          {report.withoutDueDate > 0 && ` ${orders(report.withoutDueDate)} without a due date are not counted.`}
          {lateness && (
            <>
              {' '}
              The late ones were {days(lateness.mean)} late on average (median {days(lateness.p50)}, at most {days(lateness.max)}
              ).
            </>
          )}
        </p>
      </div>
      <div className="chart-with-aside">
        <Chart
          option={option}
          label={`Bar and line chart per week: orders done on time and late, and the on-time rate. Overall ${percent(report.rate)} on time, ${report.late} late.`}
        />
        {report.lateOrders.length > 0 && (
          <div className="table-scroll table-short">
            <table className="table" data-table="late-orders">
              <caption>The late orders, latest completed first</caption>
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Due</th>
                  <th scope="col">Completed</th>
                  <th scope="col" className="num">
                    Days late
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.lateOrders.map((o) => (
                  <tr key={o.orderId} data-order={o.number}>
                    <td>
                      <Link to={orderPath(o.number)}>{o.number}</Link>
                    </td>
                    <td>{o.dueDate ? shortDate(o.dueDate) : '–'}</td>
                    <td>{shortDate(o.completedDate)}</td>
                    <td className="num late" data-days-late>
                      {o.daysLate ?? '–'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <FiguresTable>
        <table className="table" data-table="on-time-weeks">
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col" className="num">
                With due date
              </th>
              <th scope="col" className="num">
                On time
              </th>
              <th scope="col" className="num">
                Late
              </th>
              <th scope="col" className="num">
                Rate
              </th>
            </tr>
          </thead>
          <tbody>
            {report.weeks.map((w) => (
              <tr key={w.week} data-week={w.week}>
                <th scope="row">{weekLabel(w.week)}</th>
                <td className="num">{w.withDueDate}</td>
                <td className="num">{w.onTime}</td>
                <td className="num">{w.late}</td>
                <td className="num">{percent(w.rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </FiguresTable>
    </>
  );
}
