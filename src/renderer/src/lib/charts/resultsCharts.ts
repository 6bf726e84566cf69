import type { AspectCell, CriticalErrorRate, ResultsGroupKey } from '../../../../shared/api';
import { ANY_CRITICAL_ERROR, CRITICAL_LABELS } from '../../../../shared/detection';
import { ALL_ASPECTS, ASPECTS, type Aspect, type NaPolicy } from '../../../../shared/judging';
import type { BarChartModel, RadarChartModel } from './model';
import { seriesLook } from './palette';

/**
 * The Results charts as chart models, from what `results.aspects` / `results.criticalErrors` return. Pure:
 * the view draws them, tests check them. Each bar chart comes with the group behind every bar so a click can
 * open the reader on exactly those generations.
 */

export type Group = AspectCell['group'];

/** The generations behind one bar: its group, and for judge scores the aspect (and histogram bin) too. */
export interface BarTarget {
  group: Group;
  aspect?: Aspect;
  /** Histogram bin: per-generation scores that round to this value (1–5). */
  score?: number;
  /** Critical-error bar: its label (or "any critical error") and whose labels the rate counts. */
  critical?: { label: string; source: 'detector' | 'human' };
}

/** A bar chart and, per [series][category], the generations each bar aggregates. */
export interface ClickableBars {
  model: BarChartModel;
  targets: (BarTarget | null)[][];
}

const ORDER: readonly string[] = ALL_ASPECTS;

/** "fr · urial" for { language: 'fr', method: 'urial' } over keys [language, method]. */
export function groupLabel(group: Group, keys: readonly ResultsGroupKey[]): string {
  return keys.length ? keys.map((k) => group[k] ?? '–').join(' · ') : 'all';
}

/**
 * A legend entry: the group's values, plus "all languages" / "all methods" when the grouping pools them, so a
 * legend always says which language and method a series is.
 */
export function legendLabel(group: Group, keys: readonly ResultsGroupKey[]): string {
  const pooled = [keys.includes('language') ? null : 'all languages', keys.includes('method') ? null : 'all methods'];
  return [...(keys.length ? [groupLabel(group, keys)] : []), ...pooled.filter((p) => p !== null)].join(' · ');
}

/** How N/A judgements entered the numbers: charts and tables always say it. */
export function naNote(policy: NaPolicy, substituted: number): string {
  return policy === 'as-5' ? `N/A counted as 5 (${substituted} substituted)` : 'N/A excluded';
}

/**
 * naNote for these cells, plus the N/A that are not the judge's own when there are any: unreadable replies and
 * calls without a reply say nothing about the output, so they are left out under either policy.
 */
export function naNoteOf(policy: NaPolicy, cells: readonly AspectCell[]): string {
  const unreadable = cells.reduce((s, c) => s + c.naKinds.unreadable, 0);
  const noReply = cells.reduce((s, c) => s + c.naKinds['no-reply'], 0);
  const others = unreadable + noReply > 0 ? `; left out: ${unreadable} unreadable judge replies, ${noReply} without a reply` : '';
  return `${naNote(policy, substitutedIn(cells))}${others}`;
}

/** The keys that say how generations were judged; the backend adds them to a grouping when a cell would mix them. */
const JUDGING_KEYS: readonly ResultsGroupKey[] = ['judge', 'rubric', 'judgeLang'];

/**
 * The grouping the cells actually have: the requested keys, then the judging keys the backend added because the
 * selection holds more than one judge, rubric version or judge language (they are never averaged together).
 */
export function shownKeys(rows: readonly { group: Group }[], groupBy: readonly ResultsGroupKey[]): ResultsGroupKey[] {
  return [...groupBy, ...JUDGING_KEYS.filter((k) => !groupBy.includes(k) && rows.some((r) => r.group[k] !== undefined))];
}

const substitutedIn = (cells: readonly AspectCell[]) => cells.reduce((sum, c) => sum + c.substituted, 0);

/** Distinct values in first-seen order (the backend's order, which is sorted). */
function distinct<T>(values: T[], key: (v: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const v of values) if (!seen.has(key(v))) seen.set(key(v), v);
  return [...seen.values()];
}

function aspectsOf(cells: readonly AspectCell[]): Aspect[] {
  return [...new Set(cells.map((c) => c.aspect))].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
}

/** Grouped bars: one cluster per group (e.g. language × method), one bar per aspect, with CI whiskers. */
export function aspectBarChart(cells: readonly AspectCell[], requested: readonly ResultsGroupKey[], policy: NaPolicy): ClickableBars {
  const groupBy = shownKeys(cells, requested);
  const groups = distinct(cells.map((c) => c.group), (g) => groupLabel(g, groupBy));
  const categories = groups.map((g) => groupLabel(g, groupBy));
  const byKey = new Map(cells.map((c) => [`${groupLabel(c.group, groupBy)}\u0000${c.aspect}`, c]));
  const series = aspectsOf(cells).map((aspect) => {
    const column = categories.map((label) => byKey.get(`${label}\u0000${aspect}`));
    return {
      label: aspect,
      ...seriesLook(ORDER.indexOf(aspect)),
      values: column.map((c) => c?.mean ?? null),
      low: column.map((c) => c?.low ?? null),
      high: column.map((c) => c?.high ?? null),
    };
  });
  return {
    model: {
      kind: 'bar',
      title: `Mean score per aspect by ${groupBy.length ? groupBy.join(' × ') : 'all generations'}`,
      subtitle: `95% bootstrap CI · ${naNoteOf(policy, cells)}`,
      categories,
      series,
      stacked: false,
      yLabel: 'mean score (1–5)',
      yMin: 1,
      yMax: 5,
    },
    targets: series.map((s) => groups.map((group) => ({ group, aspect: s.label as Aspect }))),
  };
}

/**
 * One radar per group without its language (e.g. per model × method) over the five aspects, the languages
 * overlaid. A language keeps its colour across radars; its legend entry names the radar's method too.
 */
export function aspectRadars(cells: readonly AspectCell[], requested: readonly ResultsGroupKey[], policy: NaPolicy): RadarChartModel[] {
  const rest = shownKeys(cells, requested).filter((k) => k !== 'language');
  const fiveAspects = cells.filter((c) => (ASPECTS as readonly string[]).includes(c.aspect));
  const langs = [...new Set(fiveAspects.map((c) => c.group.language ?? 'all'))];
  const radars = distinct(fiveAspects, (c) => groupLabel(c.group, rest)).map((c) => c.group);
  return radars.map((group) => {
    const radar = groupLabel(group, rest);
    const mine = fiveAspects.filter((c) => groupLabel(c.group, rest) === radar);
    return {
      kind: 'radar',
      title: rest.length ? radar : 'All generations',
      subtitle: `mean score per aspect · ${naNoteOf(policy, mine)}`,
      axes: [...ASPECTS],
      series: langs
        .map((lang) => ({
          label: lang === 'all' ? legendLabel(group, rest) : legendLabel({ ...group, language: lang }, ['language', ...rest]),
          ...seriesLook(langs.indexOf(lang)),
          values: ASPECTS.map((a) => mine.find((c) => c.aspect === a && (c.group.language ?? 'all') === lang)?.mean ?? null),
        }))
        .filter((s) => s.values.some((v) => v !== null)),
      rMin: 1,
      rMax: 5,
    };
  });
}

/**
 * Per aspect, the distribution of per-generation scores 1–5 as shares of each group's scored generations. A group
 * keeps its look in every histogram, even where it has no score for an aspect.
 */
export function scoreHistograms(cells: readonly AspectCell[], requested: readonly ResultsGroupKey[], policy: NaPolicy): ClickableBars[] {
  const groupBy = shownKeys(cells, requested);
  const groups = distinct(cells.map((c) => groupLabel(c.group, groupBy)), (g) => g);
  return aspectsOf(cells).map((aspect) => {
    const mine = cells.filter((c) => c.aspect === aspect);
    const series = mine.map((c) => {
      const total = c.counts.reduce((s, n) => s + n, 0);
      return {
        label: legendLabel(c.group, groupBy),
        ...seriesLook(groups.indexOf(groupLabel(c.group, groupBy))),
        values: c.counts.map((n) => (total ? (100 * n) / total : null)),
        low: c.counts.map(() => null),
        high: c.counts.map(() => null),
      };
    });
    return {
      model: {
        kind: 'bar',
        title: `Score distribution: ${aspect}`,
        subtitle: `share of scored generations per group · ${naNoteOf(policy, mine)}`,
        categories: ['1', '2', '3', '4', '5'],
        series,
        stacked: false,
        yLabel: '% of generations',
        yMin: 0,
        yMax: 100,
      },
      targets: mine.map((c) => c.counts.map((_, bin) => ({ group: c.group, aspect, score: bin + 1 }))),
    };
  });
}

/**
 * Critical-error rates (%) per model × method × language: one bar per label side by side, never stacked (labels
 * overlap, so a stack could pass 100%), plus the "any critical error" bar, which counts a generation once. Each
 * whisker is that bar's own Wilson 95% interval; n is in every category label, so it shows under every bar.
 */
export function criticalErrorChart(rates: readonly CriticalErrorRate[], source: 'detector' | 'human'): ClickableBars {
  const cellKey = (r: CriticalErrorRate) => `${r.model} · ${r.method} · ${r.lang}`;
  const cells = distinct([...rates], cellKey);
  const categories = cells.map((r) => `${cellKey(r)} (n=${r.n})`);
  const known: readonly string[] = [...CRITICAL_LABELS, ANY_CRITICAL_ERROR];
  const rank = (l: string) => (known.includes(l) ? known.indexOf(l) : CRITICAL_LABELS.length);
  const labels = [...new Set(rates.map((r) => r.label))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const byKey = new Map(rates.map((r) => [`${cellKey(r)}\u0000${r.label}`, r]));
  // A built-in label keeps its look whichever labels occur; project labels follow them.
  const lookIndex = (label: string) => (known.includes(label) ? known.indexOf(label) : known.length + labels.filter((l) => !known.includes(l)).indexOf(label));
  const series = labels.map((label) => {
    const column = cells.map((c) => byKey.get(`${cellKey(c)}\u0000${label}`));
    return {
      label,
      ...seriesLook(lookIndex(label)),
      values: column.map((r) => (r ? 100 * r.rate : null)),
      low: column.map((r) => (r ? 100 * r.low : null)),
      high: column.map((r) => (r ? 100 * r.high : null)),
    };
  });
  const highest = Math.max(0, ...series.flatMap((s) => s.high.map((h) => h ?? 0)));
  return {
    model: {
      kind: 'bar',
      title: 'Critical-error rate by model × method × language',
      subtitle: `${source === 'human' ? "annotators' labels" : 'detector findings'} · one bar per label, 95% Wilson interval · a generation can have several labels; "${ANY_CRITICAL_ERROR}" counts it once`,
      categories,
      series,
      stacked: false,
      yLabel: '% of generations',
      yMin: 0,
      // Every bar and whisker is a share of the same n: the axis never needs to pass 100%.
      yMax: Math.min(100, Math.max(10, Math.ceil(highest / 10) * 10)),
    },
    targets: series.map((s) => cells.map((r) => ({ group: { model: r.model, method: r.method, language: r.lang }, critical: { label: s.label, source } }))),
  };
}
