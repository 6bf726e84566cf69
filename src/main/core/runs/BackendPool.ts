import type { GpuOffload } from '../../../shared/domain';
import type { Backend } from '../inference/Backend';

export interface BackendKey {
  modelPath: string;
  gpu: GpuOffload;
  threads: number;
}

export type BackendLoader = (key: BackendKey, onProgress: (fraction: number) => void) => Promise<Backend>;

/**
 * Holds at most one loaded model: runs on the same model reuse it, a different model replaces it
 * (dispose before load, so two models never sit in memory together).
 */
export class BackendPool {
  #current: { id: string; backend: Promise<Backend> } | null = null;

  constructor(private readonly load: BackendLoader) {}

  async acquire(key: BackendKey, onProgress: (fraction: number) => void = () => {}): Promise<Backend> {
    const id = JSON.stringify([key.modelPath, key.gpu, key.threads]);
    if (this.#current?.id === id) {
      try {
        return await this.#current.backend;
      } catch {
        // A failed load is retried rather than cached.
      }
    }
    await this.release();
    const backend = this.load(key, onProgress);
    this.#current = { id, backend };
    return backend;
  }

  async release(): Promise<void> {
    const current = this.#current;
    this.#current = null;
    if (current) await current.backend.then((b) => b.dispose()).catch(() => {});
  }
}
