import type { Item, MethodConfig } from '../../../shared/domain';
import type { PreparedMethod, PromptMethod, PromptSpec } from './PromptMethod';

/**
 * Chat: one user message (plus an optional system prompt), rendered by the backend with the model's own
 * chat template, or with a named node-llama-cpp wrapper when `chatTemplate` overrides it. The template
 * delimits the turn, so no stop string and no cleaning are needed.
 */
export const chatMethod: PromptMethod = {
  name: 'chat',
  prepare(config: MethodConfig): PreparedMethod {
    // Empty strings come from blank form fields: they mean "not set", not "an empty system turn".
    const system = nonBlank(config.systemPrompt);
    const chatTemplate = nonBlank(config.chatTemplate);
    return {
      build(item: Item): PromptSpec {
        return {
          kind: 'chat',
          ...(system !== undefined && { system }),
          user: item.instruction,
          ...(chatTemplate !== undefined && { chatTemplate }),
          stop: [],
          clean: 'none',
        };
      },
      describe(): Record<string, string> {
        return {
          chatTemplate: chatTemplate ?? 'model default (GGUF template)',
          ...(system !== undefined && { systemPrompt: system }),
        };
      },
    };
  },
};

function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
