import { cohensKappa } from './cohensKappa';
import { precisionRecallF1 } from './precisionRecallF1';

export interface AgreementRow {
  lang: string;
  /** Labels the detectors found on this generation. */
  detected: readonly string[];
  /** Labels the human annotator gave it (the reference). */
  human: readonly string[];
}

export interface LabelAgreement {
  label: string;
  /** A language, or 'all' for every row together. */
  lang: string;
  /** See `precisionRecallF1` for when these are null. */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** Cohen's kappa between detector and human on this label (null when undefined, e.g. nobody used the label). */
  kappa: number | null;
  /** Generations counted (rows of that language, or all rows). */
  n: number;
}

/**
 * Detector-vs-human agreement per label, overall ('all') and per language, with the human labels as the truth.
 * Order: labels as given; for each, 'all' first, then the languages sorted. Labels outside `labels` are ignored.
 */
export function detectorAgreement(rows: readonly AgreementRow[], labels: readonly string[]): LabelAgreement[] {
  const langs = [...new Set(rows.map((r) => r.lang))].sort();
  const out: LabelAgreement[] = [];
  for (const label of labels) {
    for (const lang of ['all', ...langs]) {
      const subset = lang === 'all' ? rows : rows.filter((r) => r.lang === lang);
      const pairs = subset.map((r) => ({ predicted: r.detected.includes(label), actual: r.human.includes(label) }));
      const prf = precisionRecallF1(pairs);
      const kappa = cohensKappa(pairs.map((p) => [p.predicted, p.actual] as const));
      out.push({ label, lang, ...prf, kappa, n: subset.length });
    }
  }
  return out;
}
