import { describe, expect, it } from 'vitest';
import { precisionRecallF1 } from '../../../src/main/core/analysis';

function pairs(tp: number, fp: number, fn: number, tn: number) {
  return [
    ...Array.from({ length: tp }, () => ({ predicted: true, actual: true })),
    ...Array.from({ length: fp }, () => ({ predicted: true, actual: false })),
    ...Array.from({ length: fn }, () => ({ predicted: false, actual: true })),
    ...Array.from({ length: tn }, () => ({ predicted: false, actual: false })),
  ];
}

describe('precisionRecallF1', () => {
  it('known counts tp 8, fp 2, fn 4, tn 6', () => {
    // precision = 8 / (8 + 2) = 0.8; recall = 8 / (8 + 4) = 2/3
    // F1 = 2·8 / (2·8 + 2 + 4) = 16/22 = 8/11 ≈ 0.7273  (= 2·0.8·(2/3) / (0.8 + 2/3) = 1.0667 / 1.4667)
    const r = precisionRecallF1(pairs(8, 2, 4, 6));
    expect(r).toMatchObject({ tp: 8, fp: 2, fn: 4, tn: 6 });
    expect(r.precision).toBeCloseTo(0.8, 12);
    expect(r.recall).toBeCloseTo(2 / 3, 12);
    expect(r.f1).toBeCloseTo(8 / 11, 12);
  });

  it('perfect predictions → 1, 1, 1', () => {
    expect(precisionRecallF1(pairs(3, 0, 0, 5))).toEqual({ precision: 1, recall: 1, f1: 1, tp: 3, fp: 0, fn: 0, tn: 5 });
  });

  it('zero denominators give null, not NaN', () => {
    // nothing at all
    expect(precisionRecallF1([])).toEqual({ precision: null, recall: null, f1: null, tp: 0, fp: 0, fn: 0, tn: 0 });
    // only true negatives: no positive anywhere, every ratio is 0/0
    expect(precisionRecallF1(pairs(0, 0, 0, 4))).toEqual({ precision: null, recall: null, f1: null, tp: 0, fp: 0, fn: 0, tn: 4 });
    // detector never fires, 3 real positives: precision 0/0 → null, recall 0/3 = 0, F1 = 0 / (0 + 0 + 3) = 0
    expect(precisionRecallF1(pairs(0, 0, 3, 2))).toEqual({ precision: null, recall: 0, f1: 0, tp: 0, fp: 0, fn: 3, tn: 2 });
    // detector fires twice, no real positive: precision 0/2 = 0, recall 0/0 → null, F1 = 0 / (0 + 2 + 0) = 0
    expect(precisionRecallF1(pairs(0, 2, 0, 2))).toEqual({ precision: 0, recall: null, f1: 0, tp: 0, fp: 2, fn: 0, tn: 2 });
  });
});
