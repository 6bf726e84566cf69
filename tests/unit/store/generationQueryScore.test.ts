// The reader's score and difficulty filters on a real SQLite store: which generations match (worked out by hand
// from the judgements below), N/A never counted as a number, and the plans use the judgements_aspect index.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GenerationFilter } from '../../../src/shared/api';
import type { Item } from '../../../src/shared/domain';
import { openStore, type Store } from '../../../src/main/store/openStore';

const ITEMS: Item[] = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({
  id,
  instruction: `Question ${id}`,
  metadata: {},
  difficulty: i < 2 ? 'easy' : 'hard',
}));

let store: Store;
/** Generation id per item id (one run). */
let gen: Record<string, number>;
let runId: number;
let otherRunId: number;

/** One judge call with its aspect scores (null = N/A), stored as the judge machinery stores them. */
function judged(generationId: number, judge: string, judgeLang: string, repeat: number, scores: Record<string, number | null>): void {
  const { id } = store.db
    .prepare<unknown[], { id: number }>(
      `INSERT INTO judge_calls (generation_id, judge, rubric_version, judge_lang, repeat, system_prompt, user_prompt, raw,
         error, seed, temperature, attempts, wall_ms, created_at)
       VALUES (?, ?, 'aspects@1', ?, ?, 's', 'u', 'raw', NULL, 0, 0, 1, 1, '2026-01-01') RETURNING id`,
    )
    .get(generationId, judge, judgeLang, repeat)!;
  for (const [aspect, score] of Object.entries(scores)) {
    store.db
      .prepare(
        `INSERT INTO judgements (call_id, generation_id, judge, rubric_version, judge_lang, repeat, aspect, score, rationale)
         VALUES (?, ?, ?, 'aspects@1', ?, ?, ?, ?, 'because')`,
      )
      .run(id, generationId, judge, judgeLang, repeat, aspect, score);
  }
}

beforeEach(() => {
  store = openStore(':memory:');
  const ds = store.datasets.insert({ name: 'en', lang: 'en', sourcePath: '/d/en.jsonl', sourceSha256: 'x', format: 'jsonl' }, ITEMS);
  const run = (name: string) =>
    store.runs.insert({
      name, kind: 'imported', modelId: null, datasetId: ds.id, config: null, method: { method: 'zero-shot' },
      environment: {}, status: 'done', itemIds: ITEMS.map((i) => i.id),
    }).id;
  runId = run('judged');
  otherRunId = run('other');
  gen = {};
  for (const [r, ids] of [[runId, ['a', 'b', 'c', 'd', 'e']], [otherRunId, ['a']]] as const) {
    for (const itemId of ids) {
      store.generations.insert({
        runId: r, itemId, prompt: 'p', outputRaw: 'o', output: 'o', finishReason: 'stop', error: null, promptTokens: 1,
        evaluatedPromptTokens: 1, outputTokens: 1, wallMs: 1, tokensPerSecond: 1, seed: 0, generator: 'test',
      });
      const { id } = store.db.prepare('SELECT id FROM generations WHERE run_id = ? AND item_id = ?').get(r, itemId) as { id: number };
      if (r === runId) gen[itemId] = id;
      else gen.otherA = id;
    }
  }
  store.db
    .prepare(
      `INSERT INTO rubrics (version, name, kind, aspects_json, prompts_json, builtin, parent, created_at)
       VALUES ('aspects@1', 'aspects', 'aspects', '["helpfulness","clarity"]', '{}', 1, NULL, '2026-01-01')`,
    )
    .run();
  // Judge X in English, two repeats: a 5,4 (mean 4.5) · b 2,N/A (mean 2) · c N/A,N/A · d 3,3.
  judged(gen.a!, 'X', 'en', 0, { helpfulness: 5, clarity: 2 });
  judged(gen.a!, 'X', 'en', 1, { helpfulness: 4, clarity: 2 });
  judged(gen.b!, 'X', 'en', 0, { helpfulness: 2, clarity: 4 });
  judged(gen.b!, 'X', 'en', 1, { helpfulness: null, clarity: null });
  judged(gen.c!, 'X', 'en', 0, { helpfulness: null, clarity: null });
  judged(gen.c!, 'X', 'en', 1, { helpfulness: null, clarity: null });
  judged(gen.d!, 'X', 'en', 0, { helpfulness: 3, clarity: 3 });
  judged(gen.d!, 'X', 'en', 1, { helpfulness: 3, clarity: 3 });
  // Judge X in French on b: 5. Averaged with its English verdict b would be 3.5; per setting it is 2 and 5.
  judged(gen.b!, 'X', 'fr', 0, { helpfulness: 5, clarity: 5 });
  // Judge Y on a: 1. The other run's a: 5. e is never judged.
  judged(gen.a!, 'Y', 'en', 0, { helpfulness: 1, clarity: 1 });
  judged(gen.otherA!, 'X', 'en', 0, { helpfulness: 5, clarity: 5 });
});

afterEach(() => store.close());

const ids = (filter: GenerationFilter): number[] => store.reader.query(filter, 0, 100).rows.map((r) => r.id);
const named = (...names: string[]): number[] => names.map((n) => gen[n]!).sort((x, y) => x - y);

describe('score filter', () => {
  it('matches a generation when some judge setting has a mean over its repeats within [min, max]', () => {
    // a: X/en 4.5; b: X/fr 5; other a: 5. Not b through a 3.5 blend of its English and French verdicts.
    expect(ids({ score: { aspect: 'helpfulness', min: 4 } })).toEqual(named('a', 'b', 'otherA'));
    expect(ids({ score: { aspect: 'helpfulness', min: 3.4, max: 3.6 } })).toEqual([]);
    // a: Y gives 1; b: X/en mean of the scored repeat is 2 (the N/A repeat is left out, not counted as 5).
    expect(ids({ score: { aspect: 'helpfulness', min: 1, max: 2 } })).toEqual(named('a', 'b'));
    expect(ids({ score: { aspect: 'helpfulness', min: 3, max: 3 } })).toEqual(named('d'));
    // Without bounds: every generation with at least one numeric score on the aspect (c is all N/A, e unjudged).
    expect(ids({ score: { aspect: 'helpfulness' } })).toEqual(named('a', 'b', 'd', 'otherA'));
  });

  it('restricts to one judge and to one aspect', () => {
    expect(ids({ score: { aspect: 'helpfulness', min: 1, max: 2, judge: 'X' } })).toEqual(named('b'));
    expect(ids({ score: { aspect: 'helpfulness', max: 1, judge: 'Y' } })).toEqual(named('a'));
    expect(ids({ score: { aspect: 'clarity', max: 2 } })).toEqual(named('a'));
    expect(ids({ score: { aspect: 'safety', min: 1 } })).toEqual([]);
  });

  it('na: only generations with an N/A judgement on the aspect, whatever their other scores', () => {
    expect(ids({ score: { aspect: 'helpfulness', na: true } })).toEqual(named('b', 'c'));
    expect(ids({ score: { aspect: 'helpfulness', na: true, judge: 'Y' } })).toEqual([]);
    // na wins over bounds: b has a numeric 2 but is listed for its N/A repeat.
    expect(ids({ score: { aspect: 'helpfulness', na: true, min: 5 } })).toEqual(named('b', 'c'));
  });

  it('combines with the other filters and counts the total across pages', () => {
    expect(ids({ runIds: [runId], score: { aspect: 'helpfulness', min: 4 } })).toEqual(named('a', 'b'));
    expect(ids({ difficulty: 'hard', score: { aspect: 'helpfulness', na: true } })).toEqual(named('c'));
    const page = store.reader.query({ score: { aspect: 'helpfulness', min: 4 } }, 1, 1);
    expect(page).toMatchObject({ total: 3, rows: [{ id: named('a', 'b', 'otherA')[1] }] });
    expect(store.reader.query({ score: { aspect: 'helpfulness', min: 4 } }, 10, 5)).toEqual({ rows: [], total: 3 });
  });

  it('searches the judgements_aspect index and looks generations up by rowid', () => {
    for (const score of [{ aspect: 'helpfulness', min: 4 }, { aspect: 'helpfulness', na: true, judge: 'X' }] as const) {
      const lines = [...store.reader.plan({ score }), ...store.reader.countPlan({ score })];
      expect(lines.some((l) => /SEARCH j USING (COVERING )?INDEX judgements_aspect \(aspect=\?/.test(l))).toBe(true);
      expect(lines.filter((l) => /^SCAN (j|judgements|g|generations)\b(?! USING)/.test(l))).toEqual([]);
      expect(lines).toContain('SEARCH g USING INTEGER PRIMARY KEY (rowid=?)');
    }
  });
});

describe('difficulty filter', () => {
  it('matches the Just-Eval difficulty of the item', () => {
    expect(ids({ difficulty: 'easy' })).toEqual(named('a', 'b', 'otherA'));
    expect(ids({ difficulty: 'hard', runIds: [runId] })).toEqual(named('c', 'd', 'e'));
    expect(ids({ difficulty: 'expert' })).toEqual([]);
  });
});
