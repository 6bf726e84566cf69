import { createHash } from 'node:crypto';
import type { Item, MethodConfig } from '../../../shared/domain';
import type { PreparedMethod, PromptMethod, PromptSpec } from './PromptMethod';

export const INSTRUCTION_PLACEHOLDER = '{instruction}';

/**
 * Custom: a user-written completion template. Every `{instruction}` is replaced literally; there is no other
 * syntax (no escapes), so any other brace is kept as typed. The text before the first placeholder is the
 * shared prefix, which makes hand-written few-shot templates as cheap as URIAL.
 */
export const customMethod: PromptMethod = {
  name: 'custom',
  prepare(config: MethodConfig): PreparedMethod {
    const template = config.template;
    if (template === undefined || template.trim() === '') {
      throw new Error(`The custom method needs a template: write one containing ${INSTRUCTION_PLACEHOLDER}.`);
    }
    if (!template.includes(INSTRUCTION_PLACEHOLDER)) {
      throw new Error(
        `The custom template has no ${INSTRUCTION_PLACEHOLDER} placeholder: add it where each item's instruction goes.`,
      );
    }
    const parts = template.split(INSTRUCTION_PLACEHOLDER);
    const prefix = parts[0] ?? '';
    const sha256 = createHash('sha256').update(template, 'utf8').digest('hex');
    return {
      build(item: Item): PromptSpec {
        // split/join rather than String.replace: a replacement string would interpret "$&", "$1"… in the instruction.
        return { kind: 'completion', prefix, text: parts.join(item.instruction), stop: [], clean: 'none' };
      },
      describe(): Record<string, string> {
        return { template, templateSha256: sha256 };
      },
    };
  },
};
