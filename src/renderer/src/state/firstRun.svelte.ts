import type { FirstRunInfo } from '../../../shared/api';
import { api } from '../lib/api';
import { errorText } from '../lib/errorText';
import { router } from '../lib/router.svelte';

/**
 * The first-run experience: at app start (no view in the URL) the backend imports the sample dataset into an
 * empty store once and says whether to show the welcome screen. A deep link (`#/runs…`) is left alone.
 */
export class FirstRunState {
  #info = $state.raw<FirstRunInfo | null>(null);
  #error = $state<string | null>(null);

  get info(): FirstRunInfo | null {
    return this.#info;
  }
  get error(): string | null {
    return this.#error;
  }

  /** Called once at start; `onImported` refreshes what the sample import changed (the datasets list). */
  async start(onImported: () => void): Promise<void> {
    const atStart = location.hash === '' || location.hash === '#' || location.hash === '#/';
    if (!atStart && router.view !== 'welcome') return;
    await this.load();
    onImported();
    if (atStart && this.#info?.showWelcome) router.navigate('welcome', {});
  }

  async load(): Promise<void> {
    try {
      this.#info = await api.call('app.firstRun', {});
      this.#error = null;
    } catch (err) {
      this.#error = errorText(err);
    }
  }

  /** "Start working": the welcome screen no longer opens by itself. */
  async dismiss(): Promise<void> {
    try {
      this.#info = await api.call('app.dismissWelcome', {});
      this.#error = null;
      router.navigate('runs');
    } catch (err) {
      this.#error = errorText(err);
    }
  }
}

export const firstRun = new FirstRunState();
