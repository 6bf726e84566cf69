import type { AspectCell, ComparisonRow, CriticalErrorRate, ResultsFilter, ResultsGroupKey, TableFormat } from '../../../shared/api';
import { ALL_ASPECTS, type Aspect } from '../../../shared/judging';
import type { RateSource, RunRateRow } from '../../../shared/rates';
import { languageDetector } from '../../core/detectors';
import {
  aspectCells,
  bootstrapSettings,
  dpoPairs,
  fnv1a,
  groupKey,
  holmAdjust,
  lcbFromSignals,
  runRates,
  pairedBootstrapMeanDiff,
  wilcoxonSignedRank,
  type DpoPair,
  type ResultsGroup,
} from '../../core/analysis';
import type { Store } from '../../store/openStore';
import { criticalErrorRatesOf, detectedLabels, humanLabels, labelsOfDetections, type ReportStore } from '../annotation/annotationReports';
import { NotFoundError } from '../errors';
import { formatTable, type TableMeta } from './formatTable';

/** The repositories the results read. */
export type ResultsStore = ReportStore & Pick<Store, 'results'>;

/** Bootstrap settings of every Results number (the defaults of core/analysis: 2000 resamples, 95 %, fixed seed). */
const BOOTSTRAP = bootstrapSettings();

const groupOf = (row: { [column: `g_${string}`]: string }, keys: readonly ResultsGroupKey[]): ResultsGroup =>
  Object.fromEntries(keys.map((k) => [k, row[`g_${k}`]]));

/** The keys that say how a generation was judged. */
const JUDGING_KEYS = ['judge', 'rubric', 'judgeLang'] as const satisfies readonly ResultsGroupKey[];

/**
 * Never pool silently: every cell, chart and table mixes exactly one judge × rubric version × judge language.
 * The store is asked for the rows with every judging key as well as `keys`; a judging key that takes more than one
 * value within one cell (requested group × aspect) is appended to the grouping (after the requested keys, so their
 * order stays), the others are dropped. So the aspects rubric and the safety rubric, which score different
 * aspects, still share a table row. One store query; with one judge × rubric × language per cell nothing changes.
 */
function neverPooled<R extends { group: ResultsGroup; aspect: Aspect }>(
  keys: readonly ResultsGroupKey[],
  query: (keys: readonly ResultsGroupKey[]) => R[],
): { rows: R[]; keys: ResultsGroupKey[] } {
  const extra = JUDGING_KEYS.filter((k) => !keys.includes(k));
  const rows = query([...keys, ...extra]);
  const cellOf = (r: R) => JSON.stringify([keys.map((k) => r.group[k] ?? ''), r.aspect]);
  const varying = extra.filter((k) => {
    const seen = new Map<string, string | undefined>();
    return rows.some((r) => {
      const cell = cellOf(r);
      if (!seen.has(cell)) seen.set(cell, r.group[k]);
      return seen.get(cell) !== r.group[k];
    });
  });
  for (const r of rows) for (const k of extra) if (!varying.includes(k)) delete r.group[k];
  return { rows, keys: [...keys, ...varying] };
}

/**
 * results.aspects: mean score per group × aspect with CI, N/A (by kind) and substitution counts, histogram, judge
 * variance. `keys` is the grouping actually used: `groupBy` plus the judging keys that vary in the selection.
 */
export function aspectsWithKeys(store: ResultsStore, filter: ResultsFilter, groupBy: readonly ResultsGroupKey[]): { cells: AspectCell[]; keys: ResultsGroupKey[] } {
  const { rows, keys } = neverPooled(groupBy, (k) => store.results.scoreLevelRows(filter, k));
  return { cells: aspectCells(rows, keys, BOOTSTRAP), keys };
}

/** results.aspects (see aspectsWithKeys). */
export function resultsAspects(store: ResultsStore, filter: ResultsFilter, groupBy: readonly ResultsGroupKey[]): AspectCell[] {
  return aspectsWithKeys(store, filter, groupBy).cells;
}

/** results.criticalErrors: the critical-error rates of the filtered generations (judge filters do not apply). */
export function resultsCriticalErrors(store: ResultsStore, filter: ResultsFilter, source: 'human' | 'detector'): CriticalErrorRate[] {
  return criticalErrorRatesOf(store, store.results.generations(filter), { runIds: filter.runIds, source });
}

/**
 * results.rates: per run × language, the LCB LPR from the language detector's stored verdicts and each project
 * label's rate over every generation of the run in that language. `human`: the labels at least half of a
 * generation's annotators gave; a generation nobody annotated counts as without labels (n stays the run's size).
 */
export function resultsRates(store: ResultsStore, runIds: readonly number[], source: RateSource): RunRateRow[] {
  for (const runId of runIds) if (!store.runs.get(runId)) throw new NotFoundError(`No run with id ${runId}. List them with "runs list".`);
  const labels = store.annotations.labels().map((l) => l.name);
  const human = source === 'human' ? humanLabels(store, labels, [...runIds]) : null;
  const rows = store.generations.cells(runIds).map((g) => {
    const detections = store.detections.forGeneration(g.id);
    return {
      runId: g.runId,
      lang: g.lang,
      labels: human ? (human(g.id) ?? []) : labelsOfDetections(detections),
      lcb: lcbFromSignals(detections.find((d) => d.detector === languageDetector.name)?.signals),
    };
  });
  return runRates(rows, labels);
}

/**
 * results.compare: `a` vs `b` (two methods or two models) paired on the item id within each group × aspect:
 * Δ = mean(a − b) with a paired bootstrap CI, the Wilcoxon signed-rank p, and Holm's adjustment over every row of
 * the returned table (the family of tests a reader sees together). Cells without a pair are left out.
 */
export function resultsCompare(
  store: ResultsStore,
  req: { filter: ResultsFilter; dimension: 'method' | 'model'; a: string; b: string; within: ResultsGroupKey[] },
): ComparisonRow[] {
  if (req.a === req.b) throw new Error(`Compare two different ${req.dimension}s: both sides are "${req.a}".`);
  if (req.within.includes(req.dimension)) throw new Error(`Cannot compare ${req.dimension}s within groups of the same ${req.dimension}: remove it from "within".`);
  const cells = new Map<string, { group: ResultsGroup; aspect: Aspect; items: Map<string, { a?: number; b?: number }> }>();
  const paired = neverPooled(req.within, (keys) => store.results.pairedScores(req.filter, req.dimension, req.a, req.b, keys).map((row) => ({ ...row, group: groupOf(row, keys) })));
  for (const row of paired.rows) {
    const group = row.group;
    const key = JSON.stringify([groupKey(group), row.aspect]);
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { group, aspect: row.aspect, items: new Map() }));
    const item = cell.items.get(row.item_id) ?? {};
    item[row.side === req.a ? 'a' : 'b'] = row.score;
    cell.items.set(row.item_id, item);
  }
  // Groups in order of their values, aspects in display order.
  const ordered = [...cells.entries()].sort(
    ([, x], [, y]) => (groupKey(x.group) < groupKey(y.group) ? -1 : groupKey(x.group) > groupKey(y.group) ? 1 : ALL_ASPECTS.indexOf(x.aspect) - ALL_ASPECTS.indexOf(y.aspect)),
  );
  const rows = ordered.flatMap(([key, { group, aspect, items }]) => {
    const pairs = [...items.values()].filter((p): p is { a: number; b: number } => p.a !== undefined && p.b !== undefined);
    if (pairs.length === 0) return [];
    const as = pairs.map((p) => p.a);
    const bs = pairs.map((p) => p.b);
    const ci = pairedBootstrapMeanDiff(as, bs, { ...BOOTSTRAP, seed: (BOOTSTRAP.seed ^ fnv1a(key)) >>> 0 })!;
    const test = wilcoxonSignedRank(pairs.map((p) => p.a - p.b));
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    return [{ group, aspect, a: req.a, b: req.b, n: pairs.length, meanA: mean(as), meanB: mean(bs), delta: ci.mean, low: ci.low, high: ci.high, w: test.wPlus, p: test.p, pHolm: 0, effectSize: test.r }];
  });
  const adjusted = holmAdjust(rows.map((r) => r.p));
  return rows.map((r, i) => ({ ...r, pHolm: adjusted[i]! }));
}

/** results.table: the aggregate table as CSV, Markdown or LaTeX, with its footnote (n, N/A policy, judges, rubrics). */
export function resultsTable(
  store: ResultsStore,
  req: { filter: ResultsFilter; groupBy: ResultsGroupKey[]; format: TableFormat },
): { text: string; filename: string } {
  const { cells, keys } = aspectsWithKeys(store, req.filter, req.groupBy);
  const judging = store.results.judgingSummary(req.filter);
  const meta: TableMeta = {
    naPolicy: req.filter.naPolicy,
    judges: [...new Map(judging.map((j) => [j.judge, j.judge_name ? `${j.judge_name} (${j.judge})` : j.judge])).values()],
    rubricVersions: [...new Set(judging.map((j) => j.rubric_version))].sort(),
    judgeLangs: [...new Set(judging.map((j) => j.judge_lang))].sort(),
    resamples: BOOTSTRAP.resamples,
    level: BOOTSTRAP.level,
    seed: BOOTSTRAP.seed,
  };
  const extension = { csv: 'csv', md: 'md', latex: 'tex' }[req.format];
  return {
    text: formatTable(cells, keys, meta, req.format),
    filename: `results-${req.groupBy.join('-') || 'all'}${req.filter.naPolicy === 'as-5' ? '-na-as-5' : ''}.${extension}`,
  };
}

/**
 * Preference pairs of the filtered generations (see core/analysis/dpoPairs): the score is the mean aspect score
 * under the filter's N/A policy; critical errors are the detectors' findings and the labels at least half of a
 * generation's annotators gave.
 */
export function resultsDpoPairs(store: ResultsStore, filter: ResultsFilter): DpoPair[] {
  const human = humanLabels(store, store.annotations.labels().map((l) => l.name), filter.runIds);
  return dpoPairs(
    store.results.dpoCandidates(filter).map((c) => ({
      generationId: c.id,
      runId: c.run_id,
      itemId: c.item_id,
      lang: c.lang,
      instruction: c.instruction,
      output: c.output,
      score: c.score,
      labels: [
        ...detectedLabels(store, c.id).map((label) => ({ label, source: 'detector' as const })),
        ...(human(c.id) ?? []).map((label) => ({ label, source: 'human' as const })),
      ],
    })),
  );
}
