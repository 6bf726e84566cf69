import { capHalfWidth, whiskerSegments } from './errorBars';
import type { BarChartModel, BarSeries, ChartModel, RadarChartModel } from './model';
import { withAlpha, type ChartTheme } from './palette';

/**
 * Charts as standalone SVG documents, for papers: bar charts (grouped or stacked, with CI whiskers) and radars.
 * chart.js only draws on canvas, so this serialises our own chart models instead: vector shapes, real text.
 */

export interface SvgSize {
  width: number;
  height: number;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/** Escapes text for SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** About `count` evenly spaced round tick values (steps of 1, 2 or 5 × 10^k) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const ticks: number[] = [];
  // Rounded to the step's precision so 0.1 + 0.2 prints as 0.3.
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toFixed(digits)));
  return ticks;
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);

export function barChartSvg(model: BarChartModel, theme: ChartTheme, size: SvgSize = { width: 960, height: 480 }): string {
  const { width, height } = size;
  const legendRows = Math.ceil(model.series.length / 6);
  const top = 28 + (model.subtitle ? 16 : 0) + legendRows * 18 + 8;
  const margin = { top, right: 16, bottom: 48, left: 56 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const yOf = (v: number) => margin.top + plotH - ((v - model.yMin) / (model.yMax - model.yMin)) * plotH;
  const out: string[] = [];
  const text = (x: number, y: number, body: string, attrs = '') =>
    out.push(`<text x="${fmt(x)}" y="${fmt(y)}" ${attrs}>${escapeXml(body)}</text>`);
  const line = (x1: number, y1: number, x2: number, y2: number, stroke: string) =>
    out.push(`<line x1="${fmt(x1)}" y1="${fmt(y1)}" x2="${fmt(x2)}" y2="${fmt(y2)}" stroke="${escapeXml(stroke)}" stroke-width="1"/>`);

  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="${escapeXml(theme.background)}"/>`);
  text(width / 2, 20, model.title, `text-anchor="middle" font-size="15" font-weight="600" fill="${escapeXml(theme.text)}"`);
  if (model.subtitle) text(width / 2, 37, model.subtitle, `text-anchor="middle" font-size="12" fill="${escapeXml(theme.muted)}"`);

  // Legend: up to six swatches per row.
  const legendTop = 28 + (model.subtitle ? 16 : 0) + 6;
  model.series.forEach((s, i) => {
    const x = margin.left + (i % 6) * (plotW / 6);
    const y = legendTop + Math.floor(i / 6) * 18;
    out.push(`<rect x="${fmt(x)}" y="${fmt(y)}" width="12" height="12" ${barPaint(s)}/>`);
    text(x + 16, y + 10, s.label, `font-size="12" fill="${escapeXml(theme.text)}"`);
  });

  // Y axis with grid lines and its label.
  for (const tick of niceTicks(model.yMin, model.yMax)) {
    const y = yOf(tick);
    line(margin.left, y, margin.left + plotW, y, theme.grid);
    text(margin.left - 6, y + 4, fmt(tick), `text-anchor="end" font-size="11" fill="${escapeXml(theme.muted)}"`);
  }
  text(14, margin.top + plotH / 2, model.yLabel, `text-anchor="middle" font-size="12" fill="${escapeXml(theme.muted)}" transform="rotate(-90 14 ${fmt(margin.top + plotH / 2)})"`);

  // Bars, then their whiskers on top.
  const band = plotW / Math.max(1, model.categories.length);
  const whiskers: string[] = [];
  model.categories.forEach((category, c) => {
    const bandX = margin.left + c * band;
    text(bandX + band / 2, margin.top + plotH + 16, category, `text-anchor="middle" font-size="11" fill="${escapeXml(theme.text)}"`);
    const barW = model.stacked ? band * 0.6 : (band * 0.8) / Math.max(1, model.series.length);
    let stackTop = 0;
    model.series.forEach((s, i) => {
      const value = s.values[c];
      if (value == null) return;
      const x = model.stacked ? bandX + band * 0.2 : bandX + band * 0.1 + i * barW;
      const from = model.stacked ? stackTop : Math.max(model.yMin, 0);
      const to = model.stacked ? stackTop + value : value;
      if (model.stacked) stackTop = to;
      const [y1, y2] = [yOf(Math.max(from, to)), yOf(Math.min(from, to))];
      out.push(
        `<rect x="${fmt(x)}" y="${fmt(y1)}" width="${fmt(barW)}" height="${fmt(y2 - y1)}" ${barPaint(s)}><title>${escapeXml(`${s.label} · ${category}: ${fmt(value)}`)}</title></rect>`,
      );
      const low = s.low[c];
      const high = s.high[c];
      if (low == null || high == null) return;
      for (const seg of whiskerSegments(x + barW / 2, yOf(low), yOf(high), capHalfWidth(barW))) {
        whiskers.push(`<line x1="${fmt(seg.x1)}" y1="${fmt(seg.y1)}" x2="${fmt(seg.x2)}" y2="${fmt(seg.y2)}" stroke="${escapeXml(theme.text)}" stroke-width="1.25"/>`);
      }
    });
  });
  out.push(...whiskers);
  line(margin.left, margin.top + plotH, margin.left + plotW, margin.top + plotH, theme.muted);

  return svgDocument(size, out);
}

function svgDocument({ width, height }: SvgSize, body: string[]): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT)}">\n` +
    body.join('\n') +
    '\n</svg>\n'
  );
}

/** The point of value `v` on axis `i` of `n` (axis 0 points up, then clockwise), for a radar centred at cx, cy. */
export function radarPoint(i: number, n: number, v: number, rMin: number, rMax: number, radius: number, cx: number, cy: number): [number, number] {
  const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
  const r = (radius * (Math.min(rMax, Math.max(rMin, v)) - rMin)) / (rMax - rMin);
  return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)];
}

/** Fill (and for outlined series, border) of a bar or legend swatch, as in render.ts. */
function barPaint(s: BarSeries): string {
  return s.outlined
    ? `fill="${escapeXml(withAlpha(s.color, 0.2))}" stroke="${escapeXml(s.color)}" stroke-width="2"`
    : `fill="${escapeXml(s.color)}"`;
}

export function radarChartSvg(model: RadarChartModel, theme: ChartTheme, size: SvgSize = { width: 520, height: 520 }): string {
  const { width, height } = size;
  const out: string[] = [];
  const attr = (color: string) => escapeXml(color);
  const text = (x: number, y: number, body: string, attrs: string) => out.push(`<text x="${fmt(x)}" y="${fmt(y)}" ${attrs}>${escapeXml(body)}</text>`);
  const legendTop = 28 + (model.subtitle ? 16 : 0) + 6;
  const legendBottom = legendTop + 18 * Math.ceil(model.series.length / 3);
  const cx = width / 2;
  const cy = (legendBottom + height) / 2;
  const radius = Math.min(width / 2 - 80, (height - legendBottom) / 2 - 30);
  const n = model.axes.length;
  const polygon = (values: number[]) => values.map((v, i) => radarPoint(i, n, v, model.rMin, model.rMax, radius, cx, cy).map(fmt).join(',')).join(' ');

  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="${attr(theme.background)}"/>`);
  text(width / 2, 20, model.title, `text-anchor="middle" font-size="15" font-weight="600" fill="${attr(theme.text)}"`);
  if (model.subtitle) text(width / 2, 37, model.subtitle, `text-anchor="middle" font-size="12" fill="${attr(theme.muted)}"`);
  // Three swatches per row: legend labels carry language and method, so they are long.
  model.series.forEach((s, i) => {
    const x = 16 + (i % 3) * ((width - 32) / 3);
    const y = legendTop + Math.floor(i / 3) * 18;
    out.push(`<rect x="${fmt(x)}" y="${fmt(y)}" width="12" height="12" fill="${attr(s.color)}"/>`);
    text(x + 16, y + 10, s.label, `font-size="12" fill="${attr(theme.text)}"`);
  });
  // Grid rings at every tick, spokes, and the axis names past the outer ring.
  for (const tick of niceTicks(model.rMin, model.rMax))
    out.push(`<polygon points="${polygon(model.axes.map(() => tick))}" fill="none" stroke="${attr(theme.grid)}" stroke-width="1"/>`);
  model.axes.forEach((axis, i) => {
    const [x, y] = radarPoint(i, n, model.rMax, model.rMin, model.rMax, radius, cx, cy);
    out.push(`<line x1="${fmt(cx)}" y1="${fmt(cy)}" x2="${fmt(x)}" y2="${fmt(y)}" stroke="${attr(theme.grid)}" stroke-width="1"/>`);
    const [lx, ly] = radarPoint(i, n, model.rMax, model.rMin, model.rMax, radius * 1.12, cx, cy);
    text(lx, ly + 4, axis, `text-anchor="middle" font-size="12" fill="${attr(theme.text)}"`);
  });
  // A series with a missing axis is drawn through the centre there (chart.js spans the gap; a polygon cannot).
  for (const s of model.series) {
    out.push(`<polygon points="${polygon(s.values.map((v) => v ?? model.rMin))}" fill="${attr(withAlpha(s.color, 0.12))}" stroke="${attr(s.color)}" stroke-width="2"${s.outlined ? ' stroke-dasharray="6 4"' : ''}><title>${escapeXml(s.label)}</title></polygon>`);
  }
  return svgDocument(size, out);
}

/** Any chart model as SVG. */
export function chartSvg(model: ChartModel, theme: ChartTheme, size?: SvgSize): string {
  return model.kind === 'bar' ? barChartSvg(model, theme, size) : radarChartSvg(model, theme, size);
}
