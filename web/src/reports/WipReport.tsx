// Work in progress and aging: every open order's time in its stage against that stage's usual times (p50, p85),
// so the orders that have sat too long stand out, with links to them.
import { useMemo } from 'react';
import type { ReportFilters } from '../api/report-queries.ts';
import type { AgeBand, WipOrder, WipReport } from '../api/report-types.ts';
import { Link } from '../app/router.tsx';
import { orderPath } from '../board/OrderCard.tsx';
import { shortDate } from '../ui/format.ts';
import { Chart, type ChartOption } from './Chart.tsx';
import { BASE, COLORS, categoryAxis, hours, orders, TOOLTIP, valueAxis } from './figures.ts';
import { Empty, FiguresTable, FilteredReportSection } from './ReportSection.tsx';

/** On a phone: no legend (the headline and tooltips say what the colours mean), stage names slanted and short. */
const NARROW_WIP: ChartOption = {
  legend: { show: false },
  grid: { top: 28 },
  xAxis: { axisLabel: { rotate: 40, width: 80, overflow: 'truncate' } },
};

/** More rows than this and the table lists the longest-waiting ones; the CSV has them all. */
const TABLE_ROWS = 200;

export const BAND_NAMES: Record<AgeBand, string> = {
  'within-p50': 'Within the usual time',
  'p50-p85': 'Longer than usual',
  'over-p85': 'Longer than 85% of past visits',
  'no-history': 'No history for the stage yet',
};

const BAND_COLORS: Record<AgeBand, string> = {
  'within-p50': COLORS.ok,
  'p50-p85': COLORS.warn,
  'over-p85': COLORS.danger,
  'no-history': COLORS.muted,
};

export function WipSection({ filters }: { filters: ReportFilters }) {
  return (
    <FilteredReportSection
      name="wip"
      filters={filters}
      title="Work in progress and aging"
      description="Every open order now, by the working hours it has spent in its stage, against how long that stage usually takes (p50 and p85 over the period)."
    >
      {(report) => <Wip report={report} />}
    </FilteredReportSection>
  );
}

function Wip({ report }: { report: WipReport }) {
  const stages = useMemo(() => report.stages.filter((s) => s.count > 0 || s.p50WorkingHours !== null), [report]);
  const option = useMemo(() => agingOption(stages, report.orders), [stages, report]);
  if (report.total === 0) return <Empty>No open orders right now.</Empty>;

  const overP50 = report.stages.reduce((n, s) => n + s.overP50, 0);
  const overP85 = report.stages.reduce((n, s) => n + s.overP85, 0);
  const shown = report.orders.slice(0, TABLE_ROWS);
  return (
    <>
      <p className="report-headline">
        <strong data-total>{orders(report.total)}</strong> open: <strong>{overP50}</strong> in their stage longer than usual (over
        its p50), <strong className={overP85 ? 'late' : undefined}>{overP85}</strong> longer than 85% of past visits.
      </p>
      <Chart
        option={option}
        narrow={NARROW_WIP}
        tall
        label={`Scatter chart: each open order's working hours in its stage, over bands of the stage's usual time. ${stages
          .map((s) => `${s.label}: ${s.count} open, ${s.overP85} over p85`)
          .join('; ')}.`}
      />
      <FiguresTable summary="Show tables">
        <table className="table" data-table="wip-stages">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col" className="num">
                Open
              </th>
              <th scope="col" className="num">
                Usual (p50)
              </th>
              <th scope="col" className="num">
                p85
              </th>
              <th scope="col" className="num">
                Over p50
              </th>
              <th scope="col" className="num">
                Over p85
              </th>
            </tr>
          </thead>
          <tbody>
            {report.stages.map((s) => (
              <tr key={s.stage} data-stage={s.stage}>
                <th scope="row">{s.label}</th>
                <td className="num" data-open>
                  {s.count}
                </td>
                <td className="num">{hours(s.p50WorkingHours)}</td>
                <td className="num">{hours(s.p85WorkingHours)}</td>
                <td className="num">{s.overP50}</td>
                <td className="num">{s.overP85}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="table" data-table="wip-orders">
          <caption>
            {report.orders.length > TABLE_ROWS
              ? `The ${TABLE_ROWS} orders longest over their stage's usual time, of ${report.orders.length} (the CSV has all)`
              : 'Open orders, longest over their stage’s usual time first'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Stage</th>
              <th scope="col" className="num">
                In stage (working)
              </th>
              <th scope="col" className="num">
                Usual / p85
              </th>
              <th scope="col">Age</th>
              <th scope="col">Expected done</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((o) => (
              <tr key={o.id} data-order={o.number} data-band={o.band}>
                <td>
                  <Link to={orderPath(o.number)} className="queue-number">
                    {o.number}
                  </Link>{' '}
                  <span className="small">{o.title}</span>
                  <div className="small muted">{o.customerName}</div>
                </td>
                <td>{o.stageLabel}</td>
                <td className="num">{hours(o.ageInStageWorkingHours)}</td>
                <td className="num">
                  {hours(o.stageP50WorkingHours)} / {hours(o.stageP85WorkingHours)}
                </td>
                <td>
                  <span className={`badge band band-${o.band}`}>{BAND_NAMES[o.band]}</span>
                </td>
                <td>{o.eta ? shortDate(o.eta.p50) : o.state === 'on_hold' ? 'On hold' : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </FiguresTable>
    </>
  );
}

/**
 * Per stage, a green band up to its p50 and an amber one up to its p85 (stacked bars), and a dot per open order at its
 * hours in the stage, coloured by how it compares.
 */
function agingOption(stages: WipReport['stages'], list: WipOrder[]): ChartOption {
  const index = new Map(stages.map((s, i) => [s.stage, i]));
  const dots = (band: AgeBand) => ({
    type: 'scatter' as const,
    name: BAND_NAMES[band],
    color: BAND_COLORS[band],
    symbolSize: 9,
    z: 3,
    data: list
      .filter((o) => o.band === band && index.has(o.stage))
      .map((o) => ({ value: [index.get(o.stage)!, o.ageInStageWorkingHours], name: `${o.number} · ${o.title}` })),
  });
  // The bands are stacked bars, a full column wide per stage, that only sit behind the dots.
  const band = (name: string, values: Array<number | null>, line: string, fill: string) => ({
    type: 'bar' as const,
    name,
    stack: 'usual',
    barCategoryGap: '10%',
    silent: true,
    color: fill,
    itemStyle: { color: fill, borderColor: line, borderWidth: 1 },
    data: values.map((v) => v ?? '-'),
    tooltip: { show: false },
  });
  return {
    ...BASE,
    grid: { ...BASE.grid, top: 56 },
    tooltip: {
      ...TOOLTIP,
      trigger: 'item',
      formatter: (p: unknown) => {
        const { name, value } = p as { name: string; value: [number, number] };
        const stage = stages[value[0]];
        return `${name}\n${hours(value[1])} working in ${stage?.label ?? ''} (usual ${hours(stage?.p50WorkingHours)}, p85 ${hours(stage?.p85WorkingHours)})`;
      },
    },
    xAxis: categoryAxis(
      stages.map((s) => s.label),
      { axisLabel: { color: COLORS.text, interval: 0, width: 110, overflow: 'break', fontSize: 11, lineHeight: 14 } },
    ),
    yAxis: valueAxis('working hours in stage'),
    series: [
      band(
        'Up to the usual time (p50)',
        stages.map((s) => s.p50WorkingHours),
        COLORS.ok,
        COLORS.okSoft,
      ),
      band(
        'Up to p85',
        stages.map((s) =>
          s.p85WorkingHours === null || s.p50WorkingHours === null ? null : s.p85WorkingHours - s.p50WorkingHours,
        ),
        COLORS.warn,
        COLORS.warnSoft,
      ),
      dots('within-p50'),
      dots('p50-p85'),
      dots('over-p85'),
      dots('no-history'),
    ],
  };
}
