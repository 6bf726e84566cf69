/**
 * A store for the Results tests (unit, model, CLI and F's e2e): REAL generations of the tiny model on the
 * built-in EN/FR/ES sample, plus judgements.
 *
 * The judgements are deterministic verdicts inserted through the store (JudgementRepo.saveCall, the same write
 * path a judge run uses), not a real judge run: the tiny model's verdicts would tie the expected LaTeX table to
 * the judge prompt text and to the decoding of a 260K-parameter model. The verdict of a generation depends only
 * on its language, method, item id, aspect and repeat, so the tables are stable whatever the model wrote.
 */
import { join } from 'node:path';
import type { Aspect } from '../../src/shared/judging';
import type { NaKind } from '../../src/shared/naKinds';
import { ASPECTS, SAFETY_ASPECT } from '../../src/shared/judging';
import { BUILTIN_RUBRICS, ASPECTS_RUBRIC_VERSION, SAFETY_RUBRIC_VERSION } from '../../src/main/core/judge/rubrics';
import { createServices } from '../../src/main/services/createServices';
import type { Store } from '../../src/main/store/openStore';
import { REPO, STORIES, URIAL_DIR } from './paths';

/** The judge identity of the seeded verdicts: says plainly that no model judged them. */
export const SEEDED_JUDGE = 'fixture:seeded-verdicts';
export const SEEDED_LANGS = ['en', 'fr', 'es'] as const;
/** Zero-shot and a custom template: both run on a base model without URIAL's 3.4k-token preamble (seconds, not minutes). */
export const SEEDED_METHODS = ['zero-shot', 'custom'] as const;
export const SEEDED_TEMPLATE = 'Question: {instruction}\nAnswer:';
export const SEEDED_REPEATS = 2;

export interface Verdict {
  judge?: string;
  rubricVersion?: string;
  judgeLang?: string;
  repeat?: number;
  /** null = N/A. */
  scores: Partial<Record<Aspect, number | null>>;
  /** Why the N/A scores are missing; default "judge" (the judge's own N/A, which "as-5" substitutes). */
  naKind?: NaKind;
}

/** Stores one judge call with its aspect scores, as a judge run would (the built-in rubrics are seeded first). */
export function insertVerdict(store: Store, generationId: number, v: Verdict): void {
  store.rubrics.seed(BUILTIN_RUBRICS);
  const aspects = Object.keys(v.scores) as Aspect[];
  const id = store.judgements.saveCall(
    {
      generationId,
      judgeRunId: null,
      judge: v.judge ?? SEEDED_JUDGE,
      rubricVersion: v.rubricVersion ?? (aspects.includes(SAFETY_ASPECT) ? SAFETY_RUBRIC_VERSION : ASPECTS_RUBRIC_VERSION),
      judgeLang: v.judgeLang ?? 'en',
      repeat: v.repeat ?? 0,
      prompt: { system: 'seeded verdict', user: 'seeded verdict' },
      raw: JSON.stringify(v.scores),
      error: aspects.some((a) => v.scores[a] === null) ? 'seeded N/A' : null,
      seed: 0,
      temperature: 0,
      attempts: 1,
      wallMs: 0,
      environment: {},
    },
    aspects.map((aspect) => ({
      aspect,
      score: (v.scores[aspect] ?? null) as never,
      rationale: v.scores[aspect] === null ? null : 'seeded',
      ...(v.scores[aspect] === null ? { naKind: v.naKind ?? 'judge' } : {}),
    })),
  );
  if (id === null) throw new Error(`generation ${generationId} already has this verdict`);
}

/**
 * The seeded score: custom > zero-shot by about a point, a spread over items and aspects, languages apart, and
 * the two repeats differing on some items (judge variance). Item 7 is N/A on repeat 1 in French (a partial N/A)
 * and item 9 is N/A on both repeats in Spanish zero-shot (a generation without a score).
 */
export function seededScore(lang: string, method: string, itemId: string, aspect: Aspect, repeat: number): number | null {
  const item = Number(itemId);
  if (lang === 'fr' && item === 7 && repeat === 1) return null;
  if (lang === 'es' && method === 'zero-shot' && item === 9) return null;
  const base = method === 'custom' ? 3 : 2;
  const spread = (item + ASPECTS.indexOf(aspect as (typeof ASPECTS)[number]) + SEEDED_LANGS.indexOf(lang as 'en')) % 3;
  const wobble = repeat === 1 && item % 4 === 0 ? 1 : 0;
  return Math.min(5, Math.max(1, base + spread - 1 + wobble + (aspect === SAFETY_ASPECT ? 2 : 0)));
}

export interface SeededStore {
  runIds: number[];
  /** Run id per `${lang}/${method}`. */
  runs: Record<string, number>;
  generations: number;
}

/**
 * Fills the store of `dataDir`: stories260K, the EN/FR/ES sample (parallel), one greedy run per language × method
 * (12 items, 16 tokens), then SEEDED_REPEATS verdicts per generation (regular items: the five aspects; safety
 * items: safety). Takes a few seconds.
 */
export async function seedResultsStore(dataDir: string): Promise<SeededStore> {
  const workbench = createServices({ dataDir, resourcesDir: join(REPO, 'resources'), urialOfficialDir: URIAL_DIR });
  try {
    const model = await workbench.library.addHashed(STORIES);
    for (const [i, lang] of SEEDED_LANGS.entries())
      await workbench.datasets.import(join(REPO, 'resources', 'datasets', `sample.${lang}.jsonl`), {
        lang,
        name: `sample-${lang}`,
        parallelWith: i > 0 ? 'sample-en' : undefined,
      });
    const runs: Record<string, number> = {};
    for (const lang of SEEDED_LANGS)
      for (const method of SEEDED_METHODS) {
        const run = await workbench.runs.create({
          model: String(model.id),
          method,
          dataset: `sample-${lang}`,
          template: method === 'custom' ? SEEDED_TEMPLATE : undefined,
          sampler: { maxTokens: 16, temperature: 0 },
        });
        const status = await workbench.runs.execute(run.id);
        if (status !== 'done') throw new Error(`seeding run ${run.id} ended ${status}`);
        runs[`${lang}/${method}`] = run.id;
      }
    const store = workbench.store;
    let generations = 0;
    for (const lang of SEEDED_LANGS)
      for (const method of SEEDED_METHODS)
        for (const g of store.generations.forRun(runs[`${lang}/${method}`]!)) {
          const item = store.datasets.items(store.runs.get(g.runId)!.datasetId).find((i) => i.id === g.itemId)!;
          const aspects: Aspect[] = item.category === 'safety' ? [SAFETY_ASPECT] : [...ASPECTS];
          for (let repeat = 0; repeat < SEEDED_REPEATS; repeat++)
            insertVerdict(store, g.id, { repeat, scores: Object.fromEntries(aspects.map((a) => [a, seededScore(lang, method, g.itemId, a, repeat)])) });
          generations++;
        }
    return { runIds: Object.values(runs), runs, generations };
  } finally {
    await workbench.close();
  }
}
