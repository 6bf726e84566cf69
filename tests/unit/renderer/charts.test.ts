import { describe, expect, it } from 'vitest';
import { capHalfWidth, whiskerSegments } from '../../../src/renderer/src/lib/charts/errorBars';
import { chartSlug, type BarChartModel, type RadarChartModel } from '../../../src/renderer/src/lib/charts/model';
import { chartTheme, OKABE_ITO, seriesColor, seriesLook, withAlpha } from '../../../src/renderer/src/lib/charts/palette';
import { barChartSvg, escapeXml, niceTicks, radarChartSvg, radarPoint } from '../../../src/renderer/src/lib/charts/svg';

const THEME = { text: '#111111', muted: '#555555', grid: '#dddddd', background: '#ffffff' };

describe('palette', () => {
  it('is the Okabe–Ito palette without black, repeating past seven series', () => {
    expect(OKABE_ITO).toEqual(['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442']);
    expect(seriesColor(0)).toBe('#0072b2');
    expect(seriesColor(7)).toBe('#0072b2');
    expect(seriesColor(9)).toBe('#009e73');
    expect(new Set(Array.from({ length: 7 }, (_, i) => seriesColor(i))).size).toBe(7);
  });

  it('keeps twelve series apart: seven solid colours, then the same colours outlined', () => {
    const looks = Array.from({ length: 12 }, (_, i) => seriesLook(i));
    expect(new Set(looks.map((l) => `${l.color}/${l.outlined}`)).size).toBe(12);
    expect(looks.slice(0, 7).every((l) => !l.outlined)).toBe(true);
    expect(looks[7]).toEqual({ color: '#0072b2', outlined: true });
    expect(seriesLook(14)).toEqual(seriesLook(0));
  });

  it('draws outlined series hollow in SVG: light fill and border on bars, dashes on radars', () => {
    const bar: BarChartModel = {
      kind: 'bar', title: 't', subtitle: '', categories: ['a'], stacked: false, yLabel: 'y', yMin: 0, yMax: 1,
      series: [{ label: 's8', color: '#0072b2', outlined: true, values: [0.5], low: [null], high: [null] }],
    };
    expect(barChartSvg(bar, THEME)).toContain('fill="rgba(0, 114, 178, 0.2)" stroke="#0072b2" stroke-width="2"');
    const radar: RadarChartModel = {
      kind: 'radar', title: 't', subtitle: '', axes: ['a', 'b', 'c'], rMin: 1, rMax: 5,
      series: [{ label: 's8', color: '#0072b2', outlined: true, values: [1, 2, 3] }],
    };
    expect(radarChartSvg(radar, THEME)).toContain('stroke-dasharray="6 4"');
  });

  it('adds alpha to a hex colour and refuses anything else', () => {
    expect(withAlpha('#0072b2', 0.12)).toBe('rgba(0, 114, 178, 0.12)');
    expect(withAlpha('#FFFFFF', 2)).toBe('rgba(255, 255, 255, 1)');
    expect(() => withAlpha('red', 0.5)).toThrow(/not a #rrggbb colour/);
  });

  it('reads the theme from CSS variables, falling back to light values when one is unset', () => {
    const vars: Record<string, string> = { '--fg': ' #e3e6ea', '--border': '#2d333b', '--bg': '#16191d' };
    expect(chartTheme((name) => vars[name] ?? '')).toEqual({ text: '#e3e6ea', muted: '#5b6470', grid: '#2d333b', background: '#16191d' });
  });
});

describe('error-bar geometry', () => {
  it('is a stem from low to high and two caps centred on the bar', () => {
    expect(whiskerSegments(100, 80, 40, 5)).toEqual([
      { x1: 100, y1: 80, x2: 100, y2: 40 },
      { x1: 95, y1: 80, x2: 105, y2: 80 },
      { x1: 95, y1: 40, x2: 105, y2: 40 },
    ]);
    expect(whiskerSegments(100, 60, 60, 5)).toEqual([]);
  });

  it('sizes caps to a quarter of the bar, within 2–8 px', () => {
    expect(capHalfWidth(20)).toBe(5);
    expect(capHalfWidth(4)).toBe(2);
    expect(capHalfWidth(200)).toBe(8);
  });
});

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 × 10^k and covers the range', () => {
    expect(niceTicks(1, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(niceTicks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 0.3, 3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(2, 2)).toEqual([2]);
  });
});

describe('barChartSvg', () => {
  const model: BarChartModel = {
    kind: 'bar',
    title: 'Mean <score> & "CI"',
    subtitle: 'N/A counted as 5 (2 substituted)',
    categories: ['en · urial', 'fr · urial'],
    series: [
      { label: 'helpfulness', color: '#0072b2', values: [3, null], low: [2.5, null], high: [3.5, null] },
      { label: 'clarity', color: '#e69f00', values: [4, 2], low: [null, 1.5], high: [null, 2.5] },
    ],
    stacked: false,
    yLabel: 'mean score (1–5)',
    yMin: 1,
    yMax: 5,
  };
  const svg = barChartSvg(model, THEME, { width: 400, height: 300 });

  it('is one escaped SVG document with the title, subtitle and every label', () => {
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('>Mean &lt;score&gt; &amp; &quot;CI&quot;</text>');
    expect(svg).toContain('>N/A counted as 5 (2 substituted)</text>');
    for (const label of ['en · urial', 'fr · urial', 'helpfulness', 'clarity', 'mean score (1–5)']) expect(svg).toContain(`>${label}</text>`);
    expect(svg).not.toMatch(/<score>/);
  });

  it('draws one bar per non-null value and one whisker (3 lines) per CI', () => {
    const bars = [...svg.matchAll(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+" fill="(#[0-9a-f]{6})"><title>([^<]+)<\/title>/g)];
    expect(bars.map((m) => m[2])).toEqual(['helpfulness · en · urial: 3', 'clarity · en · urial: 4', 'clarity · fr · urial: 2']);
    const whiskerLines = svg.match(/stroke="#111111" stroke-width="1.25"/g) ?? [];
    expect(whiskerLines).toHaveLength(6);
  });

  it('puts bar tops and whisker ends at the values on the y axis', () => {
    // Plot: top margin 28 + 16 (subtitle) + 18 (one legend row) + 8 = 70, bottom 48 → plot height 182, y 1..5.
    const yOf = (v: number) => 70 + 182 - ((v - 1) / 4) * 182;
    const rect = /<rect x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)" fill="#0072b2"><title>helpfulness · en · urial/.exec(svg)!;
    expect(Number(rect[1])).toBeCloseTo(yOf(3), 1);
    expect(Number(rect[1]) + Number(rect[2])).toBeCloseTo(yOf(1), 1);
    const stem = /<line x1="([^"]+)" y1="([^"]+)" x2="\1" y2="([^"]+)" stroke="#111111"/.exec(svg)!;
    expect(Number(stem[2])).toBeCloseTo(yOf(2.5), 1);
    expect(Number(stem[3])).toBeCloseTo(yOf(3.5), 1);
  });

  it('stacks series on each other when the chart is stacked', () => {
    const stacked = barChartSvg(
      { ...model, stacked: true, yMin: 0, yMax: 10, series: [
        { label: 'a', color: '#0072b2', values: [4], low: [null], high: [null] },
        { label: 'b', color: '#e69f00', values: [3], low: [null], high: [null] },
      ], categories: ['x'] },
      THEME,
      { width: 400, height: 300 },
    );
    const yOf = (v: number) => 70 + 182 - (v / 10) * 182;
    const top = (color: string) => {
      const m = new RegExp(`<rect x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)" fill="${color}"><title>`).exec(stacked)!;
      return { top: Number(m[1]), bottom: Number(m[1]) + Number(m[2]) };
    };
    expect(top('#0072b2').bottom).toBeCloseTo(yOf(0), 1);
    expect(top('#0072b2').top).toBeCloseTo(yOf(4), 1);
    expect(top('#e69f00').bottom).toBeCloseTo(yOf(4), 1);
    expect(top('#e69f00').top).toBeCloseTo(yOf(7), 1);
  });

  it('escapes all five XML specials', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});

describe('radar SVG', () => {
  it('puts axis 0 straight up and goes clockwise, from rMin at the centre to rMax on the rim', () => {
    const [x0, y0] = radarPoint(0, 4, 5, 1, 5, 100, 200, 200);
    expect(x0).toBeCloseTo(200, 9);
    expect(y0).toBeCloseTo(100, 9);
    const [x1, y1] = radarPoint(1, 4, 3, 1, 5, 100, 200, 200);
    expect(x1).toBeCloseTo(250, 9);
    expect(y1).toBeCloseTo(200, 9);
    expect(radarPoint(2, 4, 1, 1, 5, 100, 200, 200)).toEqual([200, 200]);
    // Out-of-range values are clamped to the rim.
    expect(radarPoint(0, 4, 9, 1, 5, 100, 200, 200)[1]).toBeCloseTo(100, 9);
  });

  it('draws a ring per tick, a spoke and label per axis, and a polygon per series', () => {
    const model: RadarChartModel = {
      kind: 'radar',
      title: 'urial',
      subtitle: 'mean score per aspect · N/A excluded',
      axes: ['helpfulness', 'clarity', 'factuality', 'depth', 'engagement'],
      series: [
        { label: 'en', color: '#0072b2', values: [3, 3.5, 2, 4, 3] },
        { label: 'fr', color: '#e69f00', values: [2, null, 2, 2, 2] },
      ],
      rMin: 1,
      rMax: 5,
    };
    const svg = radarChartSvg(model, THEME, { width: 520, height: 520 });
    expect(svg.match(/<polygon points="[^"]+" fill="none" stroke="#dddddd"/g)).toHaveLength(5);
    expect(svg.match(/<line [^>]*stroke="#dddddd"/g)).toHaveLength(5);
    for (const axis of model.axes) expect(svg).toContain(`>${axis}</text>`);
    const series = [...svg.matchAll(/<polygon points="([^"]+)" fill="rgba\([^"]+\)" stroke="(#[0-9a-f]{6})" stroke-width="2"><title>([^<]+)<\/title>/g)];
    expect(series.map((m) => [m[2], m[3], m[1]!.split(' ').length])).toEqual([
      ['#0072b2', 'en', 5],
      ['#e69f00', 'fr', 5],
    ]);
  });
});

describe('chartSlug', () => {
  it('makes a file name from a title', () => {
    expect(chartSlug('Mean score per aspect by language × method')).toBe('mean-score-per-aspect-by-language-method');
    expect(chartSlug('×××')).toBe('chart');
  });
});
