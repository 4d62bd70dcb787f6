// How the reports' figures read: hours, days and rates rounded the way people say them, weeks by their Monday;
// and what the charts share.
import { shortDate } from '../ui/format.ts';
import type { ChartOption } from './Chart.tsx';

/** "1.7 h" under ten hours, "18 h" above. */
export function hours(h: number | null | undefined): string {
  if (h === null || h === undefined) return '–';
  return `${h < 10 ? round(h, 1) : Math.round(h)} h`;
}

/** "13.8 days", "1 day". */
export function days(d: number | null | undefined): string {
  if (d === null || d === undefined) return '–';
  const r = round(d, 1);
  return `${r} ${r === 1 ? 'day' : 'days'}`;
}

/** "89%" */
export function percent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '–';
  return `${Math.round(rate * 100)}%`;
}

/** A number with at most one decimal: "2.3", "4". */
export function decimal(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  return String(round(n, 1));
}

/** A week by its Monday: "12 Oct". */
export function weekLabel(monday: string): string {
  return shortDate(monday);
}

/** "12 orders", "1 order". */
export function orders(n: number): string {
  return `${n} ${n === 1 ? 'order' : 'orders'}`;
}

function round(n: number, places: number): number {
  const f = 10 ** places;
  return Math.round(n * f) / f;
}

/** The colours of the charts: the app's own (base.css), so a chart reads like the rest of the screen. */
export const COLORS = {
  accent: '#2e5ce6',
  accentSoft: '#a9bdf5',
  ok: '#17794a',
  okSoft: '#cdebd9',
  warn: '#b86a00',
  warnSoft: '#fde3a7',
  danger: '#c0262d',
  hold: '#6130c7',
  holdSoft: '#c9b6ef',
  ink: '#171c28',
  muted: '#5d6777',
  grid: '#e4e8ee',
  text: '#4b5565',
};

/** A colour per stage for charts with a series per stage (cumulative flow): distinct, calm, in workflow order. */
export const STAGE_COLORS = [
  '#9db4f3',
  '#6f8fe9',
  '#2e5ce6',
  '#6130c7',
  '#a45fd6',
  '#d9822b',
  '#e8b04a',
  '#5fb08a',
  '#17794a',
  '#0f5a37',
  '#7a8595',
  '#b9c1cd',
];

export const FONT =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif';

/**
 * What every chart shares: the app's font and greys, room for the axis labels, a tooltip on hover. Tooltips are drawn
 * on the canvas (`richText`): ECharts' HTML tooltips carry inline styles, which the content security policy refuses,
 * and they would write order titles (anyone's words) as HTML.
 */
export const TOOLTIP = { confine: true, renderMode: 'richText' as const };

export const BASE = {
  animationDuration: 300,
  textStyle: { fontFamily: FONT, color: COLORS.text },
  grid: { left: 8, right: 16, top: 36, bottom: 8, outerBoundsMode: 'same' as const, outerBoundsContain: 'axisLabel' as const },
  legend: { top: 0, right: 0, itemWidth: 14, itemHeight: 10, textStyle: { color: COLORS.text } },
  tooltip: { ...TOOLTIP, trigger: 'axis' as const },
};

/** A value axis with the app's light grid lines. */
export function valueAxis(name?: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'value' as const,
    ...(name ? { name, nameTextStyle: { color: COLORS.muted, align: 'left' as const } } : {}),
    splitLine: { lineStyle: { color: COLORS.grid } },
    axisLabel: { color: COLORS.muted },
    ...extra,
  };
}

/** A value axis of whole orders. */
export function countAxis(name?: string, extra: Record<string, unknown> = {}) {
  return valueAxis(name, { minInterval: 1, ...extra });
}

/** A category axis of labels (weeks, stages). */
export function categoryAxis(data: string[], extra: Record<string, unknown> = {}) {
  return {
    type: 'category' as const,
    data,
    axisTick: { alignWithLabel: true },
    axisLine: { lineStyle: { color: COLORS.grid } },
    axisLabel: { color: COLORS.muted },
    ...extra,
  };
}

/** The stages down the side of a horizontal bar chart, first stage on top. */
export function stageAxis(labels: string[]) {
  return categoryAxis(labels, { inverse: true, axisLabel: { color: COLORS.text, width: 200, overflow: 'truncate' } });
}

/** A horizontal stage chart on a phone: shorter stage names, so the bars keep their room. */
export const NARROW_STAGES: ChartOption = { yAxis: { axisLabel: { width: 90 } } };

/** A chart with many series on a phone: no legend (the tooltip names them), the plot takes the room. */
export const NARROW_NO_LEGEND: ChartOption = { legend: { show: false }, grid: { top: 28 } };
