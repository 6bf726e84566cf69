/**
 * Where a rubric's prompt text comes from (migration 0009). `stored`: the rubric row holds it (our adaptation
 * and its edited copies). `just-eval-official`: the original Just-Eval templates, read from the reference-files
 * folder at call time; the store never holds a copy (the text is just-eval's, not ours to ship).
 */
export const RUBRIC_PROMPT_SOURCES = ['stored', 'just-eval-official'] as const;
export type RubricPromptSource = (typeof RUBRIC_PROMPT_SOURCES)[number];

/** The original Just-Eval judge, as one name on the command line (`--rubric just-eval-original`) for both of its rubrics. */
export const JUST_EVAL_ORIGINAL = 'just-eval-original';
/** Its two rubric versions: the multi-aspect template (regular items) and the safety template (safety items). */
export const JUST_EVAL_ORIGINAL_MULTI = 'just-eval-original-multi@1';
export const JUST_EVAL_ORIGINAL_SAFETY = 'just-eval-original-safety@1';
