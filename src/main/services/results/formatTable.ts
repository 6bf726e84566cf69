import { toCsv } from '../../../shared/csvSafe';
import type { AspectCell, ResultsGroupKey, TableFormat } from '../../../shared/api';
import { ALL_ASPECTS, type Aspect, type NaPolicy } from '../../../shared/judging';
import { groupKey, type ResultsGroup } from '../../core/analysis';

/** How the numbers of a table were made, for its footnote. */
export interface TableMeta {
  naPolicy: NaPolicy;
  /** Judges behind the judgements, "name (identity)". */
  judges: string[];
  rubricVersions: string[];
  judgeLangs: string[];
  resamples: number;
  level: number;
  seed: number;
}

const GROUP_TITLES: Record<ResultsGroupKey, string> = {
  language: 'Language',
  method: 'Method',
  model: 'Model',
  family: 'Family',
  role: 'Role',
  judge: 'Judge',
  rubric: 'Rubric',
  judgeLang: 'Judge language',
};
const title = (aspect: Aspect) => aspect[0]!.toUpperCase() + aspect.slice(1);
const two = (x: number) => x.toFixed(2);

interface Row {
  group: ResultsGroup;
  /** Largest n over the row's aspects. */
  n: number;
  cells: Map<Aspect, AspectCell>;
}

/** One row per group, the aspects present as columns (ALL_ASPECTS order), and the best shown mean per column. */
function layout(cells: readonly AspectCell[]) {
  const rows = new Map<string, Row>();
  for (const c of cells) {
    const key = groupKey(c.group);
    const row = rows.get(key) ?? { group: c.group, n: 0, cells: new Map() };
    row.cells.set(c.aspect, c);
    row.n = Math.max(row.n, c.n);
    rows.set(key, row);
  }
  const aspects = ALL_ASPECTS.filter((a) => cells.some((c) => c.aspect === a && c.mean !== null));
  // Compared as printed (2 decimals): two means that look equal are both bold.
  const best = new Map(aspects.map((a) => [a, Math.max(...cells.filter((c) => c.aspect === a && c.mean !== null).map((c) => Number(two(c.mean!))))]));
  return { rows: [...rows.values()], aspects, best };
}

/** The footnote: what n, ± and bold mean, the N/A policy, judges, rubric versions, and how comparisons are tested. */
export function footnote(cells: readonly AspectCell[], meta: TableMeta): string {
  const na = cells.reduce((s, c) => s + c.na, 0);
  const substituted = cells.reduce((s, c) => s + c.substituted, 0);
  const generations = Math.max(0, ...layout(cells).rows.map((r) => r.n));
  const policy =
    meta.naPolicy === 'as-5'
      ? `N/A counted as 5 (the reference code's convention): ${substituted} generation-aspect scores include a substituted 5, ${na} of them entirely N/A.`
      : `N/A excluded: ${na} generation-aspect scores were N/A on every repeat and are left out.`;
  const unreadable = cells.reduce((s, c) => s + c.naKinds.unreadable, 0);
  const noReply = cells.reduce((s, c) => s + c.naKinds['no-reply'], 0);
  // Only when there are any, so tables of stores without them keep their exact text.
  const kinds =
    unreadable + noReply > 0
      ? [`Not the judge's N/A, so left out of every mean${meta.naPolicy === 'as-5' ? ' and never counted as 5' : ''}: ${unreadable} unreadable judge replies and ${noReply} judge calls without a reply (judge repeats).`]
      : [];
  return [
    `Judge scores 1-5: per generation the mean over its judge repeats, then the mean over generations;`,
    `± is half the width of the ${Math.round(meta.level * 100)}% percentile-bootstrap CI (${meta.resamples} resamples, seed ${meta.seed}).`,
    `n = generations with a score (per row, the largest over aspects; at most ${generations} per row).`,
    policy,
    ...kinds,
    `Judge: ${meta.judges.join('; ') || 'none'}. Rubric version: ${meta.rubricVersions.join(', ') || 'none'}. Judge language: ${meta.judgeLangs.join(', ') || 'none'}.`,
    `Best mean per column in bold. No significance tests in this table; paired comparisons use the Wilcoxon signed-rank test with Holm's adjustment over all comparisons of a table.`,
  ].join(' ');
}

const LATEX_SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '^': '\\textasciicircum{}',
  _: '\\_',
  '%': '\\%',
  '~': '\\textasciitilde{}',
};
const latex = (text: string) => text.replace(/[\\{}$&#^_%~]/g, (ch) => LATEX_SPECIAL[ch]!);
const markdown = (text: string) => text.replace(/[\\|*_`[\]<>]/g, (ch) => `\\${ch}`);

/** The aggregate table in one format; deterministic for the same cells and meta (the CIs are seeded). */
export function formatTable(cells: readonly AspectCell[], groupBy: readonly ResultsGroupKey[], meta: TableMeta, format: TableFormat): string {
  if (format === 'csv') return csvTable(cells, groupBy, meta);
  const { rows, aspects, best } = layout(cells);
  const value = (row: Row, aspect: Aspect, bold: (s: string) => string, pm: string, missing: string) => {
    const c = row.cells.get(aspect);
    if (!c || c.mean === null) return missing;
    const mean = two(c.mean);
    return `${Number(mean) === best.get(aspect) ? bold(mean) : mean}${pm}${two((c.high! - c.low!) / 2)}`;
  };
  const note = footnote(cells, meta);
  if (format === 'md') {
    const header = [...groupBy.map((k) => GROUP_TITLES[k]), 'n', ...aspects.map(title)];
    const lines = [
      `| ${header.join(' | ')} |`,
      `| ${header.map((_, i) => (i < groupBy.length ? '---' : '---:')).join(' | ')} |`,
      ...rows.map(
        (r) => `| ${[...groupBy.map((k) => markdown(r.group[k] ?? '')), String(r.n), ...aspects.map((a) => value(r, a, (s) => `**${s}**`, ' ± ', '-'))].join(' | ')} |`,
      ),
    ];
    return `${lines.join('\n')}\n\n${markdown(note)}\n`;
  }
  const header = [...groupBy.map((k) => GROUP_TITLES[k]), '$n$', ...aspects.map(title)];
  return [
    '\\begin{table}[t]',
    '\\centering',
    `\\caption{Mean judge score per aspect (1--5) with ${Math.round(meta.level * 100)}\\% bootstrap CI half-widths${meta.naPolicy === 'as-5' ? '; N/A counted as 5' : ''}.}`,
    '\\label{tab:results}',
    `\\begin{tabular}{${'l'.repeat(groupBy.length)}r${'c'.repeat(aspects.length)}}`,
    '\\toprule',
    `${header.join(' & ')} \\\\`,
    '\\midrule',
    ...rows.map((r) => `${[...groupBy.map((k) => latex(r.group[k] ?? '')), String(r.n), ...aspects.map((a) => value(r, a, (s) => `\\textbf{${s}}`, ' $\\pm$ ', '--'))].join(' & ')} \\\\`),
    '\\bottomrule',
    '\\end{tabular}',
    '',
    `\\smallskip\\footnotesize ${latex(note).replaceAll('±', '$\\pm$')}`,
    '\\end{table}',
    '',
  ].join('\n');
}

/** CSV: one line per group × aspect with every number (no bold, no ±: for scripts), the policy on each line. */
function csvTable(cells: readonly AspectCell[], groupBy: readonly ResultsGroupKey[], meta: TableMeta): string {
  const header = [...groupBy, 'aspect', 'n', 'na', 'substituted', 'mean', 'ci_low', 'ci_high', 'judge_variance', 'na_policy', 'judges', 'rubric_versions'];
  const rows = cells.map((c) => [
    ...groupBy.map((k) => c.group[k] ?? ''),
    c.aspect,
    c.n,
    c.na,
    c.substituted,
    c.mean === null ? '' : c.mean.toFixed(4),
    c.low === null ? '' : c.low.toFixed(4),
    c.high === null ? '' : c.high.toFixed(4),
    c.judgeVariance === null ? '' : c.judgeVariance.toFixed(4),
    meta.naPolicy,
    meta.judges.join('; '),
    meta.rubricVersions.join(' '),
  ]);
  return toCsv(header, rows);
}
