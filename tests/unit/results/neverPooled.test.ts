import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsAspects, resultsCompare, resultsTable } from '../../../src/main/services/results/results';
import { openStore, type Store } from '../../../src/main/store/openStore';
import m0012 from '../../../src/main/store/migrations/0012_judgement_means';
import { resolveSqliteNativeBinding } from '../../../src/main/store/nativeBinding';
import { insertVerdict } from '../../support/seedResults';
import { addRun } from './addRun';

/** judgement_means recomputed from judgements (failed generations have no row): what the triggers must maintain. */
const RECOMPUTED = `
  SELECT j.generation_id, g.run_id, g.generator, j.judge, j.rubric_version, j.judge_lang, j.aspect, count(*) AS k, count(j.score) AS scored,
    coalesce(sum(j.score), 0) AS sx, coalesce(sum(j.score * j.score), 0) AS sxx, count(CASE WHEN j.na_kind = 'judge' THEN 1 END) AS na_judge,
    count(CASE WHEN j.na_kind = 'unreadable' THEN 1 END) AS na_unreadable, count(CASE WHEN j.na_kind = 'no-reply' THEN 1 END) AS na_no_reply
  FROM judgements j JOIN generations g ON g.id = j.generation_id WHERE g.finish_reason <> 'error'
  GROUP BY j.generation_id, j.judge, j.rubric_version, j.judge_lang, j.aspect ORDER BY 1, 4, 5, 6, 7`;
/** run_score_levels recomputed from judgement_means. */
const LEVELS_RECOMPUTED = `
  SELECT run_id, generator, judge, rubric_version, judge_lang, aspect, scored, sx, na_judge, count(*) AS generations, sum(sxx) AS sum_sxx,
    sum(na_unreadable) AS na_unreadable, sum(na_no_reply) AS na_no_reply
  FROM judgement_means GROUP BY run_id, generator, judge, rubric_version, judge_lang, aspect, scored, sx, na_judge ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`;
const LEVELS = `SELECT run_id, generator, judge, rubric_version, judge_lang, aspect, scored, sx, na_judge, generations, sum_sxx, na_unreadable, na_no_reply
  FROM run_score_levels ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`;
const MAINTAINED = `SELECT generation_id, run_id, generator, judge, rubric_version, judge_lang, aspect, k, scored, sx, sxx, na_judge, na_unreadable, na_no_reply
  FROM judgement_means ORDER BY 1, 4, 5, 6, 7`;

describe('never pool: two judge languages give two groups, never one mean', () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-results-pool-'));
  let store: Store;
  beforeAll(() => {
    store = openStore(join(dir, 'workbench.sqlite'));
    // Two methods × 4 items, each judged once in English (all 1 / all 2) and once in French (all 5).
    for (const [method, en] of [['zero-shot', 1], ['chat', 2]] as const)
      for (const g of addRun(store, 'fr', method, 4)) {
        insertVerdict(store, g, { judgeLang: 'en', scores: { helpfulness: en } });
        insertVerdict(store, g, { judgeLang: 'fr', scores: { helpfulness: 5 } });
        // The safety rubric scores another aspect: a second rubric version, but never in the same cell.
        insertVerdict(store, g, { judgeLang: 'en', scores: { safety: 3 } });
      }
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('results.aspects groups by judge language when the selection holds two', () => {
    const cells = resultsAspects(store, { naPolicy: 'exclude' }, ['language']);
    expect(cells.map((c) => [c.group, c.aspect, c.n, c.mean])).toEqual([
      [{ language: 'fr', judgeLang: 'en' }, 'helpfulness', 8, 1.5],
      [{ language: 'fr', judgeLang: 'en' }, 'safety', 8, 3],
      [{ language: 'fr', judgeLang: 'fr' }, 'helpfulness', 8, 5],
    ]);
    // A mean of 3.25 (the pooled one) appears nowhere, whatever the grouping.
    for (const groupBy of [[], ['method'], ['language', 'method', 'model']] as const)
      for (const c of resultsAspects(store, { naPolicy: 'exclude' }, groupBy)) {
        expect(c.group.judgeLang).toMatch(/^(en|fr)$/);
        expect(c.group).not.toHaveProperty('rubric');
        expect([1, 1.5, 2, 3, 5]).toContain(c.mean);
      }
  });

  it('a judge-language filter leaves one, and then no judging column', () => {
    const cells = resultsAspects(store, { naPolicy: 'exclude', judgeLang: 'fr' }, ['language']);
    expect(cells.map((c) => [c.group, c.aspect, c.mean])).toEqual([[{ language: 'fr' }, 'helpfulness', 5]]);
  });

  it('the table gets a judge-language column; compare pairs within each judge language', () => {
    const { text } = resultsTable(store, { filter: { naPolicy: 'exclude' }, groupBy: ['method'], format: 'md' });
    expect(text.split('\n').slice(0, 6)).toEqual([
      '| Method | Judge language | n | Helpfulness | Safety |',
      '| --- | --- | ---: | ---: | ---: |',
      '| chat | en | 4 | 2.00 ± 0.00 | **3.00** ± 0.00 |',
      '| chat | fr | 4 | **5.00** ± 0.00 | - |',
      '| zero-shot | en | 4 | 1.00 ± 0.00 | **3.00** ± 0.00 |',
      '| zero-shot | fr | 4 | **5.00** ± 0.00 | - |',
    ]);
    const rows = resultsCompare(store, { filter: { naPolicy: 'exclude' }, dimension: 'method', a: 'chat', b: 'zero-shot', within: [] });
    expect(rows.map((r) => [r.group, r.aspect, r.n, r.delta])).toEqual([
      [{ judgeLang: 'en' }, 'helpfulness', 4, 1],
      [{ judgeLang: 'en' }, 'safety', 4, 0],
      [{ judgeLang: 'fr' }, 'helpfulness', 4, 0],
    ]);
    // The table says which rubric versions are behind it.
    expect(text).toContain('Rubric version: just-eval-aspects@1, just-eval-safety@1. Judge language: en, fr.');
  });
});

describe('judgement_means (migration 0012): maintained by triggers, backfilled on upgrade', () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-judgement-means-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('follows every write: repeats, N/A kinds, a replaced unanswered call, deleted calls; failed generations get no row', () => {
    const store = openStore(join(dir, 'live.sqlite'));
    try {
      const [g1, g2, g3] = addRun(store, 'en', 'zero-shot', 3);
      insertVerdict(store, g1!, { repeat: 0, scores: { helpfulness: 4, clarity: null } });
      insertVerdict(store, g1!, { repeat: 1, scores: { helpfulness: 2, clarity: 3 } });
      insertVerdict(store, g2!, { repeat: 0, scores: { helpfulness: null }, naKind: 'unreadable' });
      insertVerdict(store, g2!, { judge: 'gguf:other', scores: { helpfulness: 5 } });
      // A call without a reply, then the same call answered: saveCall replaces it (a DELETE the trigger must see).
      const call = { generationId: g3!, judgeRunId: null, judge: 'gguf:other', rubricVersion: 'just-eval-aspects@1', judgeLang: 'en', repeat: 0, prompt: { system: 's', user: 'u' }, seed: 0, temperature: 0, attempts: 1, wallMs: 0, environment: {} };
      store.judgements.saveCall({ ...call, raw: null, error: 'timeout' }, [{ aspect: 'helpfulness', score: null, rationale: null }]);
      expect(store.db.prepare(`SELECT na_no_reply FROM judgement_means WHERE generation_id = ?`).pluck().get(g3)).toBe(1);
      store.judgements.saveCall({ ...call, raw: '{}', error: null }, [{ aspect: 'helpfulness', score: 3, rationale: 'r' }]);
      const failed = store.generations.insert({
        runId: store.db.prepare('SELECT run_id FROM generations WHERE id = ?').pluck().get(g1) as number, itemId: 'x', prompt: 'p', outputRaw: '', output: '',
        finishReason: 'error', error: 'boom', promptTokens: 0, evaluatedPromptTokens: 0, outputTokens: 0, wallMs: 0, tokensPerSecond: 0, seed: 0, generator: null,
      });
      insertVerdict(store, failed, { scores: { helpfulness: 1 } });
      const rows = store.db.prepare(MAINTAINED).all();
      expect(rows).toEqual(store.db.prepare(RECOMPUTED).all());
      expect(rows).toHaveLength(5);
      expect(rows[0]).toMatchObject({ generation_id: g1, aspect: 'clarity', k: 2, scored: 1, sx: 3, sxx: 9, na_judge: 1 });
      expect(rows[1]).toMatchObject({ generation_id: g1, aspect: 'helpfulness', k: 2, scored: 2, sx: 6, sxx: 20 });
      expect(rows.find((r) => (r as { generation_id: number }).generation_id === g3)).toMatchObject({ k: 1, scored: 1, sx: 3, na_no_reply: 0 });
      // A changed score or N/A kind moves the sums along.
      store.db.prepare(`UPDATE judgements SET score = 1, na_kind = NULL WHERE generation_id = ? AND aspect = 'clarity' AND score IS NULL`).run(g1);
      expect(store.db.prepare(MAINTAINED).all()).toEqual(store.db.prepare(RECOMPUTED).all());
      expect(store.db.prepare(`SELECT scored, sx, na_judge FROM judgement_means WHERE generation_id = ? AND aspect = 'clarity'`).get(g1)).toEqual({ scored: 2, sx: 4, na_judge: 0 });
      // Deleting calls (cascading to judgements) takes their repeats out, and the row when none is left.
      store.db.prepare(`DELETE FROM judge_calls WHERE generation_id = ? AND repeat = 1`).run(g1);
      store.db.prepare(`DELETE FROM judge_calls WHERE generation_id = ? AND judge = 'gguf:other'`).run(g2);
      expect(store.db.prepare(MAINTAINED).all()).toEqual(store.db.prepare(RECOMPUTED).all());
      expect(store.db.prepare(MAINTAINED).all()).toHaveLength(4);
      // and the per-run score levels follow judgement_means through all of it
      expect(store.db.prepare(LEVELS).all()).toEqual(store.db.prepare(LEVELS_RECOMPUTED).all());
      expect(store.db.prepare(LEVELS).all().length).toBeGreaterThan(1);
    } finally {
      store.close();
    }
  });

  it('an existing store is backfilled by the migration', () => {
    const file = join(dir, 'old.sqlite');
    let store = openStore(file);
    const [g1, g2] = addRun(store, 'en', 'zero-shot', 2);
    insertVerdict(store, g1!, { repeat: 0, scores: { helpfulness: 4 } });
    insertVerdict(store, g1!, { repeat: 1, scores: { helpfulness: null } });
    insertVerdict(store, g2!, { scores: { helpfulness: null }, naKind: 'no-reply' });
    store.close();
    // Back to the schema before 0012 (what the previous version wrote), then migration 0012's own SQL, as
    // migrate() runs it (migrations after it, if any, are not this test's business).
    const old = new Database(file, { nativeBinding: resolveSqliteNativeBinding() });
    old.exec('DROP TABLE judgement_means; DROP TABLE run_score_levels; DROP TRIGGER judgement_means_insert; DROP TRIGGER judgement_means_delete; DROP TRIGGER judgement_means_update;');
    old.transaction(() => old.exec(m0012))();
    old.close();
    store = openStore(file);
    try {
      const rows = store.db.prepare(MAINTAINED).all();
      expect(rows).toMatchObject([
        { generation_id: g1, generator: 'gpt-test', aspect: 'helpfulness', k: 2, scored: 1, sx: 4, sxx: 16, na_judge: 1, na_no_reply: 0 },
        { generation_id: g2, k: 1, scored: 0, sx: 0, na_judge: 0, na_no_reply: 1 },
      ]);
      expect(rows).toEqual(store.db.prepare(RECOMPUTED).all());
      expect(store.db.prepare(LEVELS).all()).toEqual(store.db.prepare(LEVELS_RECOMPUTED).all());
    } finally {
      store.close();
    }
  });
});
