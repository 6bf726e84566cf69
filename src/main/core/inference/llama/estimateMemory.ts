import { GgufInsights, type Llama } from 'node-llama-cpp';
import type { GpuOffload } from '../../../../shared/domain';
import { contextBoundProblem, judgeFit, type Bytes, type FitVerdict, type MemoryNeeds } from './memoryFit';
import { getLlamaRuntime } from './getLlamaRuntime';
import { inspectGguf, ModelFileError } from './inspectGguf';

/**
 * node-llama-cpp's context estimate takes time proportional to the context size (≈ 0.17 s per million tokens
 * here; 200M tokens took 50 s). Above this size the estimate is extrapolated linearly from two exact points
 * (the KV cache, which dominates, is linear in the context size) and only computed exactly when that says it fits.
 */
const EXACT_ESTIMATE_LIMIT = 131_072;

export interface MemoryEstimate extends FitVerdict {
  gpuLayers: number;
  totalLayers: number;
  contextSize: number;
  sequences: number;
  trainContextSize: number | null;
  needs: MemoryNeeds;
}

export function runtimeMode(gpu: GpuOffload): 'auto' | 'cpu' {
  return gpu === 'cpu' ? 'cpu' : 'auto';
}

/**
 * Memory of a model file + a context, estimated with node-llama-cpp's own resolvers from the GGUF header,
 * WITHOUT loading weights, and compared with the free RAM / VRAM. A context beyond the trained context ×
 * MAX_CONTEXT_OVER_TRAINED is refused at once (`problem` set, `fits` false).
 */
export async function estimateMemory(options: { modelPath: string; contextSize: number; sequences: number; gpu: GpuOffload }): Promise<MemoryEstimate> {
  const llama = await getLlamaRuntime(runtimeMode(options.gpu));
  const { summary, fileInfo } = await inspectGguf(options.modelPath, llama);
  if (!summary.runnable) {
    throw new ModelFileError(options.modelPath, 'vocab-only GGUF (a tokenizer without weights): it cannot generate, so it needs no memory estimate.', 'vocab-only');
  }
  const insights = await GgufInsights.from(fileInfo, llama);
  const gpuLayers = await resolveGpuLayers(insights, llama, options.gpu);
  const model = await insights.estimateModelResourceRequirementsV2({ gpuLayers });
  const available = await freeMemory(llama);
  return contextFit(insights, llama, { gpuLayers, contextSize: options.contextSize, sequences: options.sequences, model: toBytes(model), available });
}

/** The context part, shared with LlamaBackend.configure (the model is then already loaded). */
export async function contextFit(
  insights: GgufInsights,
  llama: Llama,
  o: { gpuLayers: number; contextSize: number; sequences: number; model: Bytes; available?: Bytes },
): Promise<MemoryEstimate> {
  const available = o.available ?? (await freeMemory(llama));
  const trainContextSize = insights.trainContextSize ?? null;
  const base = { gpuLayers: o.gpuLayers, totalLayers: insights.totalLayers, contextSize: o.contextSize, sequences: o.sequences, trainContextSize };
  const estimate = (contextSize: number) =>
    insights
      .estimateContextResourceRequirementsV2({ contextSize, modelGpuLayers: o.gpuLayers, sequences: o.sequences, flashAttention: false })
      .then(toBytes);
  let context: Bytes;
  if (o.contextSize <= EXACT_ESTIMATE_LIMIT) context = await estimate(o.contextSize);
  else {
    const [a, b] = await Promise.all([estimate(EXACT_ESTIMATE_LIMIT / 2), estimate(EXACT_ESTIMATE_LIMIT)]);
    const scale = (o.contextSize - EXACT_ESTIMATE_LIMIT) / (EXACT_ESTIMATE_LIMIT / 2);
    context = { ram: b.ram + (b.ram - a.ram) * scale, vram: b.vram + (b.vram - a.vram) * scale };
    // Extrapolated and it fits: worth the exact (slow) figure, since a load will follow.
    if (judgeFit({ model: o.model, context }, available).fits && !contextBoundProblem(o.contextSize, trainContextSize))
      context = await estimate(o.contextSize);
  }
  const needs = { model: o.model, context };
  const verdict = judgeFit(needs, available);
  const bound = contextBoundProblem(o.contextSize, trainContextSize);
  const problem = [verdict.problem, bound].filter(Boolean).join(' Also, ');
  return { ...base, ...verdict, needs, fits: verdict.fits && !bound, problem: problem || null };
}

async function resolveGpuLayers(insights: GgufInsights, llama: Llama, gpu: GpuOffload): Promise<number> {
  if (gpu === 'cpu' || !llama.supportsGpuOffloading) return 0;
  if (typeof gpu === 'number') return Math.min(gpu, insights.totalLayers);
  return (await insights.configurationResolver.resolveModelGpuLayersV2('auto')).gpuLayers;
}

async function freeMemory(llama: Llama): Promise<Bytes> {
  const [ram, vram] = await Promise.all([llama.getRamState(), llama.getVramState()]);
  return { ram: ram.free, vram: vram.free };
}

function toBytes(r: { cpuRam: number; gpuVram: number }): Bytes {
  return { ram: r.cpuRam, vram: r.gpuVram };
}
