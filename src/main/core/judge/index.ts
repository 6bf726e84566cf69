/**
 * The judge core: built-in rubrics, the reply schema, prompt building, verdict parsing and a Judge over any
 * generation Backend (local GGUF or OpenAI-compatible server). The judge-run pipeline imports from here.
 */
export type { Judge, JudgeReply, JudgeRequest } from './Judge';
export { ASPECTS_RUBRIC_VERSION, BUILTIN_RUBRICS, PROMPT_PLACEHOLDERS, RUBRICS_CREATED_AT, SAFETY_RUBRIC_VERSION } from './rubrics';
export { DEFAULT_JUDGE_MAX_TOKENS, RATIONALE_MAX_CHARS, verdictMaxTokens, verdictSchema } from './verdictSchema';
export { buildJudgePrompt, resolvePromptLang, type JudgePrompt, type JudgePromptInput } from './buildJudgePrompt';
export { parseVerdict, type Verdict } from './parseVerdict';
export { BackendJudge, completionPrompt, type BackendJudgeOptions, type JudgePromptStyle } from './BackendJudge';
export { executeJudgeRun, type ExecuteJudgeRunOptions } from './executeJudgeRun';
export type { JudgeRunStorePort } from './JudgeRunStorePort';
export { planJudgeCalls, SAFETY_CATEGORY, type PlannedCall } from './planJudgeRun';
export { judgeProtocol, type JudgeProtocol } from './judgeProtocol';
export { judgeCallJsonl } from './judgeCallJsonl';
export {
  buildJustEvalPrompt,
  JUST_EVAL_MAX_TOKENS,
  JUST_EVAL_SYSTEM_MESSAGE,
  JUST_EVAL_TEMPERATURE,
  loadJustEvalTemplates,
  type JustEvalMode,
  type JustEvalTemplates,
} from './justEval/justEvalTemplates';
export { readJustEvalJudgeFile, toJustEvalRecord, writeJustEvalJudgeFile, type JustEvalJudgeFile, type JustEvalJudgeRecord } from './justEval/justEvalJudgeFile';
