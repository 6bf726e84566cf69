/**
 * What a chart shows, independent of how it is drawn: chart.js draws it on screen and into PNGs, `svg.ts`
 * serialises it to SVG, and the view exposes it as JSON (`data-chart`) so tests assert data, not pixels.
 */

export interface BarSeries {
  label: string;
  color: string;
  /** Drawn hollow (past the seventh colour): see palette.ts `seriesLook`. */
  outlined?: boolean;
  /** One value per category; null = no data in that cell (no bar). */
  values: (number | null)[];
  /** 95% CI bounds per category in axis units — absolute, i.e. already offset by the stack below for stacked bars. */
  low: (number | null)[];
  high: (number | null)[];
}

export interface BarChartModel {
  kind: 'bar';
  title: string;
  /** A second title line: what was aggregated and how (e.g. "N/A counted as 5 (3 substituted)"). */
  subtitle: string;
  categories: string[];
  series: BarSeries[];
  /** Series stack on top of each other (critical-error labels) instead of standing side by side. */
  stacked: boolean;
  yLabel: string;
  yMin: number;
  yMax: number;
}

export interface RadarSeries {
  label: string;
  color: string;
  /** Dashed, with diamond markers (past the seventh colour). */
  outlined?: boolean;
  values: (number | null)[];
}

export interface RadarChartModel {
  kind: 'radar';
  title: string;
  subtitle: string;
  axes: string[];
  series: RadarSeries[];
  rMin: number;
  rMax: number;
}

export type ChartModel = BarChartModel | RadarChartModel;

/** A chart value as shown in tooltips and data tables: two decimals, "–" for no data. */
export function formatValue(value: number | null | undefined): string {
  return value == null ? '–' : value.toFixed(2);
}

/** A file-name-safe slug of a chart title ("Mean score · en" → "mean-score-en"). */
export function chartSlug(title: string): string {
  return (
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'chart'
  );
}
