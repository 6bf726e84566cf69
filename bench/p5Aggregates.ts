/**
 * P5A: the Results view's aggregate query (results.aspects: mean, N/A, histogram, judge variance per group × aspect)
 * at 100k generations × 6 aspects of judgements, in a real SQLite file (same pragmas and migrations as the app).
 * Times ResultsRepo.scoreLevels with every ResultsFilter field applied, against computing the same aggregates in JS
 * over all judgement rows (read in the same process, same run), and checks both give the same cells.
 * No model needed.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { AspectCell, ResultsFilter, ResultsGroupKey } from '../src/shared/api';
import type { Item } from '../src/shared/domain';
import { ALL_ASPECTS, type Aspect } from '../src/shared/judging';
import { NA_KINDS, type NaKind } from '../src/shared/naKinds';
import { mulberry32 } from '../src/shared/random';
import { aspectCells, type ScoreLevelRow } from '../src/main/core/analysis';
import { resultsAspects } from '../src/main/services/results/results';
import { BUILTIN_RUBRICS, ASPECTS_RUBRIC_VERSION } from '../src/main/core/judge/rubrics';
import { openStore, type Store } from '../src/main/store/openStore';
import { f, median, say, verdict, type BenchOptions, type BenchResult } from './common';

const TARGET_MS = 200;
/** Results over everything (no filter), SQL and bootstrap: what opening the view on a whole study costs. */
const UNFILTERED_TARGET_MS = 300;
/**
 * The grouping of the unfiltered arm: the Results view's default (language × method; renderer
 * lib/resultsParams DEFAULT_GROUP_BY), 72 cells of ~8k generations. The CLI's default (language, method, model:
 * 144 cells) is printed for context.
 */
const UNFILTERED_GROUP_BY: ResultsGroupKey[] = ['language', 'method'];
const CLI_GROUP_BY: ResultsGroupKey[] = ['language', 'method', 'model'];
const REPS = 11;
/** The JS arm reads all ~650k rows each time (tens of seconds on a loaded 2-core machine): fewer repetitions. */
const JS_REPS = 3;
const MODELS = ['qwen2.5-0.5b-instruct', 'smollm2-360m'];
const METHODS = ['zero-shot', 'urial', 'chat', 'custom'];
const LANGS = ['en', 'fr', 'es'];
const TASK_TYPES = ['open-qa', 'brainstorm', 'rewrite', 'classify', 'summarize', 'extract'];
const DIFFICULTIES = ['easy', 'medium', 'hard'];
export const BENCH_JUDGE = 'openai:http://127.0.0.1:8000/v1#bench-judge';
/** 3 languages × 2 models × 4 methods × 4,200 items = 100,800 generations. */
const ITEMS = 4200;

/**
 * Builds the synthetic judged store: per language a dataset (the last fifth of the items "safety", the rest
 * "regular" with task types and a difficulty), one run per model × method, one generation per item (2 % failed),
 * and per generation one judge call with all six aspects (2 % N/A), plus a second repeat on every tenth generation.
 * The first model is in a family with role "sft". Deterministic.
 */
export function buildJudgedStore(store: Store, itemsPerDataset: number): { generations: number; judgements: number } {
  const random = mulberry32(20261127);
  store.rubrics.seed(BUILTIN_RUBRICS);
  const family = store.families.create('bench-family');
  const modelIds = MODELS.map((name, i) => {
    const m = store.models.upsert({
      path: `/models/${name}.gguf`, name, sha256: `sha${i}`, sizeBytes: 1, architecture: 'llama', parameterCount: null,
      quantization: 'Q4_K_M', trainContextSize: 4096, chatTemplate: null, runnable: true, metadata: {},
    });
    if (i === 0) store.models.setFamily(m.id, { familyId: family.id, role: 'sft' });
    return m.id;
  });
  const shape = Array.from({ length: itemsPerDataset }, (_, k) => ({
    safety: k >= itemsPerDataset * 0.8,
    taskTypes: TASK_TYPES.filter(() => random() < 0.3),
    difficulty: DIFFICULTIES[Math.floor(random() * DIFFICULTIES.length)]!,
  }));
  const insertGeneration = store.db.prepare(
    `INSERT INTO generations (run_id, item_id, prompt, output_raw, output, finish_reason, error, prompt_tokens,
       evaluated_prompt_tokens, output_tokens, wall_ms, tokens_per_second, seed, generator, extra_json, created_at)
     VALUES (?, ?, 'prompt', 'output', 'output', ?, NULL, 10, 10, 10, 10, 100, 0, NULL, '{}', ?)`,
  );
  let generations = 0;
  store.db.transaction(() => {
    for (const lang of LANGS) {
      const items: Item[] = shape.map((s, k) => ({
        id: String(k),
        instruction: `instruction ${k}`,
        category: s.safety ? 'safety' : 'regular',
        ...(s.safety ? {} : { taskTypes: s.taskTypes, difficulty: s.difficulty }),
        metadata: {},
      }));
      const dataset = store.datasets.insert(
        { name: `bench-${lang}`, lang, sourcePath: `/data/bench-${lang}.jsonl`, sourceSha256: 'x', format: 'jsonl', parallelGroup: 'bench' },
        items,
      );
      for (const [m, modelId] of modelIds.entries())
        for (const method of METHODS) {
          const run = store.runs.insert({
            name: `${MODELS[m]} · ${method} · ${lang}`, kind: 'generate', modelId, datasetId: dataset.id,
            config: null, method: { method }, environment: {}, status: 'done', itemIds: items.map((it) => it.id),
          });
          const now = new Date().toISOString();
          for (const item of items) {
            insertGeneration.run(run.id, item.id, random() < 0.02 ? 'error' : 'stop', now);
            generations++;
          }
        }
    }
    // Judge calls and judgements in SQL: a hash of the ids picks each score, with 2 % N/A of the three kinds in turn.
    store.db
      .prepare(
        `INSERT INTO judge_calls (generation_id, judge, rubric_version, judge_lang, repeat, system_prompt, user_prompt, raw, error,
           seed, temperature, attempts, wall_ms, environment_json, created_at)
         SELECT g.id, ?, ?, 'en', r.value, 's', 'u', '{}', NULL, 0, 0, 1, 1, '{}', '2026-11-27T00:00:00.000Z'
         FROM generations g JOIN (SELECT 0 AS value UNION ALL SELECT 1) r ON r.value = 0 OR g.id % 10 = 0
         WHERE g.finish_reason <> 'error'`,
      )
      .run(BENCH_JUDGE, ASPECTS_RUBRIC_VERSION);
    store.db
      .prepare(
        `INSERT INTO judgements (call_id, generation_id, judge, rubric_version, judge_lang, repeat, aspect, score, rationale, na_kind)
         SELECT call_id, generation_id, judge, rubric_version, judge_lang, repeat, aspect, CASE WHEN na THEN NULL ELSE score END, 'r',
           CASE WHEN na THEN json_extract('["judge","unreadable","no-reply"]', '$[' || (call_id % 3) || ']') END
         FROM (SELECT c.id AS call_id, c.generation_id, c.judge, c.rubric_version, c.judge_lang, c.repeat, a.value AS aspect,
                 (c.id * 7919 + a.key * 104729) % 50 = 0 AS na, 1 + (c.id * 2654435761 + a.key * 40503) % 5 AS score
               FROM judge_calls c, json_each(?) a)`,
      )
      .run(JSON.stringify(ALL_ASPECTS));
  })();
  const { n } = store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM judgements').get()!;
  return { generations, judgements: n };
}

interface JudgementFact {
  generation_id: number;
  aspect: Aspect;
  score: number | null;
  na_kind: NaKind | null;
  judge: string;
  rubric_version: string;
  judge_lang: string;
  run_id: number;
  finish_reason: string;
  model_id: number | null;
  language: string;
  method: string;
  model: string;
  family: string;
  role: string;
  category: string | null;
  task_types_json: string | null;
  difficulty: string | null;
}

/** Every judgement row with its generation's attributes, unfiltered: the input of the JS arm. */
export function allJudgementFacts(db: Database.Database): JudgementFact[] {
  return db
    .prepare<[], JudgementFact>(
      `SELECT j.generation_id, j.aspect, j.score, j.na_kind, j.judge, j.rubric_version, j.judge_lang, g.run_id, g.finish_reason, r.model_id,
         d.lang AS language, coalesce(json_extract(r.method_json, '$.method'), 'unknown') AS method,
         coalesce(m.name, g.generator, 'imported') AS model, coalesce(f.name, '(no family)') AS family, coalesce(m.role, '(no role)') AS role,
         i.category, i.task_types_json, i.difficulty
       FROM judgements j JOIN generations g ON g.id = j.generation_id JOIN runs r ON r.id = g.run_id
       JOIN datasets d ON d.id = r.dataset_id LEFT JOIN models m ON m.id = r.model_id
       LEFT JOIN model_families f ON f.id = m.family_id
       LEFT JOIN items i ON i.dataset_id = r.dataset_id AND i.item_id = g.item_id`,
    )
    .all();
}

/** The same aggregates as results.aspects, computed in JS from all rows: filter, per-generation scores, levels. */
export function aspectsInJs(facts: readonly JudgementFact[], filter: ResultsFilter, groupBy: readonly ResultsGroupKey[]): AspectCell[] {
  const keep = (x: JudgementFact) =>
    x.finish_reason !== 'error' &&
    (!filter.runIds?.length || filter.runIds.includes(x.run_id)) &&
    (!filter.modelIds?.length || (x.model_id !== null && filter.modelIds.includes(x.model_id))) &&
    (!filter.methods?.length || filter.methods.includes(x.method)) &&
    (!filter.langs?.length || filter.langs.includes(x.language)) &&
    (!filter.category || x.category === filter.category) &&
    (!filter.taskType || (x.task_types_json !== null && (JSON.parse(x.task_types_json) as string[]).includes(filter.taskType))) &&
    (!filter.difficulty || x.difficulty === filter.difficulty) &&
    (!filter.judge || x.judge === filter.judge) &&
    (!filter.rubricVersion || x.rubric_version === filter.rubricVersion) &&
    (!filter.judgeLang || x.judge_lang === filter.judgeLang);
  // One unit per generation × judge × rubric version × judge language × aspect: those are never pooled.
  const perGeneration = new Map<string, { fact: JudgementFact; scores: (number | null)[]; judgeNa: number; naKinds: Record<NaKind, number> }>();
  const kept = facts.filter(keep);
  const groupValue = (fact: JudgementFact, key: ResultsGroupKey): string =>
    key === 'judge' ? fact.judge : key === 'rubric' ? fact.rubric_version : key === 'judgeLang' ? fact.judge_lang : fact[key];
  // Judging keys that take more than one value within a cell (requested group × aspect) become grouping keys.
  const cellValues = (k: ResultsGroupKey) => {
    const values = new Map<string, Set<string>>();
    for (const x of kept) {
      const cell = JSON.stringify([groupBy.map((g) => groupValue(x, g)), x.aspect]);
      values.set(cell, (values.get(cell) ?? new Set()).add(groupValue(x, k)));
    }
    return [...values.values()];
  };
  const keys = [
    ...groupBy,
    ...(['judge', 'rubric', 'judgeLang'] as const).filter((k) => !groupBy.includes(k) && cellValues(k).some((v) => v.size > 1)),
  ];
  for (const x of kept) {
    const key = JSON.stringify([x.generation_id, x.judge, x.rubric_version, x.judge_lang, x.aspect]);
    const entry = perGeneration.get(key) ?? { fact: x, scores: [], judgeNa: 0, naKinds: { judge: 0, unreadable: 0, 'no-reply': 0 } };
    entry.scores.push(x.score);
    if (x.na_kind === 'judge') entry.judgeNa++;
    if (x.na_kind) entry.naKinds[x.na_kind]++;
    perGeneration.set(key, entry);
  }
  const levels = new Map<string, ScoreLevelRow & { naKinds: Record<NaKind, number> }>();
  for (const { fact, scores, judgeNa, naKinds } of perGeneration.values()) {
    // "as-5" substitutes only the judge's own N/A (just-eval's report()); unreadable and unanswered stay N/A.
    const kept = [...scores.filter((s): s is number => s !== null), ...(filter.naPolicy === 'as-5' ? Array<number>(judgeNa).fill(5) : [])];
    const score = kept.length > 0 ? kept.reduce((a, b) => a + b, 0) / kept.length : null;
    const group = Object.fromEntries(keys.map((k) => [k, groupValue(fact, k)]));
    const key = JSON.stringify([group, fact.aspect, score]);
    const level = levels.get(key) ?? {
      group, aspect: fact.aspect, score, generations: 0, allNa: 0, substituted: 0, varianceSum: 0, varianceN: 0, naKinds: { judge: 0, unreadable: 0, 'no-reply': 0 },
    };
    level.generations++;
    for (const k of NA_KINDS) level.naKinds[k] += naKinds[k];
    if (scores.every((s) => s === null)) level.allNa++;
    if (filter.naPolicy === 'as-5' && judgeNa > 0) level.substituted++;
    if (kept.length >= 2) {
      const mean = score!;
      level.varianceSum += kept.reduce((s, v) => s + (v - mean) ** 2, 0) / (kept.length - 1);
      level.varianceN++;
    }
    levels.set(key, level);
  }
  return aspectCells([...levels.values()], keys);
}

/**
 * The cells with the judge variance rounded to 1e-9: SQL and JS sum the per-generation variances in different
 * orders, which changes the last bits. Every other field is computed from the same values and must match exactly.
 */
export const comparable = (cells: readonly AspectCell[]) =>
  cells.map((c) => ({ ...c, judgeVariance: c.judgeVariance === null ? null : Math.round(c.judgeVariance * 1e9) / 1e9 }));

function time<T>(fn: () => T): { ms: number; result: T } {
  const started = performance.now();
  const result = fn();
  return { ms: performance.now() - started, result };
}

export async function runP5Aggregates(_options: BenchOptions): Promise<BenchResult[]> {
  say('P5A', `Results aggregates · ${LANGS.length} languages × ${MODELS.length} models × ${METHODS.length} methods × ${ITEMS} items · 6 aspects · real SQLite file · median of ${REPS} (JS arm: ${JS_REPS})`);
  const dir = mkdtempSync(join(tmpdir(), 'align-bench-p5a-'));
  const file = join(dir, 'workbench.sqlite');
  try {
    let store = openStore(file);
    const built = time(() => buildJudgedStore(store, ITEMS));
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    say('P5A', `built ${built.result.generations} generations, ${built.result.judgements} judgements in ${f(built.ms / 1000, 1)} s · file ${f(statSync(file).size / 1e6, 0)} MB`);
    store = openStore(file);
    const runIds = store.runs.list().filter((r) => r.name.includes('· fr')).map((r) => r.id);
    const filter: ResultsFilter = {
      runIds,
      modelIds: [store.models.list()[0]!.id],
      methods: ['zero-shot', 'urial'],
      langs: ['fr'],
      category: 'regular',
      taskType: 'rewrite',
      difficulty: 'easy',
      judge: BENCH_JUDGE,
      rubricVersion: ASPECTS_RUBRIC_VERSION,
      judgeLang: 'en',
      naPolicy: 'as-5',
    };
    const groupBy: ResultsGroupKey[] = ['language', 'method', 'model', 'family', 'role'];
    const problems: string[] = [];
    const arms = {
      sql: () => store.results.scoreLevels(filter, groupBy),
      api: () => resultsAspects(store, filter, groupBy),
      js: () => aspectsInJs(allJudgementFacts(store.db), filter, groupBy),
    };
    const sqlCells = arms.api();
    const jsCells = arms.js();
    if (JSON.stringify(comparable(sqlCells)) !== JSON.stringify(comparable(jsCells))) problems.push('SQL and JS aggregates disagree');
    const ms: Record<keyof typeof arms, number[]> = { sql: [], api: [], js: [] };
    // Interleaved, so a burst of load on the machine hits the arms alike.
    for (let rep = 0; rep < REPS; rep++)
      for (const arm of ['sql', 'api', 'js'] as const) if (arm !== 'js' || rep < JS_REPS) ms[arm].push(time<unknown>(arms[arm]).ms);
    // Unfiltered: every generation, as the view opens on a whole study. Checked against the JS arm once.
    const unfilteredProblems: string[] = [];
    const unfiltered: ResultsFilter = { naPolicy: 'as-5' };
    const everything = resultsAspects(store, unfiltered, UNFILTERED_GROUP_BY);
    const jsEverything = time(() => aspectsInJs(allJudgementFacts(store.db), unfiltered, UNFILTERED_GROUP_BY));
    if (JSON.stringify(comparable(everything)) !== JSON.stringify(comparable(jsEverything.result))) unfilteredProblems.push('unfiltered: SQL and JS aggregates disagree');
    const allMs: Record<'sql' | 'api', number[]> = { sql: [], api: [] };
    for (let rep = 0; rep < REPS; rep++) {
      allMs.sql.push(time(() => store.results.scoreLevels(unfiltered, UNFILTERED_GROUP_BY)).ms);
      allMs.api.push(time(() => resultsAspects(store, unfiltered, UNFILTERED_GROUP_BY)).ms);
    }
    const all = median(allMs.sql);
    const allApi = median(allMs.api);
    const cliApi = median(Array.from({ length: 3 }, () => time(() => resultsAspects(store, unfiltered, CLI_GROUP_BY)).ms));
    const plan = store.results.scoreLevelsPlan(filter, groupBy);
    const allPlan = store.results.scoreLevelsPlan(unfiltered, UNFILTERED_GROUP_BY);
    store.close();

    const sql = median(ms.sql);
    const api = median(ms.api);
    const js = median(ms.js);
    const generations = sqlCells.reduce((s, c) => Math.max(s, c.n), 0);
    say('P5A', `filter: every ResultsFilter field (fr runs, 1 model, 2 methods, regular, task rewrite, easy, judge, rubric, judge lang en, N/A as 5), group by ${groupBy.join(', ')} → ${sqlCells.length} cells, up to ${generations} generations each`);
    for (const line of plan) say('P5A', `  plan  ${line}`);
    say('P5A', `  SQL aggregate ${f(sql, 1)} ms · results.aspects incl. bootstrap ${f(api, 1)} ms · JS over all ${built.result.judgements} rows ${f(js, 0)} ms · ${f(js / sql, 0)}× · target < ${TARGET_MS} ms ${verdict(sql < TARGET_MS && problems.length === 0)}`);
    const allCells = everything.length;
    const allN = everything.reduce((s, c) => s + c.n, 0);
    say('P5A', `unfiltered (Results over everything, N/A as 5), group by ${UNFILTERED_GROUP_BY.join(', ')} → ${allCells} cells, ${allN} generation-aspect scores`);
    for (const line of allPlan) say('P5A', `  plan  ${line}`);
    say('P5A', `  SQL ${f(all, 1)} ms · results.aspects incl. bootstrap ${f(allApi, 1)} ms · JS over all rows ${f(jsEverything.ms, 0)} ms (${f(jsEverything.ms / allApi, 0)}×) · target < ${UNFILTERED_TARGET_MS} ms ${verdict(allApi < UNFILTERED_TARGET_MS && unfilteredProblems.length === 0)}`);
    say('P5A', `  context: the same grouped by ${CLI_GROUP_BY.join(', ')} (the CLI's default, twice the cells): ${f(cliApi, 0)} ms`);
    for (const p of [...problems, ...unfilteredProblems]) say('P5A', `PROBLEM: ${p}`);
    return [{
      id: 'P5A',
      metric: 'Results aggregate query, all filters (median ms)',
      value: sql,
      shown: `${f(sql, 1)} ms`,
      target: `< ${TARGET_MS} ms`,
      pass: sql < TARGET_MS && problems.length === 0,
      context: `SQL ${f(sql, 1)} ms vs JS over all rows ${f(js, 0)} ms (${f(js / sql, 0)}×); with bootstrap ${f(api, 1)} ms`,
      problems,
    }, {
      id: 'P5A',
      metric: 'Results over everything, SQL + bootstrap (median ms)',
      value: allApi,
      shown: `${f(allApi, 1)} ms`,
      target: `< ${UNFILTERED_TARGET_MS} ms`,
      pass: allApi < UNFILTERED_TARGET_MS && unfilteredProblems.length === 0,
      context: `${allCells} cells; SQL ${f(all, 1)} ms; JS over all ${built.result.judgements} rows ${f(jsEverything.ms, 0)} ms (${f(jsEverything.ms / allApi, 0)}×); by ${CLI_GROUP_BY.join(', ')} ${f(cliApi, 0)} ms`,
      problems: unfilteredProblems,
    }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
