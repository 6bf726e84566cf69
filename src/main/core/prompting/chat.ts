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
    const date = nonBlank(config.chatDate);
    return {
      build(item: Item): PromptSpec {
        return {
          kind: 'chat',
          ...(system !== undefined && { system }),
          user: item.instruction,
          ...(chatTemplate !== undefined && { chatTemplate }),
          ...(date !== undefined && { date }),
          ...(config.allowSystemFold === true && { allowSystemFold: true }),
          stop: [],
          clean: 'none',
        };
      },
      describe(): Record<string, string> {
        return {
          // What the model's default resolves to (the GGUF's Jinja template or a built-in replacement) is known
          // only once it is loaded: the backend records it (Backend.describePrompt).
          chatTemplate: chatTemplate ?? 'model default',
          ...(system !== undefined && { systemPrompt: system }),
          ...(date !== undefined && { chatDate: date }),
          ...(config.allowSystemFold === true && { systemFold: 'allowed' }),
        };
      },
    };
  },
};

function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
