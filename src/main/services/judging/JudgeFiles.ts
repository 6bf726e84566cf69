import { judgeCallJsonl, readJustEvalJudgeFile, toJustEvalRecord, writeJustEvalJudgeFile } from '../../core/judge';
import { sha256File } from '../../core/files/sha256File';
import type { ExportedJudgeCall } from '../../../shared/judgeCallExport';
import type { JudgementsExportFormat, JudgementsImportResult } from '../../../shared/judgeRuns';
import { JUST_EVAL_ORIGINAL, JUST_EVAL_ORIGINAL_MULTI, JUST_EVAL_ORIGINAL_SAFETY } from '../../../shared/rubricSources';
import { importJustEvalJudgeFile } from '../../store/importJustEvalJudgeFile';
import type { Store } from '../../store/openStore';
import { processEnvironment } from '../environment';
import { InputError, NotFoundError } from '../errors';


/** Which calls an export takes: a judge identity, a rubric version (`just-eval-original` = both of its rubrics). */
export interface JudgementsExportFilter {
  judge?: string;
  rubricVersion?: string;
}

/** Judge calls in and out of files: just-eval's judge files (both ways) and our own JSONL (out). */
export class JudgeFiles {
  constructor(private readonly store: Pick<Store, 'db' | 'runs' | 'datasets' | 'generations' | 'judgements'>) {}

  /**
   * A just-eval judge file (score_multi / score_safety): without `runId` a new run of its outputs, with it the
   * verdicts attached to that run's outputs of the same ids (a different output text is refused). All or nothing.
   */
  async import(path: string, options: { runId?: number; lang?: string; name?: string }): Promise<JudgementsImportResult> {
    if (options.runId !== undefined && !this.store.runs.get(options.runId)) throw new NotFoundError(`No run with id ${options.runId}. List them with "runs list".`);
    const file = readJustEvalJudgeFile(path);
    const sha256 = await sha256File(path);
    const result = importJustEvalJudgeFile(this.store as Store, file, { path, sha256, runId: options.runId, lang: options.lang, name: options.name, environment: processEnvironment() });
    return { ...result, newRun: options.runId === undefined, judge: file.judge, rubricVersion: file.rubricVersion };
  }

  /**
   * A run's judge calls, one record per call with the exact prompt and raw reply. `just-eval`: the file
   * evaluate.py would have written, so it holds one judge and one mode (refused, listing them, when the run has
   * several: pick one with the filter); `jsonl`: every call, with its scores and N/A kinds.
   */
  export(runId: number, format: JudgementsExportFormat, filter: JudgementsExportFilter = {}): string {
    if (!this.store.runs.get(runId)) throw new NotFoundError(`No run with id ${runId}. List them with "runs list".`);
    const wanted = filter.rubricVersion === JUST_EVAL_ORIGINAL ? [JUST_EVAL_ORIGINAL_MULTI, JUST_EVAL_ORIGINAL_SAFETY] : filter.rubricVersion ? [filter.rubricVersion] : [];
    if (format === 'jsonl') return judgeCallJsonl(this.store.judgements.callsOfRun(runId, { judge: filter.judge, rubricVersions: wanted }));
    const calls = this.store.judgements.callsOfRun(runId, { judge: filter.judge, rubricVersions: wanted.length > 0 ? wanted : [JUST_EVAL_ORIGINAL_MULTI, JUST_EVAL_ORIGINAL_SAFETY] });
    if (calls.length === 0)
      throw new InputError(`Run ${runId} has no calls of the original Just-Eval judge${filter.judge ? ` by ${filter.judge}` : ''}: only those have just-eval's format. Export with --format jsonl.`);
    oneJustEvalFile(runId, calls);
    return writeJustEvalJudgeFile(calls.map((c) => toJustEvalRecord({ ...c, user: c.prompt.user })));
  }
}

/** A just-eval file is one judge, one mode and one call per item: anything else is refused with what to pick. */
function oneJustEvalFile(runId: number, calls: readonly ExportedJudgeCall[]): void {
  const groups = [...new Set(calls.map((c) => `${c.judge} · ${c.rubricVersion}`))];
  if (groups.length > 1)
    throw new InputError(`Run ${runId} has original-judge calls of ${groups.join(', ')}; a just-eval file holds one judge and one mode: pick one with --judge and --rubric.`);
  const seen = new Set<string>();
  for (const c of calls) {
    if (seen.has(c.itemId))
      throw new InputError(`Run ${runId}: item ${c.itemId} was judged more than once (repeats or judge languages); a just-eval file has one call per item. Export with --format jsonl.`);
    seen.add(c.itemId);
  }
}
