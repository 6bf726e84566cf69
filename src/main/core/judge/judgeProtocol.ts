import type { Lang } from '../../../shared/domain';
import type { JudgeTarget } from '../../../shared/judgeCalls';
import type { RubricInfo } from '../../../shared/judging';
import { buildJudgePrompt } from './buildJudgePrompt';
import type { JudgeReply } from './Judge';
import { buildJustEvalPrompt, type JustEvalTemplates } from './justEval/justEvalTemplates';
import { justEvalScores, parseJustEvalReply, type JustEvalVerdict } from './justEval/parseJustEvalReply';
import { justEvalVerdictSchema } from './justEval/justEvalVerdictSchema';
import { parseVerdict } from './parseVerdict';
import { verdictSchema } from './verdictSchema';

/** How one rubric talks to a judge: the messages, the reply schema, and how a reply becomes scores. */
export interface JudgeProtocol {
  prompt(target: JudgeTarget, judgeLang: Lang): { system: string; user: string };
  schema: Record<string, unknown>;
  /** Scores for every aspect; null score with its N/A kind where there is none (never a substituted score). */
  verdict(reply: JudgeReply): JustEvalVerdict;
  /** Facts recorded with every call (e.g. the template file's sha256). */
  environment: Record<string, string>;
}

/**
 * The protocol of a rubric: our adaptation (prompt text stored with the rubric, lenient parser) or the original
 * Just-Eval judge (official template files, the multi template for an aspects rubric and the safety one for a
 * safety rubric, parsed as evaluate.py parses). `templates` loads the official files; called only when an
 * original rubric is used, so a run of our rubric never needs the reference files.
 */
export function judgeProtocol(rubric: RubricInfo, templates: () => JustEvalTemplates): JudgeProtocol {
  // No naKind: the store derives it from the call (an error and no raw text = no reply), the same rule that lets a
  // later run make an unanswered call again.
  const noReply = (error: string): JustEvalVerdict => ({ scores: rubric.aspects.map((aspect) => ({ aspect, score: null, rationale: null })), error });
  if (rubric.promptSource === 'just-eval-official') {
    const template = templates()[rubric.kind === 'safety' ? 'score_safety' : 'score_multi'];
    return {
      prompt: (target) => buildJustEvalPrompt(template, target.instruction, target.output),
      schema: justEvalVerdictSchema(rubric),
      verdict: (reply) => {
        if (reply.error) return noReply(reply.error);
        const parsed = parseJustEvalReply(reply.raw);
        if (parsed === null) return { scores: rubric.aspects.map((aspect) => ({ aspect, score: null, rationale: null, naKind: 'unreadable' })), error: 'the reply does not parse as just-eval parses it' };
        return justEvalScores(parsed, rubric.aspects);
      },
      environment: { justEvalTemplate: `${template.path} sha256:${template.sha256}` },
    };
  }
  return {
    prompt: (target, judgeLang) => buildJudgePrompt(rubric, judgeLang, target).prompt,
    schema: verdictSchema(rubric),
    verdict: (reply) => (reply.error ? noReply(reply.error) : parseVerdict(reply.raw, rubric)),
    environment: {},
  };
}
