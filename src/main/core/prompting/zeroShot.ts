import type { Item, MethodConfig } from '../../../shared/domain';
import type { PreparedMethod, PromptMethod, PromptSpec } from './PromptMethod';

/**
 * Appended to the instruction. A bare question tends to be continued as more question text; a paragraph
 * break is the least-assuming cue that what follows is a reply, without adding words ("Answer:") that would
 * make this a different prompting method. Nothing is shared between items, so `prefix` is empty.
 */
export const ZERO_SHOT_SUFFIX = '\n\n';

/**
 * Zero-shot: the instruction alone as a raw completion for a base model, the baseline URIAL is compared to.
 * No stop string: the model runs until EOS or maxTokens, and the output is kept as written.
 */
export const zeroShotMethod: PromptMethod = {
  name: 'zero-shot',
  prepare(_config: MethodConfig): PreparedMethod {
    return {
      build(item: Item): PromptSpec {
        return { kind: 'completion', prefix: '', text: item.instruction + ZERO_SHOT_SUFFIX, stop: [], clean: 'none' };
      },
      describe(): Record<string, string> {
        return { format: 'instruction + "\\n\\n"' };
      },
    };
  },
};
