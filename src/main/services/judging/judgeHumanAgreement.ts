import type { JudgeHumanReport } from '../../../shared/api';
import type { Lang } from '../../../shared/domain';
import { ALL_ASPECTS, type Aspect } from '../../../shared/judging';
import type { ScoredJudgement } from '../../store/JudgementRepo';
import type { Store } from '../../store/openStore';
import { decidedHumanLabels } from '../annotation/annotationReports';

/**
 * Judge vs human, per language (issue 5, UI "judge vs human"):
 * - per aspect × critical-error label, the mean judge score of the generations the annotators' majority flagged
 *   with the label vs the annotated generations without it (each generation counts once: the mean of its scores
 *   over repeats and judge languages); N/A is left out, unannotated generations too, and so is a generation whose
 *   detector suggestion of the label no annotator has decided yet (pending is neither flagged nor clean);
 * - the EN-vs-target judging delta: on the generations judged both in English and in their own language by the
 *   same judge with the same rubric version, mean(EN) − mean(target).
 */
export function judgeHumanAgreement(store: Pick<Store, 'judgements' | 'annotations' | 'runs' | 'generations' | 'detections'>, opts: { runIds?: number[]; judge?: string }): JudgeHumanReport {
  const scores = store.judgements.scoresIn(opts.runIds, opts.judge);
  const labels = store.annotations.labels().map((l) => l.name);
  const labelsOf = decidedHumanLabels(store, labels, opts.runIds);

  // generation × aspect → its mean score, with the generation's language.
  const perGeneration = meanBy(scores, (s) => `${s.generationId}|${s.aspect}`);
  const rows: JudgeHumanReport['rows'] = [];
  const cells = new Map<string, { lang: Lang; aspect: Aspect; label: string; flagged: number[]; clean: number[] }>();
  for (const { sample, mean } of perGeneration.values()) {
    const found = labelsOf(sample.generationId);
    if (!found) continue;
    for (const label of labels) {
      if (found.pending.includes(label)) continue;
      const key = `${sample.lang}|${sample.aspect}|${label}`;
      let cell = cells.get(key);
      if (!cell) cells.set(key, (cell = { lang: sample.lang, aspect: sample.aspect, label, flagged: [], clean: [] }));
      (found.flagged.includes(label) ? cell.flagged : cell.clean).push(mean);
    }
  }
  for (const c of cells.values())
    rows.push({ lang: c.lang, aspect: c.aspect, label: c.label, flaggedMean: average(c.flagged), flaggedN: c.flagged.length, cleanMean: average(c.clean), cleanN: c.clean.length });

  return { rows: rows.sort(byLangAspect), langDelta: langDelta(scores) };
}

function langDelta(scores: readonly ScoredJudgement[]): JudgeHumanReport['langDelta'] {
  const foreign = scores.filter((s) => s.lang !== 'en');
  // The same generation, judge, rubric version and aspect, judged in English and in its own language.
  const pairKey = (s: ScoredJudgement) => `${s.generationId}|${s.judge}|${s.rubricVersion}|${s.aspect}`;
  const en = meanBy(foreign.filter((s) => s.judgeLang === 'en'), pairKey);
  const target = meanBy(foreign.filter((s) => s.judgeLang === s.lang), pairKey);
  const groups = new Map<string, { lang: Lang; aspect: Aspect; en: number[]; target: number[] }>();
  for (const [key, t] of target) {
    const e = en.get(key);
    if (!e) continue;
    const groupKey = `${t.sample.lang}|${t.sample.aspect}`;
    let g = groups.get(groupKey);
    if (!g) groups.set(groupKey, (g = { lang: t.sample.lang, aspect: t.sample.aspect, en: [], target: [] }));
    g.en.push(e.mean);
    g.target.push(t.mean);
  }
  return [...groups.values()]
    .map((g) => {
      const enMean = average(g.en)!;
      const targetMean = average(g.target)!;
      return { lang: g.lang, aspect: g.aspect, enMean, targetMean, delta: enMean - targetMean, n: g.en.length };
    })
    .sort(byLangAspect);
}

/** Mean score per key, with one of its judgements to say which generation, language and aspect it is. */
function meanBy(scores: readonly ScoredJudgement[], key: (s: ScoredJudgement) => string): Map<string, { sample: ScoredJudgement; mean: number }> {
  const groups = new Map<string, { sample: ScoredJudgement; values: number[] }>();
  for (const s of scores) {
    const k = key(s);
    const g = groups.get(k);
    if (g) g.values.push(s.score);
    else groups.set(k, { sample: s, values: [s.score] });
  }
  return new Map([...groups].map(([k, g]) => [k, { sample: g.sample, mean: average(g.values)! }]));
}

function average(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Languages alphabetically, aspects in display order (ALL_ASPECTS); stable, so labels keep their project order. */
function byLangAspect(a: { lang: string; aspect: Aspect }, b: { lang: string; aspect: Aspect }): number {
  return a.lang.localeCompare(b.lang) || ALL_ASPECTS.indexOf(a.aspect) - ALL_ASPECTS.indexOf(b.aspect);
}
