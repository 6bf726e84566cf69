export type { Backend, GenerateRequest, GenerateResult } from './Backend';
export { LlamaBackend, type LlamaLoadOptions } from './llama/LlamaBackend';
export { inspectGguf, ModelFileError, type GgufSummary } from './llama/inspectGguf';
export { defaultThreads, getLlamaRuntime } from './llama/getLlamaRuntime';
