import { describe, expect, it } from 'vitest';
import { detectorAgreement, type AgreementRow } from '../../../src/main/core/analysis';

const ROWS: AgreementRow[] = [
  { lang: 'en', detected: ['infinite-loop'], human: ['infinite-loop'] }, // loop tp
  { lang: 'en', detected: ['infinite-loop'], human: [] }, //                 loop fp
  { lang: 'en', detected: [], human: [] }, //                                clean
  { lang: 'fr', detected: [], human: ['infinite-loop'] }, //                 loop fn
  { lang: 'fr', detected: ['infinite-loop', 'code-leak'], human: ['infinite-loop', 'code-leak'] }, // loop tp, code tp
  { lang: 'fr', detected: ['wrong-language'], human: [] }, //                wrong-language fp
];

const find = (rows: ReturnType<typeof detectorAgreement>, label: string, lang: string) => rows.find((r) => r.label === label && r.lang === lang)!;

describe('detectorAgreement', () => {
  it("rows: each label, 'all' first then languages sorted", () => {
    const out = detectorAgreement(ROWS, ['infinite-loop', 'code-leak']);
    expect(out.map((r) => `${r.label}/${r.lang}`)).toEqual([
      'infinite-loop/all', 'infinite-loop/en', 'infinite-loop/fr',
      'code-leak/all', 'code-leak/en', 'code-leak/fr',
    ]);
  });

  it('hand-counted precision, recall, F1 and kappa', () => {
    const out = detectorAgreement(ROWS, ['infinite-loop', 'code-leak', 'wrong-language', 'empty']);
    // infinite-loop, all 6 rows: tp 2, fp 1, fn 1, tn 2.
    // P = 2/3, R = 2/3, F1 = 4 / (4 + 1 + 1) = 2/3.
    // κ: p_o = 4/6; detector yes 3/6, human yes 3/6: p_e = 0.5·0.5 + 0.5·0.5 = 0.5; κ = (2/3 − 1/2) / (1/2) = 1/3
    const all = find(out, 'infinite-loop', 'all');
    expect(all).toMatchObject({ tp: 2, fp: 1, fn: 1, tn: 2, n: 6 });
    expect(all.precision).toBeCloseTo(2 / 3, 12);
    expect(all.recall).toBeCloseTo(2 / 3, 12);
    expect(all.f1).toBeCloseTo(2 / 3, 12);
    expect(all.kappa).toBeCloseTo(1 / 3, 12);
    // en: tp 1, fp 1, tn 1 → P = 1/2, R = 1/1, F1 = 2 / (2 + 1) = 2/3
    expect(find(out, 'infinite-loop', 'en')).toMatchObject({ tp: 1, fp: 1, fn: 0, n: 3, precision: 0.5, recall: 1 });
    expect(find(out, 'infinite-loop', 'en').f1).toBeCloseTo(2 / 3, 12);
    // fr: tp 1, fn 1, tn 1 → P = 1, R = 1/2
    expect(find(out, 'infinite-loop', 'fr')).toMatchObject({ tp: 1, fp: 0, fn: 1, n: 3, precision: 1, recall: 0.5 });
    // code-leak: one tp in fr, nothing in en (all null there: no positive on either side)
    expect(find(out, 'code-leak', 'fr')).toMatchObject({ tp: 1, fp: 0, fn: 0, precision: 1, recall: 1, f1: 1, kappa: 1 });
    expect(find(out, 'code-leak', 'en')).toMatchObject({ tp: 0, fp: 0, fn: 0, precision: null, recall: null, f1: null, kappa: null });
    // wrong-language: one false alarm, no human positive → P 0, R null, F1 0
    expect(find(out, 'wrong-language', 'all')).toMatchObject({ tp: 0, fp: 1, fn: 0, precision: 0, recall: null, f1: 0 });
    // a label nobody used
    expect(find(out, 'empty', 'all')).toMatchObject({ tp: 0, fp: 0, fn: 0, tn: 6, f1: null, n: 6 });
  });

  it('no rows → only the "all" rows, with n 0', () => {
    expect(detectorAgreement([], ['empty'])).toEqual([
      { label: 'empty', lang: 'all', precision: null, recall: null, f1: null, tp: 0, fp: 0, fn: 0, tn: 0, kappa: null, n: 0 },
    ]);
  });

  it('confirming one suggestion with y leaves the others pending: they count neither as hits nor as false alarms', () => {
    // The detector suggested loop and code on one generation; the annotator pressed y on loop only.
    const pending = { lang: 'en', detected: ['infinite-loop', 'code-leak'], human: ['infinite-loop'], decisions: { 'infinite-loop': 'accepted' } } as const;
    // On another, the annotator rejected code-leak with n: that one IS a false alarm.
    const rejected = { lang: 'en', detected: ['code-leak'], human: [], decisions: { 'code-leak': 'rejected' } } as const;
    const out = detectorAgreement([pending, rejected], ['infinite-loop', 'code-leak']);
    expect(find(out, 'infinite-loop', 'all')).toMatchObject({ tp: 1, fp: 0, n: 2 });
    expect(find(out, 'code-leak', 'all')).toMatchObject({ tp: 0, fp: 1, tn: 0, n: 1 });
    // Without decisions (legacy rows) the absence of the label is the verdict, as before.
    const legacy = detectorAgreement([{ lang: 'en', detected: ['code-leak'], human: [] }], ['code-leak']);
    expect(find(legacy, 'code-leak', 'all')).toMatchObject({ fp: 1, n: 1 });
  });
});
