import type { Item, MethodConfig, MethodName } from '../../../shared/domain';
import type { PromptSpec } from '../inference/PromptSpec';

export type { CleanRule, PromptSpec } from '../inference/PromptSpec';

export interface PromptMethod {
  name: MethodName;
  /** Checks the config once per run (e.g. reads and validates the URIAL file); throws a clear error. */
  prepare(config: MethodConfig): PreparedMethod;
}

export interface PreparedMethod {
  build(item: Item): PromptSpec;
  /** Identity of what shaped the prompt (file path + sha256, template text…), stored with the run. */
  describe(): Record<string, string>;
}
