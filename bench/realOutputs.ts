/**
 * Real model answers used to calibrate the detectors, read from ../shared (never copied into the repo):
 * just-eval's leaderboard_dev (two 6–7B chat models' answers to the 1000 Just-Eval items, joined by id with
 * the dataset for task types) and the Language Confusion Benchmark's outputs_dev (EN/FR/ES answers).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { DetectorInput } from '../src/shared/detection';
import { DATASET_PATH, SHARED_DIR } from './common';

export const LEADERBOARD_MODELS = ['Yi-6B-Chat', 'tulu-2-dpo-7b'] as const;
export const OUTPUTS_DEV_MODELS = ['llama-3-instruct', 'mistral-8x7b'] as const;

export interface RealAnswer {
  /** "<model>/<id>", the key of the gold file. */
  key: string;
  model: string;
  id: string;
  input: DetectorInput;
}

function input(output: string, instruction: string, lang: string, taskTypes: string[] | null): DetectorInput {
  // Imported answers: no token counts or budget, finished normally as far as we know.
  return { outputRaw: output, output, finishReason: 'stop', outputTokens: 0, maxTokens: null, expectedLang: lang, instruction, taskTypes };
}

/** leaderboard_dev answers of one model, with the Just-Eval task types (safety items have none: []). */
export function leaderboardAnswers(model: string): RealAnswer[] {
  const items = new Map<string, { task_types?: string[] }>();
  for (const line of readFileSync(DATASET_PATH, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const item = JSON.parse(line) as { id: number; task_types?: string[] };
    items.set(String(item.id), item);
  }
  const rows = JSON.parse(readFileSync(join(SHARED_DIR, 'data', 'just_eval', 'leaderboard_dev', `${model}.to_eval.json`), 'utf8')) as {
    id: string;
    instruction: string;
    output: string;
  }[];
  return rows.map((r) => {
    const item = items.get(String(r.id));
    if (!item) throw new Error(`leaderboard_dev/${model}.to_eval.json: id ${r.id} is not in ${DATASET_PATH}`);
    return { key: `${model}/${r.id}`, model, id: String(r.id), input: input(r.output, r.instruction, 'en', item.task_types ?? []) };
  });
}

export interface OutputsDevAnswer extends RealAnswer {
  task: string;
  source: string;
}

/** outputs_dev answers of one model (expected language = the row's `language`; task types unknown). */
export function outputsDevAnswers(model: string): OutputsDevAnswer[] {
  const csv = join(SHARED_DIR, 'data', 'language_confusion', 'outputs_dev', `${model}.en-fr-es.csv`);
  const rows = parse(readFileSync(csv, 'utf8'), { columns: true }) as { id: string; completion: string; task: string; source: string; language: string }[];
  return rows.map((r) => ({
    key: `${model}/${r.task}/${r.source}/${r.language}/${r.id}`,
    model,
    id: r.id,
    task: r.task,
    source: r.source,
    input: input(r.completion, '', r.language, null),
  }));
}
