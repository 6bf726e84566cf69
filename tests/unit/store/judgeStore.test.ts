import { afterEach, describe, expect, it } from 'vitest';
import { judgeHumanAgreement } from '../../../src/main/services/judging/judgeHumanAgreement';
import { BUILTIN_RUBRICS } from '../../../src/main/core/judge';
import { JUST_EVAL_ORIGINAL_MULTI, JUST_EVAL_ORIGINAL_SAFETY } from '../../../src/shared/rubricSources';
import { planJudgeCalls } from '../../../src/main/core/judge/planJudgeRun';
import { openStore, type Store } from '../../../src/main/store/openStore';
import { ASPECTS, type JudgeInfo } from '../../../src/shared/judging';
import type { NewJudgeCall } from '../../../src/shared/judgeCalls';

let store: Store | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
});

const ASPECTS_V = BUILTIN_RUBRICS.find((r) => r.kind === 'aspects')!.version;
const SAFETY_V = BUILTIN_RUBRICS.find((r) => r.kind === 'safety')!.version;

/** A store with the built-in rubrics and one imported run of generations: items 0..n-1 in `lang`, the last one a safety item. */
function seed(n: number, lang = 'en'): { store: Store; runId: number; ids: number[] } {
  const s = openStore(':memory:');
  s.rubrics.seed(BUILTIN_RUBRICS);
  const items = Array.from({ length: n }, (_, i) => ({ id: String(i), instruction: `instruction ${i}`, category: i === n - 1 ? 'safety' : 'regular', metadata: {} }));
  const ds = s.datasets.insert({ name: `d-${lang}`, lang, sourcePath: '/x', sourceSha256: 'a', format: 'jsonl' }, items);
  const run = s.runs.insert({
    name: 'r', kind: 'imported', modelId: null, datasetId: ds.id, config: null, method: { method: 'zero-shot' }, environment: {}, status: 'done',
    itemIds: items.map((i) => i.id),
  });
  const ids = items.map((i) =>
    s.generations.insert({
      runId: run.id, itemId: i.id, prompt: 'p', outputRaw: `output ${i.id}`, output: `output ${i.id}`, finishReason: 'stop', error: null,
      promptTokens: 1, evaluatedPromptTokens: 1, outputTokens: 1, wallMs: 1, tokensPerSecond: 1, seed: 1,
    }),
  );
  return { store: s, runId: run.id, ids };
}

const call = (generationId: number, over: Partial<NewJudgeCall> = {}): NewJudgeCall => ({
  generationId, judgeRunId: null, judge: 'gguf:abc', rubricVersion: ASPECTS_V, judgeLang: 'en', repeat: 0,
  prompt: { system: 's', user: 'u' }, raw: '{}', error: null, seed: 42, temperature: 0, attempts: 1, wallMs: 5, environment: { llama: 'x' },
  ...over,
});
const scores = (score: 1 | 2 | 3 | 4 | 5 | null) => ASPECTS.map((aspect) => ({ aspect, score, rationale: score === null ? null : `because ${aspect}` }));

describe('RubricRepo', () => {
  it('seeds the built-ins idempotently and refuses a built-in whose text changed under the same version', () => {
    ({ store } = seed(0));
    store.rubrics.seed(BUILTIN_RUBRICS);
    // Migration 0009 adds the original Just-Eval judge's two rubrics (their text stays in the official files).
    const original = [JUST_EVAL_ORIGINAL_MULTI, JUST_EVAL_ORIGINAL_SAFETY];
    expect(store.rubrics.list().map((r) => r.version).sort()).toEqual([...BUILTIN_RUBRICS.map((r) => r.version), ...original].sort());
    for (const v of original) expect(store.rubrics.get(v)).toMatchObject({ promptSource: 'just-eval-official', prompts: {}, builtin: true });
    expect(() => store!.rubrics.saveCopy(JUST_EVAL_ORIGINAL_MULTI, { prompts: { en: { system: 's', user: 'u' } } })).toThrow(/original Just-Eval judge.*our adaptation/);
    expect(store.rubrics.get(ASPECTS_V)).toEqual({ ...BUILTIN_RUBRICS.find((r) => r.version === ASPECTS_V) });
    const changed = BUILTIN_RUBRICS.map((r) => (r.version === ASPECTS_V ? { ...r, prompts: { ...r.prompts, en: { system: 'other', user: 'u' } } } : r));
    expect(() => store!.rubrics.seed(changed)).toThrow(/differs from the stored rubric.*new version/);
  });

  it('saves an edit as a new version with its parent; the original is untouched', () => {
    ({ store } = seed(0));
    const original = store.rubrics.get(ASPECTS_V)!;
    const prompts = { ...original.prompts, en: { system: 'Be strict.', user: original.prompts.en!.user } };
    const copy = store.rubrics.saveCopy(ASPECTS_V, { prompts });
    expect(copy).toMatchObject({ version: 'just-eval-aspects@2', parent: ASPECTS_V, builtin: false, kind: 'aspects', aspects: [...ASPECTS], name: original.name });
    expect(copy.prompts.en!.system).toBe('Be strict.');
    expect(store.rubrics.saveCopy(copy.version, { prompts }).version).toBe('just-eval-aspects@3');
    expect(store.rubrics.saveCopy(ASPECTS_V, { name: 'Strict Évaluation', prompts })).toMatchObject({ version: 'strict-evaluation@1', name: 'Strict Évaluation' });
    expect(store.rubrics.get(ASPECTS_V)).toEqual(original);
    expect(() => store!.rubrics.saveCopy(ASPECTS_V, { prompts: { fr: original.prompts.fr! } })).toThrow(/English prompt is required/);
    expect(() => store!.rubrics.saveCopy('nope@1', { prompts })).toThrow(/No rubric with version "nope@1"/);
  });
});

describe('JudgeRepo', () => {
  it('one identity is one judge: adding it again updates its settings and keeps the id', () => {
    ({ store } = seed(0));
    const remote: Omit<JudgeInfo, 'id' | 'createdAt'> = {
      name: 'm', kind: 'openai', identity: 'openai:http://h/v1#m', modelId: null, baseUrl: 'http://h/v1', model: 'm',
      apiKey: { source: 'none' }, concurrency: 4, timeoutMs: 1000, maxRetries: 2,
    };
    const a = store.judges.upsert(remote);
    const b = store.judges.upsert({ ...remote, apiKey: { source: 'env', variable: 'KEY' }, concurrency: 8 });
    expect(b.id).toBe(a.id);
    expect(b).toMatchObject({ apiKey: { source: 'env', variable: 'KEY' }, concurrency: 8 });
    expect(store.judges.list()).toHaveLength(1);
    expect(() => store!.judges.upsert({ ...remote, apiKey: { source: 'encrypted' } })).toThrow(/encrypted blob/);
    const c = store.judges.upsert({ ...remote, apiKey: { source: 'encrypted' }, apiKeyEncrypted: 'Y2lwaGVy' });
    expect(store.judges.encryptedKey(c.id)).toBe('Y2lwaGVy');
  });
});

describe('JudgementRepo', () => {
  it('stores a call and its aspect scores together; a failing score rolls the whole call back', () => {
    const s = seed(2);
    store = s.store;
    expect(store.judgements.saveCall(call(s.ids[0]!), scores(4))).toBeTypeOf('number');
    const bad = [...scores(3).slice(0, 4), { aspect: 'engagement' as const, score: 7 as never, rationale: 'x' }];
    expect(() => store!.judgements.saveCall(call(s.ids[1]!), bad)).toThrow(/CHECK/);
    const count = (table: string) => store!.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
    expect([count('judge_calls'), count('judgements')]).toEqual([1, 5]);
  });

  it('keeps the first verdict of a cache key; reports N/A calls; exports the contract fields with null for N/A', () => {
    const s = seed(2);
    store = s.store;
    const [g0, g1] = s.ids as [number, number];
    expect(store.judgements.saveCall(call(g0), scores(4))).not.toBeNull();
    expect(store.judgements.saveCall(call(g0), scores(1))).toBeNull();
    store.judgements.saveCall(call(g1, { raw: 'not json', error: 'no JSON object in the reply' }), scores(null));
    const cache = store.judgements.callsOf('gguf:abc', [s.runId]);
    expect([...cache.values()].map((c) => c.na)).toEqual([false, true]);
    expect(store.judgements.callsOf('gguf:other', [s.runId]).size).toBe(0);
    expect(store.judgements.exportedFor(g1)).toHaveLength(5);
    for (const j of store.judgements.exportedFor(g1)) expect(j).toEqual({ aspect: j.aspect, score: null, rationale: null, judge: 'gguf:abc', rubric_version: ASPECTS_V, repeat: 0, judge_lang: 'en' });
    expect(store.judgements.exportedFor(g0).map((j) => j.score)).toEqual([4, 4, 4, 4, 4]);
    const { calls } = store.judgements.forGeneration(g1);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ raw: 'not json', error: 'no JSON object in the reply', prompt: { system: 's', user: 'u' }, environment: { llama: 'x' } });
    expect(calls[0]!.scores.every((j) => j.score === null)).toBe(true);
  });

  it('a call that got no reply is not a verdict: flagged unanswered and replaced by the next call on its key', () => {
    const s = seed(2);
    store = s.store;
    const [g0, g1] = s.ids as [number, number];
    store.judgements.saveCall(call(g0, { raw: '', error: 'HTTP 500 after 3 attempts: model crashed' }), scores(null));
    store.judgements.saveCall(call(g1, { raw: 'not json', error: 'no JSON object in the reply' }), scores(null));
    expect([...store.judgements.callsOf('gguf:abc', [s.runId]).values()]).toEqual([
      { na: true, unanswered: true },
      { na: true, unanswered: false },
    ]);

    // The unanswered call is replaced (with its N/A rows); the unreadable reply is the judge's verdict and stays.
    expect(store.judgements.saveCall(call(g0), scores(4))).not.toBeNull();
    expect(store.judgements.saveCall(call(g1), scores(4))).toBeNull();
    expect(store.judgements.exportedFor(g0).map((j) => j.score)).toEqual([4, 4, 4, 4, 4]);
    expect(store.judgements.exportedFor(g1).map((j) => j.score)).toEqual([null, null, null, null, null]);
    const count = (table: string) => store!.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
    expect([count('judge_calls'), count('judgements')]).toEqual([2, 10]);
    expect([...store.judgements.callsOf('gguf:abc', [s.runId]).values()].map((c) => c.unanswered)).toEqual([false, false]);
  });

  it('lists as targets every generation with an output, with its category and language', () => {
    const s = seed(3, 'fr');
    store = s.store;
    expect(store.judgements.targets([s.runId]).map((t) => [t.category, t.lang, t.instruction])).toEqual([
      ['regular', 'fr', 'instruction 0'],
      ['regular', 'fr', 'instruction 1'],
      ['safety', 'fr', 'instruction 2'],
    ]);
  });
});

describe('planJudgeCalls', () => {
  const rubrics = () => ({ aspects: store!.rubrics.get(ASPECTS_V)!, safety: store!.rubrics.get(SAFETY_V)! });

  it('uses the safety rubric for safety items, seeds s, s+1 … per repeat, and one call per generation × repeat', () => {
    const s = seed(3);
    store = s.store;
    const plan = planJudgeCalls({ judgeLang: 'en', repeats: 3, seed: 10 }, store.judgements.targets([s.runId]), rubrics());
    expect(plan).toHaveLength(9);
    expect(plan.map((c) => [c.target.generationId, c.repeat, c.seed, c.rubric.version])).toEqual(
      s.ids.flatMap((id, i) => [0, 1, 2].map((r) => [id, r, 10 + r, i === 2 ? SAFETY_V : ASPECTS_V])),
    );
  });

  it('judges in the target language when the rubric has it, else in English and says so', () => {
    store = seed(1, 'fr').store;
    const target = (lang: string) => [{ generationId: 1, instruction: 'i', output: 'o', category: 'regular', lang }];
    expect(planJudgeCalls({ judgeLang: 'target', repeats: 1, seed: 0 }, target('fr'), rubrics())[0]).toMatchObject({ judgeLang: 'fr', fallbackFrom: null });
    expect(planJudgeCalls({ judgeLang: 'target', repeats: 1, seed: 0 }, target('de'), rubrics())[0]).toMatchObject({ judgeLang: 'en', fallbackFrom: 'de' });
    expect(planJudgeCalls({ judgeLang: 'en', repeats: 1, seed: 0 }, target('fr'), rubrics())[0]).toMatchObject({ judgeLang: 'en', fallbackFrom: null });
  });
});

describe('judgeHumanAgreement', () => {
  it('compares judge scores of flagged vs clean generations per language, and the EN-vs-target delta on the same generations', () => {
    const s = seed(5, 'fr');
    store = s.store;
    const [g0, g1, g2, g3] = s.ids as [number, number, number, number];
    const judge = (generationId: number, judgeLang: string, score: 1 | 2 | 3 | 4 | 5) =>
      store!.judgements.saveCall(call(generationId, { judgeLang }), [{ aspect: 'helpfulness', score, rationale: 'r' }]);
    judge(g0, 'en', 1);
    judge(g0, 'fr', 2);
    judge(g1, 'en', 2);
    judge(g2, 'en', 5);
    judge(g2, 'fr', 3);
    judge(g3, 'en', 3);
    store.judgements.saveCall(call(g1, { judgeLang: 'fr', error: 'timeout' }), [{ aspect: 'helpfulness', score: null, rationale: null }]);
    // g0: both annotators flag a loop; g1: one of two (half is a majority); g2: clean; g3: nobody annotated it.
    for (const a of ['ann', 'bob']) store.annotations.save(g0, a, { labels: ['infinite-loop'] });
    store.annotations.save(g1, 'ann', { labels: ['infinite-loop'] });
    store.annotations.save(g1, 'bob', { labels: [] });
    store.annotations.save(g2, 'ann', { labels: ['code-leak'] });

    const report = judgeHumanAgreement(store, {});
    const row = (label: string) => report.rows.find((r) => r.lang === 'fr' && r.aspect === 'helpfulness' && r.label === label);
    expect(row('infinite-loop')).toEqual({ lang: 'fr', aspect: 'helpfulness', label: 'infinite-loop', flaggedMean: 1.75, flaggedN: 2, cleanMean: 4, cleanN: 1 });
    expect(row('code-leak')).toMatchObject({ flaggedMean: 4, flaggedN: 1, cleanMean: 1.75, cleanN: 2 });
    expect(row('empty')).toMatchObject({ flaggedMean: null, flaggedN: 0, cleanN: 3 });
    // Pairs: g0 (EN 1, FR 2) and g2 (EN 5, FR 3); g1's FR call is N/A, so g1 is no pair.
    expect(report.langDelta).toEqual([{ lang: 'fr', aspect: 'helpfulness', enMean: 3, targetMean: 2.5, delta: 0.5, n: 2 }]);
  });

  it('counts decided suggestions only: a detector suggestion the annotator left pending is neither flagged nor clean', () => {
    const s = seed(4, 'en');
    store = s.store;
    const [g0, g1, g2] = s.ids as [number, number, number];
    for (const [g, score] of [[g0, 1], [g1, 2], [g2, 5]] as const)
      store.judgements.saveCall(call(g), [{ aspect: 'helpfulness', score, rationale: 'r' }]);
    const suggest = (generationId: number, label: 'code-leak' | 'infinite-loop') =>
      store!.detections.save(generationId, [{ settings: {}, result: { detector: 'test', version: '1', signals: {}, findings: [{ label, detector: 'test', version: '1', score: 1, evidence: { spans: [], note: 'n' } }] } }]);
    suggest(g0, 'code-leak');
    suggest(g1, 'code-leak');
    // g0: code-leak confirmed with y; g1: code-leak suggested, the annotator only accepted another label (pending);
    // g2: no suggestion, annotated clean.
    store.annotations.save(g0, 'ann', { labels: ['code-leak'], decisions: { 'code-leak': 'accepted' } });
    store.annotations.save(g1, 'ann', { labels: ['empty'], decisions: { empty: 'accepted' } });
    store.annotations.save(g2, 'ann', { labels: [], decisions: {} });

    const row = (label: string) => judgeHumanAgreement(store!, {}).rows.find((r) => r.aspect === 'helpfulness' && r.label === label)!;
    expect(row('code-leak')).toMatchObject({ flaggedMean: 1, flaggedN: 1, cleanMean: 5, cleanN: 1 });
    expect(row('empty')).toMatchObject({ flaggedMean: 2, flaggedN: 1, cleanMean: 3, cleanN: 2 });
    // n rejects: g1 now counts as clean for code-leak.
    store.annotations.save(g1, 'ann', { labels: ['empty'], decisions: { empty: 'accepted', 'code-leak': 'rejected' } });
    expect(row('code-leak')).toMatchObject({ flaggedN: 1, cleanMean: 3.5, cleanN: 2 });
  });
});
