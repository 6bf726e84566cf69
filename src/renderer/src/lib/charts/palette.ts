/**
 * Chart colours. Series use the Okabe–Ito palette (distinguishable with every common colour-vision
 * deficiency), in an order that keeps the low-contrast yellow last; text and grid colours come from the app's
 * CSS variables so charts follow the light/dark theme.
 */

/** Okabe & Ito (2008) without black (invisible on the dark theme): blue, orange, green, purple, sky, vermillion, yellow. */
export const OKABE_ITO = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442'] as const;

/** The colour of series `index`; past seven series the palette repeats (see `seriesLook` for telling them apart). */
export function seriesColor(index: number): string {
  const n = OKABE_ITO.length;
  return OKABE_ITO[((index % n) + n) % n]!;
}

/**
 * How series `index` is drawn: its colour, and for series 8–14 the same colours outlined (light fill, solid
 * border on bars; dashed lines and diamond markers on radars), so up to 14 series never look alike.
 */
export function seriesLook(index: number): { color: string; outlined: boolean } {
  const round = Math.floor(Math.max(0, index) / OKABE_ITO.length);
  return { color: seriesColor(index), outlined: round % 2 === 1 };
}

/** `#rrggbb` with an alpha channel as `rgba(...)` (radar fills, hover). */
export function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`withAlpha: "${hex}" is not a #rrggbb colour`);
  const [r, g, b] = [m[1]!, m[2]!, m[3]!].map((h) => parseInt(h, 16));
  return `rgba(${r}, ${g}, ${b}, ${Math.min(1, Math.max(0, alpha))})`;
}

/** The theme colours a chart draws its text, grid, whiskers and (exported) background with. */
export interface ChartTheme {
  text: string;
  muted: string;
  grid: string;
  background: string;
}

/** Light-theme values, used when a CSS variable is missing (e.g. a detached export). */
const FALLBACK: ChartTheme = { text: '#1d2127', muted: '#5b6470', grid: '#d9dde3', background: '#ffffff' };

/** Reads the theme from CSS custom properties (`--fg`, `--fg-muted`, `--border`, `--bg`) through `read`. */
export function chartTheme(read: (name: string) => string): ChartTheme {
  const pick = (name: string, fallback: string) => read(name).trim() || fallback;
  return {
    text: pick('--fg', FALLBACK.text),
    muted: pick('--fg-muted', FALLBACK.muted),
    grid: pick('--border', FALLBACK.grid),
    background: pick('--bg', FALLBACK.background),
  };
}

/** The theme of the document as it is now (call after `<html data-theme>` has been updated). */
export function documentChartTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  return chartTheme((name) => style.getPropertyValue(name));
}
