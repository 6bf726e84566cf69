import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';

const runtimes = new Map<string, Promise<Llama>>();

/**
 * One llama.cpp runtime per GPU mode for the whole process.
 * `build: "never"`: use the prebuilt binaries shipped in the npm package; never try to fetch and compile
 * llama.cpp sources (that needs internet and minutes of CPU).
 */
export function getLlamaRuntime(gpu: 'auto' | 'cpu'): Promise<Llama> {
  let runtime = runtimes.get(gpu);
  if (!runtime) {
    runtime = getLlama({
      build: 'never',
      gpu: gpu === 'cpu' ? false : 'auto',
      logLevel: LlamaLogLevel.error,
      progressLogs: false,
    });
    runtimes.set(gpu, runtime);
    runtime.catch(() => runtimes.delete(gpu));
  }
  return runtime;
}

/** Threads to use when the user sets none: the cores useful for math (physical cores), not the library default. */
export async function defaultThreads(): Promise<number> {
  const llama = await getLlamaRuntime('cpu');
  return Math.max(1, llama.cpuMathCores);
}
