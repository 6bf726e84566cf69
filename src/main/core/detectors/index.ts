export * from './Detector';
export { loopDetector, type LoopSettings } from './loopDetector';
export { codeDetector, type CodeSettings } from './codeDetector';
export { identifyLanguage, languageDetector, type LanguageSettings } from './languageDetector';
export { wordTokens, type WordToken } from '../../../shared/wordTokens';
export { DETECTORS, getDetector, runDetectors } from './registry';
