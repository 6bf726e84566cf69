import { basename, resolve } from 'node:path';
import type { Lang } from '../../shared/domain';
import { JUST_EVAL_FILE_SOURCE, type JustEvalJudgeFile } from '../core/judge/justEval/justEvalJudgeFile';
import { JUST_EVAL_TEMPERATURE } from '../core/judge/justEval/justEvalTemplates';
import { importedGeneration } from './GenerationRepo';
import type { Store } from './openStore';

export interface JudgeFileImportOptions {
  /** The file's path and sha256, recorded with the run and each call. */
  path: string;
  sha256: string;
  /** Judge the outputs of this run: items matched by id, outputs must be identical. Absent: a new imported run. */
  runId?: number;
  /** New run only: the language of the instructions (default "en", just-eval's) and the run / dataset name. */
  lang?: Lang;
  name?: string;
  /** Facts about this workbench, as every run records them. */
  environment?: Record<string, string>;
}

export interface JudgeFileImportResult {
  runId: number;
  /** Calls stored; calls already in the store (same generation, judge and rubric) are kept and counted apart. */
  imported: number;
  alreadyStored: number;
}

/** Just-eval calls the item's category after the judge mode it chose: safety items get score_safety. */
const CATEGORY = { score_multi: 'regular', score_safety: 'safety' } as const;

/**
 * Stores a just-eval judge file (read by core readJustEvalJudgeFile) all-or-nothing, in one transaction. Without
 * a run: a dataset of its instructions, a run of its outputs (kind "imported"), and the calls. With a run: each
 * record goes to the run's generation of the same item id, and a record whose item is not in the run or whose
 * output differs by one byte is refused, naming the item (the verdict would be about another text).
 * Calls are stored as just-eval made them: judge `import:<model>`, the original rubric, English, repeat 0,
 * temperature 0, the exact prompt, `result` as the raw reply; the judge's "N/A" kept as the judge's N/A.
 */
export function importJustEvalJudgeFile(store: Store, file: JustEvalJudgeFile, options: JudgeFileImportOptions): JudgeFileImportResult {
  return store.db.transaction(() => {
    const runId = options.runId ?? insertImportedRun(store, file, options);
    const byItem = new Map(store.generations.forRun(runId).filter((g) => g.finishReason !== 'error').map((g) => [g.itemId, g]));
    let imported = 0;
    for (const call of file.calls) {
      const generation = byItem.get(call.itemId);
      if (!generation) throw new Error(`${basename(options.path)}: item ${call.itemId} has no output in run ${runId}. Import into the run that judged these outputs, or without --run.`);
      if (generation.output !== call.output)
        throw new Error(`${basename(options.path)}: item ${call.itemId}: the file's output_cand differs from run ${runId}'s output. The verdict is about another text: import without --run.`);
      const id = store.judgements.saveCall(
        {
          generationId: generation.id,
          judgeRunId: null,
          judge: file.judge,
          rubricVersion: file.rubricVersion,
          judgeLang: 'en',
          repeat: 0,
          prompt: call.prompt,
          raw: call.raw,
          error: call.error,
          seed: 0,
          temperature: JUST_EVAL_TEMPERATURE,
          attempts: 1,
          wallMs: 0,
          environment: { source: JUST_EVAL_FILE_SOURCE, file: resolve(options.path), sha256: options.sha256, mode: file.mode, gpt: file.gpt },
        },
        call.scores,
      );
      if (id !== null) imported++;
    }
    return { runId, imported, alreadyStored: file.calls.length - imported };
  })();
}

function insertImportedRun(store: Store, file: JustEvalJudgeFile, options: JudgeFileImportOptions): number {
  const name = options.name ?? basename(options.path).replace(/\.json$/, '');
  const dataset = store.datasets.insert(
    { name: `${name} (instructions)`, lang: options.lang ?? 'en', sourcePath: resolve(options.path), sourceSha256: options.sha256, format: 'just-eval-judgements' },
    file.calls.map((c) => ({ id: c.itemId, instruction: c.instruction, category: CATEGORY[file.mode], metadata: {} })),
  );
  const generators = [...new Set(file.calls.map((c) => c.generator ?? 'unknown'))];
  const run = store.runs.insert({
    name,
    kind: 'imported',
    modelId: null,
    datasetId: dataset.id,
    config: null,
    method: { method: 'imported', source: resolve(options.path), sourceSha256: options.sha256, generators: generators.join(', ') },
    environment: options.environment ?? {},
    status: 'done',
    itemIds: file.calls.map((c) => c.itemId),
  });
  store.generations.insertMany(file.calls.map((c) => importedGeneration(run.id, c.itemId, c)));
  return run.id;
}
