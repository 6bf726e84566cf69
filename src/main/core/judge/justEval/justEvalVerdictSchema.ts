import type { RubricInfo } from '../../../../shared/judging';
import { aspectsSchema } from '../verdictSchema';
import { JUST_EVAL_MAX_TOKENS } from './justEvalTemplates';

/** The JSON punctuation and keys around one aspect's reason, and around the whole reply, in characters (generous). */
const ASPECT_OVERHEAD_CHARS = 48;
const REPLY_OVERHEAD_CHARS = 16;

/**
 * The reply shape the official templates ask for, for grammar-constrained local judges:
 * {"<aspect>": {"reason": "…", "score": "1".."5"}} with scores as strings, as just-eval's judges write them.
 * The reference judge (GPT-4) had no grammar and could write "N/A"; the templates ask for 1–5 only, so the
 * grammar offers only those. Each reason is bounded so the longest reply the grammar admits fits the reference's
 * 1024 tokens at one token per character: never a reply cut into "unreadable" by the budget.
 */
export function justEvalVerdictSchema(rubric: Pick<RubricInfo, 'aspects'>): Record<string, unknown> {
  const maxLength = Math.floor((JUST_EVAL_MAX_TOKENS - REPLY_OVERHEAD_CHARS) / rubric.aspects.length) - ASPECT_OVERHEAD_CHARS;
  return aspectsSchema(rubric.aspects, { reason: { type: 'string', minLength: 1, maxLength }, score: { enum: ['1', '2', '3', '4', '5'] } });
}
