// Time in each stage: the median and p85 of the visits that left it in the period, in working and calendar hours,
// and the stage that holds orders longest (the bottleneck) named in a sentence.
import { useMemo } from 'react';
import type { ReportFilters } from '../api/report-queries.ts';
import type { StageTimeReport, Summary } from '../api/report-types.ts';
import { Chart, type ChartOption } from './Chart.tsx';
import { BASE, COLORS, hours, NARROW_STAGES, stageAxis, valueAxis } from './figures.ts';
import { Empty, FiguresTable, FilteredReportSection } from './ReportSection.tsx';

export function StageTimesSection({ filters }: { filters: ReportFilters }) {
  return (
    <FilteredReportSection
      name="stage-times"
      filters={filters}
      title="Time in each stage"
      description="How long orders stayed in each stage, for the visits that left it in the period: working hours on the business calendar, and calendar hours."
    >
      {(report) => <StageTimes report={report} />}
    </FilteredReportSection>
  );
}

type Stage = StageTimeReport['stages'][number];

function StageTimes({ report }: { report: StageTimeReport }) {
  const stages = useMemo(() => report.stages.filter((s) => s.visits > 0), [report]);
  const bottleneck = report.bottleneck?.stage;
  const working = useMemo(() => stageBars(stages, (s) => s.workingHours, bottleneck), [stages, bottleneck]);
  const calendar = useMemo(() => stageBars(stages, (s) => s.calendarHours, bottleneck), [stages, bottleneck]);
  if (stages.length === 0) return <Empty>No order left a stage in this period.</Empty>;

  return (
    <>
      {report.bottleneck && (
        <p className="report-headline report-bottleneck" data-bottleneck={report.bottleneck.stage}>
          <strong>Bottleneck: {report.bottleneck.label}</strong> — {report.bottleneck.why.replace(/\.$/, '')}.
        </p>
      )}
      <div className="chart-pair">
        <figure>
          <figcaption>Working hours in the stage</figcaption>
          <Chart
            option={working}
            narrow={NARROW_STAGES}
            tall
            label={stagesLabel('working hours', stages, (s) => s.workingHours)}
          />
        </figure>
        <figure>
          <figcaption>Calendar hours in the stage</figcaption>
          <Chart
            option={calendar}
            narrow={NARROW_STAGES}
            tall
            label={stagesLabel('calendar hours', stages, (s) => s.calendarHours)}
          />
        </figure>
      </div>
      <FiguresTable>
        <table className="table" data-table="stage-times">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col" className="num">
                Visits
              </th>
              <th scope="col" className="num">
                Median working
              </th>
              <th scope="col" className="num">
                p85 working
              </th>
              <th scope="col" className="num">
                Median calendar
              </th>
              <th scope="col" className="num">
                p85 calendar
              </th>
            </tr>
          </thead>
          <tbody>
            {report.stages.map((s) => (
              <tr key={s.stage} data-stage={s.stage} className={s.stage === bottleneck ? 'row-marked' : undefined}>
                <th scope="row">{s.label}</th>
                <td className="num">{s.visits}</td>
                <td className="num" data-median-working>
                  {hours(s.workingHours?.p50)}
                </td>
                <td className="num">{hours(s.workingHours?.p85)}</td>
                <td className="num">{hours(s.calendarHours?.p50)}</td>
                <td className="num">{hours(s.calendarHours?.p85)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </FiguresTable>
    </>
  );
}

function stagesLabel(what: string, stages: Stage[], pick: (s: Stage) => Summary): string {
  return `Bar chart of median and p85 ${what} per stage: ${stages
    .map((s) => `${s.label} ${hours(pick(s)?.p50)} median, ${hours(pick(s)?.p85)} p85`)
    .join('; ')}.`;
}

/** Horizontal bars per stage, first stage on top: median and p85; the bottleneck's bars in full colour. */
function stageBars(stages: Stage[], pick: (s: Stage) => Summary, bottleneck: string | undefined): ChartOption {
  const bar = (name: string, value: (s: Summary) => number | undefined, color: string, soft: string) => ({
    type: 'bar' as const,
    name,
    color,
    data: stages.map((s) => ({
      value: value(pick(s)) ?? 0,
      itemStyle: { color: !bottleneck || s.stage === bottleneck ? color : soft },
    })),
  });
  return {
    ...BASE,
    tooltip: { ...BASE.tooltip, valueFormatter: (v: unknown) => hours(Number(v)) },
    xAxis: valueAxis(),
    yAxis: stageAxis(stages.map((s) => s.label)),
    series: [
      bar('Median', (s) => s?.p50, COLORS.accent, COLORS.accentSoft),
      bar('p85', (s) => s?.p85, COLORS.hold, COLORS.holdSoft),
    ],
  };
}
