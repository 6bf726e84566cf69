export type { CleanRule, PreparedMethod, PromptMethod, PromptSpec } from './PromptMethod';
export { cleanOutput } from './cleanOutput';
export { parseUrialFile, URIAL_STYLES, URIAL_STYLE_FORMATS } from './parseUrialFile';
export type { ParsedUrialFile, UrialExample, UrialStyle, UrialStyleFormat } from './parseUrialFile';
export {
  DEFAULT_OFFICIAL_URIAL_FILE,
  listUrialPromptLangs,
  ownUrialPromptsDir,
  resolveUrialPromptFile,
} from './resolveUrialPromptFile';
export type { UrialPromptDirs } from './resolveUrialPromptFile';
export { zeroShotMethod, ZERO_SHOT_SUFFIX } from './zeroShot';
export { createUrialMethod, prepareUrialText, urialZeroMethod } from './urial';
export { URIAL_STOPS, URIAL_TEMPLATES, urialTemplate, urialTemplateFor } from './urialTemplate';
export type { UrialTemplate, UrialTemplateName } from './urialTemplate';
export { chatMethod } from './chat';
export { customMethod, INSTRUCTION_PLACEHOLDER } from './custom';
export { getPromptMethod, listPromptMethods } from './registry';
export type { PromptMethodOptions } from './registry';
export {
  decidePromptLanguage,
  decideUrialPromptLanguage,
  detectPromptFileLanguage,
  PROMPT_LANG_MIN_CONFIDENCE,
  urialPromptProse,
} from './promptLanguage';
export type { IdentifyLanguage, LanguageGuess, PromptLanguageDecision, PromptLangSource } from './promptLanguage';
