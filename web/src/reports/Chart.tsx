// One ECharts chart on a div: made once, given new options when they change, resized with its box, disposed on unmount.
// Only the charts and components the reports use are registered, so the bundle carries nothing else.
import {
  BarChart,
  type BarSeriesOption,
  LineChart,
  type LineSeriesOption,
  ScatterChart,
  type ScatterSeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  MarkLineComponent,
  type MarkLineComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, type ECharts, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

use([BarChart, LineChart, ScatterChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
>;

/** Charts narrower than this (a phone) take their `narrow` option on top of the full one. */
const NARROW_PX = 520;

/**
 * A chart with a sentence for those who cannot see it: the div is an image to assistive technology, labelled with
 * what the chart says (the table next to it has every figure).
 *
 * ```tsx
 * <Chart label="Completed per week: 3, 4, 5" option={{ xAxis: {...}, yAxis: {...}, series: [...] }} />
 * ```
 */
export function Chart({
  option,
  label,
  tall,
  narrow,
}: {
  option: ChartOption;
  label: string;
  tall?: boolean;
  /** What changes on a phone-wide chart (shorter labels, no legend); a constant, so it does not redraw the chart. */
  narrow?: ChartOption;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const instance = init(el, null, { renderer: 'canvas' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // A new option replaces the old one whole: a filter that drops a series must not leave it drawn.
    // Media on the root (not `baseOption`, which ECharts reads as a timeline and asks for that component).
    const full = narrow ? { ...option, media: [{ query: { maxWidth: NARROW_PX }, option: narrow }] } : option;
    chart.current?.setOption(full, { notMerge: true });
  }, [option, narrow]);

  return <div ref={box} className={tall ? 'chart chart-tall' : 'chart'} role="img" aria-label={label} data-chart />;
}
