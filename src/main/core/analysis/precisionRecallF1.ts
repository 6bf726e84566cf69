export interface PrecisionRecallF1 {
  /** tp / (tp + fp); null when nothing was predicted positive. */
  precision: number | null;
  /** tp / (tp + fn); null when nothing is actually positive. */
  recall: number | null;
  /**
   * 2tp / (2tp + fp + fn), the harmonic mean of precision and recall written on counts. Null only when there is
   * no positive on either side (tp = fp = fn = 0). When one side is empty but not the other (e.g. the detector
   * never fired but there were positives) F1 is 0, not null: the detector found none of them.
   */
  f1: number | null;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Precision, recall and F1 of binary predictions against the truth (e.g. detector vs human annotation). */
export function precisionRecallF1(pairs: readonly { predicted: boolean; actual: boolean }[]): PrecisionRecallF1 {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const { predicted, actual } of pairs) {
    if (predicted && actual) tp++;
    else if (predicted) fp++;
    else if (actual) fn++;
    else tn++;
  }
  return {
    precision: tp + fp > 0 ? tp / (tp + fp) : null,
    recall: tp + fn > 0 ? tp / (tp + fn) : null,
    f1: tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : null,
    tp,
    fp,
    fn,
    tn,
  };
}
