import { METHODS } from '../../../shared/domain';
import type { MethodName } from '../../../shared/domain';
import type { PromptMethod } from './PromptMethod';
import { chatMethod } from './chat';
import { customMethod } from './custom';
import type { UrialPromptDirs } from './resolveUrialPromptFile';
import { createUrialMethod, urialZeroMethod } from './urial';
import { zeroShotMethod } from './zeroShot';

export interface PromptMethodOptions {
  /** Where URIAL finds its shipped prompts when a run names no prompt file. */
  urialDirs?: UrialPromptDirs;
}

/**
 * The method for `name`. Accepts any string because names arrive from stored run configs and IPC; an
 * unknown one is an error listing the valid names.
 */
export function getPromptMethod(name: MethodName | (string & {}), options: PromptMethodOptions = {}): PromptMethod {
  switch (name) {
    case 'zero-shot':
      return zeroShotMethod;
    case 'urial-zero':
      return urialZeroMethod;
    case 'urial':
      return createUrialMethod(options.urialDirs);
    case 'chat':
      return chatMethod;
    case 'custom':
      return customMethod;
    default:
      throw new Error(`Unknown prompting method "${name}". Valid methods: ${METHODS.join(', ')}.`);
  }
}

/** Every method, in the order of METHODS (the order the UI shows them). */
export function listPromptMethods(options: PromptMethodOptions = {}): PromptMethod[] {
  return METHODS.map((name) => getPromptMethod(name, options));
}
