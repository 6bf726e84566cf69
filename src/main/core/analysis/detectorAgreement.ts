import { cohensKappa } from './cohensKappa';
import { precisionRecallF1 } from './precisionRecallF1';

export interface AgreementRow {
  lang: string;
  /** Labels the detectors found on this generation. */
  detected: readonly string[];
  /** Labels the human annotator gave it (the reference). */
  human: readonly string[];
  /**
   * The annotator's decisions on the detector's suggestions. When given, a suggested label that is neither
   * accepted (in `human`) nor explicitly rejected is still PENDING and this row is left out for that label:
   * confirming one suggestion with `y` must not turn the others into rejections. Omitted: legacy rows, where
   * the label's absence from `human` is taken as the verdict.
   */
  decisions?: Readonly<Record<string, 'accepted' | 'rejected'>>;
}

/** Whether the human has decided `label` on this row (see AgreementRow.decisions). */
export function isDecided(row: AgreementRow, label: string): boolean {
  if (!row.decisions || !row.detected.includes(label) || row.human.includes(label)) return true;
  return row.decisions[label] === 'rejected';
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
  /** Generations counted (rows of that language, or all rows), pending suggestions left out. */
  n: number;
}

/**
 * Detector-vs-human agreement per label, overall ('all') and per language, with the human labels as the truth,
 * over decided suggestions only (a pending suggestion is neither a hit nor a false alarm).
 * Order: labels as given; for each, 'all' first, then the languages sorted. Labels outside `labels` are ignored.
 */
export function detectorAgreement(rows: readonly AgreementRow[], labels: readonly string[]): LabelAgreement[] {
  const langs = [...new Set(rows.map((r) => r.lang))].sort();
  const out: LabelAgreement[] = [];
  for (const label of labels) {
    for (const lang of ['all', ...langs]) {
      const subset = (lang === 'all' ? rows : rows.filter((r) => r.lang === lang)).filter((r) => isDecided(r, label));
      const pairs = subset.map((r) => ({ predicted: r.detected.includes(label), actual: r.human.includes(label) }));
      const prf = precisionRecallF1(pairs);
      const kappa = cohensKappa(pairs.map((p) => [p.predicted, p.actual] as const));
      out.push({ label, lang, ...prf, kappa, n: subset.length });
    }
  }
  return out;
}
