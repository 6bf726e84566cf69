export type { Backend, GenerateRequest, GenerateResult } from './Backend';
export { LlamaBackend, type LlamaLoadOptions } from './llama/LlamaBackend';
export { inspectGguf, ModelFileError, type GgufSummary, type ModelFileProblem } from './llama/inspectGguf';
export { estimateMemory, type MemoryEstimate } from './llama/estimateMemory';
export { detectHardware } from './llama/detectHardware';
export { defaultThreads, getLlamaRuntime } from './llama/getLlamaRuntime';
export { countPromptTokens } from './llama/countPromptTokens';
