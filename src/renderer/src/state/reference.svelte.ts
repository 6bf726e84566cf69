import type { ReferenceFetchProgress, ReferenceStatus } from '../../../shared/api';
import { api } from '../lib/api';
import { errorText } from '../lib/errorText';
import { appInfo } from './appInfo.svelte';

/**
 * The official reference files (URIAL prompts, Just-Eval templates): their state per file, the reference-folder
 * setting, and "Download the official files" (progress through `reference.progress`). Shared by the Models
 * view's panel and the run composer's "No English URIAL prompt" button. Failures are state, never thrown.
 */
export class ReferenceState {
  #status = $state.raw<ReferenceStatus | null>(null);
  #error = $state<string | null>(null);
  #fetching = $state(false);
  #progress = $state.raw<ReferenceFetchProgress | null>(null);
  /** The reference folder as edited in the box; empty clears the setting. */
  folder = $state('');

  get status(): ReferenceStatus | null {
    return this.#status;
  }
  get error(): string | null {
    return this.#error;
  }
  get fetching(): boolean {
    return this.#fetching;
  }
  get progress(): ReferenceFetchProgress | null {
    return this.#progress;
  }

  async load(): Promise<void> {
    try {
      this.#status = await api.call('reference.status', {});
      this.folder = (await api.call('settings.get', {})).referenceDir ?? '';
      this.#error = null;
    } catch (err) {
      this.#error = errorText(err);
    }
  }

  async saveFolder(): Promise<void> {
    try {
      await api.call('settings.set', { referenceDir: this.folder.trim() || null });
      await this.#refresh();
    } catch (err) {
      this.#error = errorText(err);
    }
  }

  /** Fetches the missing files; resolves true when every file was fetched or already verified. */
  async fetch(): Promise<boolean> {
    this.#fetching = true;
    this.#error = null;
    const stop = api.on('reference.progress', (p) => (this.#progress = p));
    try {
      const result = await api.call('reference.fetch', {});
      const failed = result.results.filter((r) => r.outcome === 'failed');
      if (failed.length > 0) this.#error = failed.map((r) => `${r.local}: ${r.error}`).join('\n');
      await this.#refresh();
      return failed.length === 0;
    } catch (err) {
      this.#error = errorText(err);
      return false;
    } finally {
      stop();
      this.#fetching = false;
      this.#progress = null;
    }
  }

  /** The status, and app.info (the URIAL prompt languages the composer offers follow the verified files). */
  async #refresh(): Promise<void> {
    this.#status = await api.call('reference.status', {});
    this.#error = null;
    await appInfo.load();
  }
}

export const reference = new ReferenceState();
