import type { Chart, Plugin } from 'chart.js';
import type { BarSeries } from './model';

/**
 * Confidence-interval whiskers on bars: chart.js has no error bars, so a small plugin draws them after the
 * datasets, from the CI bounds kept next to each dataset's values. The geometry is pure and shared with the SVG
 * serialiser, so the screen, the PNG and the SVG draw the same whiskers.
 */

export interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Half the width of a whisker's caps for a bar `barWidth` pixels wide: a quarter of it, kept within 2–8 px. */
export function capHalfWidth(barWidth: number): number {
  return Math.max(2, Math.min(8, barWidth / 4));
}

/**
 * A whisker at `x` from pixel `yLow` to `yHigh`: the vertical stem and the two caps. None for a zero-width CI
 * (e.g. a rate of 0 in every resample): a flat cap on the bar's edge would only add clutter.
 */
export function whiskerSegments(x: number, yLow: number, yHigh: number, capHalf: number): Segment[] {
  if (yLow === yHigh) return [];
  return [
    { x1: x, y1: yLow, x2: x, y2: yHigh },
    { x1: x - capHalf, y1: yLow, x2: x + capHalf, y2: yLow },
    { x1: x - capHalf, y1: yHigh, x2: x + capHalf, y2: yHigh },
  ];
}

export interface ErrorBarsOptions {
  /** Per dataset (same order as `data.datasets`): the series whose `low`/`high` to draw; null = none. */
  series: (Pick<BarSeries, 'low' | 'high'> | null)[];
  color: string;
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends import('chart.js').ChartType> {
    errorBars?: ErrorBarsOptions;
  }
}

export const errorBarsPlugin: Plugin<'bar'> = {
  id: 'errorBars',
  afterDatasetsDraw(chart: Chart<'bar'>, _args, options: ErrorBarsOptions) {
    const y = chart.scales.y;
    if (!options?.series || !y) return;
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = options.color;
    ctx.lineWidth = 1.25;
    options.series.forEach((bounds, datasetIndex) => {
      if (!bounds || !chart.isDatasetVisible(datasetIndex)) return;
      chart.getDatasetMeta(datasetIndex).data.forEach((bar, i) => {
        const low = bounds.low[i];
        const high = bounds.high[i];
        if (low == null || high == null) return;
        const { x, width } = bar.getProps(['x', 'width'], true) as { x: number; width: number };
        ctx.beginPath();
        for (const s of whiskerSegments(x, y.getPixelForValue(low), y.getPixelForValue(high), capHalfWidth(width))) {
          ctx.moveTo(s.x1, s.y1);
          ctx.lineTo(s.x2, s.y2);
        }
        ctx.stroke();
      });
    });
    ctx.restore();
  },
};
