import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  RadarController,
  RadialLinearScale,
  SubTitle,
  Title,
  Tooltip,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import { errorBarsPlugin } from './errorBars';
import { formatValue as fmt, type ChartModel } from './model';
import { withAlpha, type ChartTheme } from './palette';

/**
 * chart.js, tree-shaken: only the controllers, elements, scales and plugins the Results view uses are
 * registered (bars, radar, their scales, title/subtitle/legend/tooltip, and our error bars). No animation:
 * charts are read, exported and tested as they are, not as they move.
 */
Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  RadarController,
  RadialLinearScale,
  PointElement,
  LineElement,
  Title,
  SubTitle,
  Legend,
  Tooltip,
  errorBarsPlugin,
);
Chart.defaults.animation = false;

export { Chart };

/** The chart.js configuration that draws `model` in `theme`. */
export function chartConfig(model: ChartModel, theme: ChartTheme): ChartConfiguration {
  const font = { color: theme.text };
  const titles = {
    title: { display: true, text: model.title, color: theme.text, font: { size: 14, weight: 600 as const } },
    subtitle: { display: Boolean(model.subtitle), text: model.subtitle, color: theme.muted, padding: { bottom: 8 } },
    legend: { labels: font },
  };
  if (model.kind === 'radar') {
    return {
      type: 'radar',
      data: {
        labels: model.axes,
        datasets: model.series.map((s) => ({
          label: s.label,
          data: s.values,
          borderColor: s.color,
          backgroundColor: withAlpha(s.color, 0.12),
          pointBackgroundColor: s.color,
          borderDash: s.outlined ? [6, 4] : [],
          pointStyle: s.outlined ? 'rectRot' : 'circle',
          pointRadius: 4,
          spanGaps: true,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          r: {
            min: model.rMin,
            max: model.rMax,
            ticks: { stepSize: 1, color: theme.muted, backdropColor: 'transparent' },
            grid: { color: theme.grid },
            angleLines: { color: theme.grid },
            // Room between the web and the aspect names, so labels never sit on the polygon or each other.
            pointLabels: { ...font, padding: 10, font: { size: 13 } },
          },
        },
        plugins: titles,
      },
    };
  }
  const axis = { stacked: model.stacked, ticks: font, grid: { color: theme.grid } };
  return {
    type: 'bar',
    data: {
      labels: model.categories,
      datasets: model.series.map((s) => ({
        label: s.label,
        data: s.values,
        backgroundColor: s.outlined ? withAlpha(s.color, 0.2) : s.color,
        borderColor: s.color,
        borderWidth: s.outlined ? 2 : 0,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: axis,
        y: { ...axis, min: model.yMin, max: model.yMax, title: { display: true, text: model.yLabel, color: theme.muted } },
      },
      plugins: {
        ...titles,
        errorBars: { series: model.series, color: theme.text },
        tooltip: {
          callbacks: {
            label: (item) => {
              const s = model.series[item.datasetIndex]!;
              const i = item.dataIndex;
              const ci = s.low[i] != null ? ` (95% CI ${fmt(s.low[i])}–${fmt(s.high[i])}${model.stacked ? ', stacked' : ''})` : '';
              return `${s.label}: ${fmt(s.values[i])}${ci}`;
            },
          },
        },
      },
    },
  } as ChartConfiguration;
}

/** Paints the theme background under an exported chart (a canvas is transparent by default). */
export function backgroundPlugin(color: string): Plugin {
  return {
    id: 'exportBackground',
    beforeDraw(chart) {
      const { ctx, width, height } = chart;
      ctx.save();
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, width, height);
      ctx.restore();
    },
  };
}
