import { readFileSync } from 'node:fs';
import type { AspectScore } from '../../../../shared/judgeCalls';
import { JUST_EVAL_ORIGINAL_MULTI, JUST_EVAL_ORIGINAL_SAFETY } from '../../../../shared/rubricSources';
import { DatasetError } from '../../datasets/DatasetError';
import { JUST_EVAL_MODES, JUST_EVAL_SYSTEM_MESSAGE, type JustEvalMode } from './justEvalTemplates';
import { betterJsonLoads, cleanJustEvalReply, justEvalScores } from './parseJustEvalReply';
import { pythonJsonDump } from './pythonJsonDump';

/** One judge call as just-eval's evaluate.py writes it (`--mode score_multi | score_safety`). */
export interface JustEvalJudgeRecord {
  id: number | string;
  input: string;
  output_cand: string;
  generator_cand: string | null;
  eval_config: { mode: JustEvalMode; gpt: string; max_words: number };
  prompt: string;
  /** The reply after evaluate.py's clean-up; the literal "N/A" until the call got one. */
  result: string;
  /** better_json_loads(result); absent when the call failed, null when the reply did not parse. */
  parsed_result?: Record<string, { reason?: string; score: string }> | null;
}

export const JUST_EVAL_RUBRIC: Record<JustEvalMode, string> = { score_multi: JUST_EVAL_ORIGINAL_MULTI, score_safety: JUST_EVAL_ORIGINAL_SAFETY };
/** The judge identity of imported calls: says the verdicts were made elsewhere, by this model. */
export const importedJudgeIdentity = (gpt: string): string => `import:${gpt}`;
/** Marks a stored call whose raw text is just-eval's `result` (already cleaned), not a reply we received. */
export const JUST_EVAL_FILE_SOURCE = 'just-eval judge file';

/** A judge call of a just-eval file, ready for the store. */
export interface ImportedJudgeCall {
  itemId: string;
  instruction: string;
  output: string;
  generator: string | null;
  prompt: { system: string; user: string };
  raw: string;
  error: string | null;
  scores: AspectScore[];
}

export interface JustEvalJudgeFile {
  mode: JustEvalMode;
  /** eval_config.gpt, the same on every record. */
  gpt: string;
  judge: string;
  rubricVersion: string;
  calls: ImportedJudgeCall[];
}

/**
 * Reads a just-eval judge file (score_multi / score_safety) all-or-nothing: every record checked, one judge model
 * and mode per file, ids unique. A record's aspects are its parsed_result's, in its order (old files name two of
 * them "relevance" and "coherence"); a call without parsed_result keeps the file's aspects, as N/A: "no-reply"
 * when its result is still just-eval's "N/A" placeholder, "unreadable" otherwise. Errors name file:line.
 */
export function readJustEvalJudgeFile(path: string): JustEvalJudgeFile {
  const text = readFileSync(path, 'utf8');
  const lineOf = recordLines(text);
  const fail = (index: number | null, problem: string, fix: string): never => {
    throw new DatasetError({ file: path, line: index === null ? null : (lineOf[index] ?? null), problem, fix });
  };
  let records: unknown;
  try {
    records = JSON.parse(text);
  } catch (err) {
    return fail(null, `not JSON (${(err as Error).message})`, "Give a judge file written by just-eval's evaluate.py (a JSON list).");
  }
  if (!Array.isArray(records) || records.length === 0) return fail(null, 'not a non-empty JSON list', "Give a judge file written by just-eval's evaluate.py.");
  const checked = records.map((r, i) => checkRecord(r, i, fail));
  const { mode, gpt } = checked[0]!.eval_config;
  const seen = new Set<string>();
  checked.forEach((r, i) => {
    if (r.eval_config.mode !== mode || r.eval_config.gpt !== gpt)
      fail(i, `eval_config ${r.eval_config.mode} / ${r.eval_config.gpt} differs from the first record's ${mode} / ${gpt}`, 'Split the file: one judge model and mode per import.');
    if (seen.has(String(r.id))) fail(i, `id ${r.id} appears twice`, 'Keep one judge call per item.');
    seen.add(String(r.id));
  });
  // Every aspect the file scores, in first-seen order: the N/A rows of a call without a verdict.
  const fileAspects = [...new Set(checked.flatMap((r) => (r.parsed_result ? Object.keys(r.parsed_result) : [])))];
  return {
    mode,
    gpt,
    judge: importedJudgeIdentity(gpt),
    rubricVersion: JUST_EVAL_RUBRIC[mode],
    calls: checked.map((r) => toCall(r, fileAspects)),
  };
}

function toCall(r: JustEvalJudgeRecord, fileAspects: readonly string[]): ImportedJudgeCall {
  const base = { itemId: String(r.id), instruction: r.input, output: r.output_cand, generator: r.generator_cand, prompt: { system: JUST_EVAL_SYSTEM_MESSAGE, user: r.prompt } };
  if (r.parsed_result) {
    const { scores, error } = justEvalScores(r.parsed_result, []);
    return { ...base, raw: r.result, error, scores };
  }
  const noReply = !('parsed_result' in r) && r.result === 'N/A';
  const naKind = noReply ? ('no-reply' as const) : ('unreadable' as const);
  return {
    ...base,
    raw: noReply ? '' : r.result,
    error: noReply ? 'no reply (the just-eval file still holds its "N/A" placeholder)' : 'just-eval could not parse this reply (no parsed_result)',
    scores: fileAspects.map((aspect) => ({ aspect: aspect as AspectScore['aspect'], score: null, rationale: null, naKind })),
  };
}

type Fail = (index: number | null, problem: string, fix: string) => never;

function checkRecord(value: unknown, i: number, fail: Fail): JustEvalJudgeRecord {
  const fix = "Every record of a just-eval judge file has id, input, output_cand, generator_cand, eval_config, prompt and result.";
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(i, `record ${i + 1} is not an object`, fix);
  const r = value as Record<string, unknown>;
  for (const field of ['input', 'output_cand', 'prompt', 'result'])
    if (typeof r[field] !== 'string') fail(i, `record ${i + 1}: "${field}" must be a string`, fix);
  if (typeof r.id !== 'number' && typeof r.id !== 'string') fail(i, `record ${i + 1}: "id" must be a number or a string`, fix);
  if (r.generator_cand !== null && typeof r.generator_cand !== 'string') fail(i, `record ${i + 1}: "generator_cand" must be a string`, fix);
  const config = r.eval_config as Record<string, unknown> | undefined;
  if (typeof config !== 'object' || config === null || typeof config.gpt !== 'string' || !(JUST_EVAL_MODES as readonly unknown[]).includes(config.mode))
    fail(i, `record ${i + 1}: eval_config must have mode "score_multi" or "score_safety" and the judge model in "gpt"`, 'Import score_multi / score_safety files only (pairwise and reward modes are not supported).');
  const parsed = r.parsed_result;
  if (parsed !== undefined && parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed)))
    fail(i, `record ${i + 1}: "parsed_result" must be an object`, fix);
  return value as JustEvalJudgeRecord;
}

/** The line where each record of a JSON list starts (a "{" at nesting depth 1), for error messages. */
function recordLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    else if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (c === '{' && depth === 1) lines.push(line);
      depth++;
    } else if (c === '}' || c === ']') depth--;
  }
  return lines;
}

/** A stored call as the export needs it. */
export interface ExportableJudgeCall {
  itemId: string;
  instruction: string;
  output: string;
  generator: string | null;
  rubricVersion: string;
  judge: string;
  user: string;
  raw: string | null;
  error: string | null;
  environment: Record<string, string>;
}

/**
 * A stored original-judge call as a just-eval record: what evaluate.py would have written for it, so just-eval's
 * report() (and our import) read it back. `result` is the cleaned reply ("N/A" when there was none);
 * parsed_result is better_json_loads(result), absent without a reply. Ids that are decimal integers are written
 * as numbers, as just-eval's are. Calls of another rubric have no just-eval record: refused by the caller.
 */
export function toJustEvalRecord(call: ExportableJudgeCall, maxWords = -1): JustEvalJudgeRecord {
  const mode = (Object.entries(JUST_EVAL_RUBRIC).find(([, v]) => v === call.rubricVersion)?.[0] ?? null) as JustEvalMode | null;
  if (!mode) throw new Error(`Item ${call.itemId}: rubric "${call.rubricVersion}" is not the original Just-Eval judge; export it as jsonl instead.`);
  const noReply = call.error !== null && (call.raw ?? '') === '';
  const result = noReply ? 'N/A' : call.environment.source === JUST_EVAL_FILE_SOURCE ? (call.raw ?? '') : cleanJustEvalReply(call.raw ?? '');
  const record: JustEvalJudgeRecord = {
    id: /^(0|[1-9][0-9]*)$/.test(call.itemId) ? Number(call.itemId) : call.itemId,
    input: call.instruction,
    output_cand: call.output,
    generator_cand: call.generator,
    eval_config: { mode, gpt: call.judge.replace(/^import:/, ''), max_words: maxWords },
    prompt: call.user,
    result,
  };
  if (!noReply) record.parsed_result = betterJsonLoads(result) as JustEvalJudgeRecord['parsed_result'];
  return record;
}

/** A just-eval judge file's text, as evaluate.py's json.dump(results, f, indent=2) writes it. */
export function writeJustEvalJudgeFile(records: readonly JustEvalJudgeRecord[]): string {
  return pythonJsonDump(records);
}
