import { downloadBlob } from '../download';
import { chartSvg } from './svg';
import { chartSlug, type ChartModel } from './model';
import type { ChartTheme } from './palette';
import { backgroundPlugin, Chart, chartConfig } from './render';

/** Export size in CSS pixels; the PNG is rendered at PNG_SCALE× that for print. */
const EXPORT_SIZE = { width: 960, height: 520 };
const PNG_SCALE = 3;

/**
 * Renders `model` offscreen at PNG_SCALE× device pixel ratio (2880×1560 px) and downloads it as a PNG with the
 * theme background, whatever the screen's own pixel ratio.
 */
export async function exportPng(model: ChartModel, theme: ChartTheme): Promise<void> {
  // Attached but off-screen: chart.js reads computed styles, which a detached canvas does not have.
  const host = document.createElement('div');
  host.style.cssText = `position:fixed;left:-10000px;top:0;width:${EXPORT_SIZE.width}px;height:${EXPORT_SIZE.height}px;`;
  const canvas = document.createElement('canvas');
  canvas.style.width = `${EXPORT_SIZE.width}px`;
  canvas.style.height = `${EXPORT_SIZE.height}px`;
  host.append(canvas);
  document.body.append(host);
  const config = chartConfig(model, theme);
  const chart = new Chart(canvas, {
    ...config,
    options: { ...config.options, responsive: false, devicePixelRatio: PNG_SCALE },
    plugins: [backgroundPlugin(theme.background)],
  });
  try {
    chart.resize(EXPORT_SIZE.width, EXPORT_SIZE.height);
    const blob = await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The browser could not encode the chart as PNG.'))), 'image/png'),
    );
    downloadBlob(blob, `${chartSlug(model.title)}.png`);
  } finally {
    chart.destroy();
    host.remove();
  }
}

/** Downloads a chart as SVG (vector text and shapes, from the chart's data). */
export function exportSvg(model: ChartModel, theme: ChartTheme): void {
  const size = model.kind === 'bar' ? EXPORT_SIZE : { width: EXPORT_SIZE.height, height: EXPORT_SIZE.height };
  downloadBlob(new Blob([chartSvg(model, theme, size)], { type: 'image/svg+xml' }), `${chartSlug(model.title)}.svg`);
}
