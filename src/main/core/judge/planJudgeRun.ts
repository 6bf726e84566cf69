import type { Lang } from '../../../shared/domain';
import type { JudgeTarget } from '../../../shared/judgeCalls';
import type { JudgeRunConfig, RubricInfo } from '../../../shared/judging';
import { resolvePromptLang } from './buildJudgePrompt';

/** Just-Eval's category of the harmful prompts (ids 800–999): judged on the safety rubric. */
export const SAFETY_CATEGORY = 'safety';

/** One judge call a judge run needs: which generation, rubric, prompt language and repeat, with its seed. */
export interface PlannedCall {
  target: JudgeTarget;
  rubric: RubricInfo;
  /** The language the judge prompt is written in (resolved from "en" / "target"). */
  judgeLang: Lang;
  /** The target language asked for when the rubric has no prompt in it (then judgeLang is "en"); else null. */
  fallbackFrom: Lang | null;
  repeat: number;
  seed: number;
}

/**
 * Every call of a judge run, in a stable order (generation, then repeat). Pure: the same settings and
 * generations always give the same calls, which is what makes the cache and resume exact.
 */
export function planJudgeCalls(
  config: Pick<JudgeRunConfig, 'judgeLang' | 'repeats' | 'seed'>,
  targets: readonly JudgeTarget[],
  rubrics: { aspects: RubricInfo; safety: RubricInfo },
): PlannedCall[] {
  return targets.flatMap((target) => {
    const rubric = target.category === SAFETY_CATEGORY ? rubrics.safety : rubrics.aspects;
    // "target": the generation's language when the rubric is written in it, English otherwise.
    const { lang: judgeLang, fallbackFrom } = resolvePromptLang(rubric, config.judgeLang === 'en' ? 'en' : target.lang);
    return Array.from({ length: config.repeats }, (_, repeat) => ({ target, rubric, judgeLang, fallbackFrom, repeat, seed: config.seed + repeat }));
  });
}
