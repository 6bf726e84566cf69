import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFilter, ResultsGroupKey } from '../../../src/shared/api';
import { resultsAspects } from '../../../src/main/services/results/results';
import { openStore, type Store } from '../../../src/main/store/openStore';
import { ASPECTS_RUBRIC_VERSION, SAFETY_RUBRIC_VERSION } from '../../../src/main/core/judge/rubrics';
import { allJudgementFacts, aspectsInJs, BENCH_JUDGE, buildJudgedStore, comparable } from '../../../bench/p5Aggregates';
import { insertVerdict } from '../../support/seedResults';
import { addRun } from './addRun';

describe('results.aspects: N/A accounting on a hand-built case', () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-results-na-'));
  let store: Store;
  beforeAll(() => {
    store = openStore(join(dir, 'workbench.sqlite'));
    const [g1, g2, g3, g4] = addRun(store, 'en', 'zero-shot', 4);
    // helpfulness over two repeats: g1 4,2 · g2 N/A,3 · g3 N/A,N/A · g4 1,1
    const repeats: [number, (number | null)[]][] = [[g1!, [4, 2]], [g2!, [null, 3]], [g3!, [null, null]], [g4!, [1, 1]]];
    for (const [g, scores] of repeats) scores.forEach((score, repeat) => insertVerdict(store, g, { repeat, scores: { helpfulness: score } }));
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('"exclude" drops N/A repeats; "as-5" counts each as 5 and says how many generations it touched', () => {
    const [exclude] = resultsAspects(store, { naPolicy: 'exclude' }, ['language']);
    const [as5] = resultsAspects(store, { naPolicy: 'as-5' }, ['language']);
    // exclude: g1 = 3, g2 = 3 (its one scored repeat), g3 has no score, g4 = 1 → n 3, mean 7/3
    expect(exclude).toMatchObject({ group: { language: 'en' }, aspect: 'helpfulness', n: 3, na: 1, substituted: 0, counts: [1, 0, 2, 0, 0] });
    expect(exclude!.mean).toBeCloseTo(7 / 3, 12);
    // judge variance: generations with ≥ 2 scored repeats: g1 (4,2 → s² = 2), g4 (0) → 1
    expect(exclude!.judgeVariance).toBe(1);
    // as-5: g1 = 3, g2 = (5+3)/2 = 4, g3 = 5, g4 = 1 → n 4, mean 13/4; g2 and g3 were substituted
    expect(as5).toMatchObject({ n: 4, na: 1, substituted: 2, mean: 3.25, counts: [1, 0, 1, 1, 1] });
    // variances: g1 2, g2 (5,3) 2, g3 (5,5) 0, g4 0 → 1
    expect(as5!.judgeVariance).toBe(1);
    // exactly the expected difference: one more generation (the all-N/A one) and the mean up by 13/4 − 7/3
    expect(as5!.n - exclude!.n).toBe(exclude!.na);
    expect(as5!.mean! - exclude!.mean!).toBeCloseTo(11 / 12, 12);
    expect(exclude!.low!).toBeLessThanOrEqual(exclude!.mean!);
    expect(exclude!.high!).toBeGreaterThanOrEqual(exclude!.mean!);
  });
});

describe('results.aspects: SQL aggregates equal a JS computation over all rows, for every filter', { timeout: 30_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-results-sql-'));
  let store: Store;
  beforeAll(() => {
    store = openStore(join(dir, 'workbench.sqlite'));
    buildJudgedStore(store, 20);
    // A second judge and a French-language judging on a few generations, so the judge filters have something to drop.
    for (const id of [1, 2, 3, 50, 51]) {
      insertVerdict(store, id, { judge: 'gguf:other', scores: { helpfulness: 1, clarity: null } });
      insertVerdict(store, id, { judge: BENCH_JUDGE, judgeLang: 'fr', scores: { helpfulness: 5 } });
      insertVerdict(store, id, { judge: BENCH_JUDGE, rubricVersion: SAFETY_RUBRIC_VERSION, scores: { safety: 2 } });
    }
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const filters: [string, Omit<ResultsFilter, 'naPolicy'>][] = [
    ['none', {}],
    ['runs', { runIds: [1, 4, 9] }],
    ['models', { modelIds: [1] }],
    ['methods', { methods: ['urial', 'chat'] }],
    ['languages', { langs: ['fr', 'es'] }],
    ['category', { category: 'safety' }],
    ['task type', { taskType: 'rewrite' }],
    ['difficulty', { difficulty: 'hard' }],
    ['judge', { judge: 'gguf:other' }],
    ['rubric version', { rubricVersion: SAFETY_RUBRIC_VERSION }],
    ['judge language', { judgeLang: 'fr' }],
    ['all at once', { runIds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], modelIds: [1], methods: ['zero-shot', 'urial'], langs: ['en'], category: 'regular', taskType: 'rewrite', difficulty: 'easy', judge: BENCH_JUDGE, rubricVersion: ASPECTS_RUBRIC_VERSION, judgeLang: 'en' }],
  ];
  const groupings: ResultsGroupKey[][] = [[], ['language', 'method'], ['model', 'family', 'role']];

  it.each(filters)('filter: %s', (_name, filter) => {
    const facts = allJudgementFacts(store.db);
    let cells = 0;
    for (const naPolicy of ['exclude', 'as-5'] as const)
      for (const groupBy of groupings) {
        const sql = resultsAspects(store, { ...filter, naPolicy }, groupBy);
        expect(comparable(sql)).toEqual(comparable(aspectsInJs(facts, { ...filter, naPolicy }, groupBy)));
        cells += sql.length;
      }
    expect(cells).toBeGreaterThan(0);
  });

  it('each filter narrows the data (the equality above is not between two empty answers)', () => {
    const total = (filter: Omit<ResultsFilter, 'naPolicy'>) => resultsAspects(store, { ...filter, naPolicy: 'exclude' }, []).reduce((s, c) => s + c.n, 0);
    const all = total({});
    for (const [name, filter] of filters.slice(1)) expect(total(filter), name).toBeLessThan(all);
    const byRole = resultsAspects(store, { naPolicy: 'exclude' }, ['role']).map((c) => c.group.role);
    expect(new Set(byRole)).toEqual(new Set(['sft', '(no role)']));
  });
});
