/**
 * Whether a model + context fits the machine, from byte estimates (node-llama-cpp's resolvers, see
 * core/inference/llama/estimateMemory.ts) and the free memory. Pure: unit-tested with plain numbers.
 */
import { formatBytes } from '../../../../shared/formatBytes';

export interface Bytes {
  ram: number;
  vram: number;
}

export interface MemoryNeeds {
  model: Bytes;
  context: Bytes;
}

/**
 * A context this many times the model's trained context is refused outright: the model never saw positions
 * that far, and such a request is almost always a typo (an extra zero). Runs with "auto" context stay far
 * below it: URIAL's longest preamble + the output budget is a few × a small model's trained context.
 */
export const MAX_CONTEXT_OVER_TRAINED = 16;

export interface FitVerdict {
  fits: boolean;
  required: Bytes;
  available: Bytes;
  /** Plain words when it does not fit (or is refused): what, the numbers, what to do. Null when it fits. */
  problem: string | null;
}

export function totalNeeds(needs: MemoryNeeds): Bytes {
  return { ram: needs.model.ram + needs.context.ram, vram: needs.model.vram + needs.context.vram };
}

/** Refuses a context beyond the trained context × MAX_CONTEXT_OVER_TRAINED; null when acceptable or unknown. */
export function contextBoundProblem(contextSize: number, trainContextSize: number | null | undefined): string | null {
  if (!trainContextSize || contextSize <= trainContextSize * MAX_CONTEXT_OVER_TRAINED) return null;
  return (
    `a context of ${fmtTokens(contextSize)} tokens is ${Math.round(contextSize / trainContextSize)}× the model's trained context ` +
    `(${fmtTokens(trainContextSize)} tokens); at most ${MAX_CONTEXT_OVER_TRAINED}× (${fmtTokens(trainContextSize * MAX_CONTEXT_OVER_TRAINED)}) is accepted. ` +
    `Use a smaller context size or max tokens.`
  );
}

/** Compares what a load needs with what is free; the message names both and the way out. */
export function judgeFit(needs: MemoryNeeds, available: Bytes): FitVerdict {
  const required = totalNeeds(needs);
  const problems: string[] = [];
  if (required.ram > available.ram) {
    problems.push(
      `it needs about ${formatBytes(required.ram)} of RAM (model ${formatBytes(needs.model.ram)} + context ${formatBytes(needs.context.ram)}) ` +
        `but ${formatBytes(available.ram)} is free: it does not fit in memory. Use a smaller context size, fewer parallel sequences, or a smaller quantization`,
    );
  }
  if (required.vram > available.vram) {
    problems.push(
      `it needs about ${formatBytes(required.vram)} of GPU memory (model ${formatBytes(needs.model.vram)} + context ${formatBytes(needs.context.vram)}) ` +
        `but ${formatBytes(available.vram)} is free: it does not fit in GPU memory. Offload fewer layers, choose "CPU only", or use a smaller context size`,
    );
  }
  return { fits: problems.length === 0, required, available, problem: problems.length ? `${problems.join('; ')}.` : null };
}

function fmtTokens(n: number): string {
  return n.toLocaleString('en-US');
}
