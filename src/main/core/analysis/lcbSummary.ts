/**
 * The Language Confusion Benchmark's corpus figures over per-answer verdicts (core/detectors/lcb.ts computes those):
 * LPR = 1 − failing / checked answers, `acc` = mean per-answer line accuracy (compute_metrics.compute_metrics()).
 */
/** One answer's verdict: skipped answers (no line of ≥ 5 tokens) are left out of LPR. */
export interface LcbAnswerVerdict {
  verdict: 'pass' | 'fail' | 'skipped';
  /** Share of checked lines in the expected language; null when skipped. */
  acc: number | null;
}

/** Corpus LPR of a group of responses (one run × language, or one benchmark source × language). */
export interface LcbSummary {
  /** Responses in the group. */
  n: number;
  /** Responses with at least one checked line (the LPR denominator). */
  checked: number;
  failing: number;
  /** 1 − failing / checked; 1 when nothing was checked (as the benchmark's max(1, ·)). */
  lpr: number;
  /** Mean per-response line accuracy over checked responses; 1 when nothing was checked. */
  acc: number;
}

export function lcbSummary(verdicts: readonly LcbAnswerVerdict[]): LcbSummary {
  const checked = verdicts.filter((v) => v.verdict !== 'skipped');
  const failing = checked.filter((v) => v.verdict === 'fail').length;
  const accs = checked.map((v) => v.acc ?? 0);
  return {
    n: verdicts.length,
    checked: checked.length,
    failing,
    lpr: 1 - failing / Math.max(1, checked.length),
    acc: accs.length ? accs.reduce((a, b) => a + b, 0) / accs.length : 1,
  };
}
