import { cpus } from 'node:os';
import type { HardwareInfo } from '../../../../shared/models';
import { getLlamaRuntime } from './getLlamaRuntime';

/**
 * The machine as llama.cpp sees it: physical cores (the threads worth using), RAM, and the GPU backend
 * node-llama-cpp picked (CUDA, Vulkan, Metal, or none) with its devices and VRAM.
 */
export async function detectHardware(): Promise<HardwareInfo> {
  const llama = await getLlamaRuntime('auto');
  const [ram, vram, devices] = await Promise.all([llama.getRamState(), llama.getVramState(), llama.getGpuDeviceNames()]);
  const cpuList = cpus();
  return {
    cpu: { model: cpuList[0]?.model.trim() ?? null, physicalCores: Math.max(1, llama.cpuMathCores), logicalCores: cpuList.length },
    ram: { total: ram.total, free: ram.free },
    gpu: llama.gpu === false ? null : { type: llama.gpu, devices, vramTotal: vram.total, vramFree: vram.free, unifiedMemory: vram.unifiedSize > 0 },
    defaultThreads: Math.max(1, llama.cpuMathCores),
    llamaCpp: llama.llamaCppRelease.release,
  };
}
