import type { AppInfo } from '../../../shared/api';
import { METHODS } from '../../../shared/domain';
import { api } from '../lib/api';
import { errorText } from '../lib/errorText';

/** What the backend says about itself (`app.info`): version, data dir, the methods the composer may offer. */
export class AppInfoState {
  #info = $state.raw<AppInfo | null>(null);
  #error = $state<string | null>(null);
  #loading = $state(false);

  get info(): AppInfo | null {
    return this.#info;
  }
  /** Set when the backend cannot be reached at all: the app shows it as a banner over every view. */
  get error(): string | null {
    return this.#error;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get methods(): readonly string[] {
    return this.#info?.methods ?? METHODS;
  }
  get urialPromptLangs(): readonly string[] {
    return this.#info?.urialPromptLangs ?? [];
  }

  async load(): Promise<void> {
    this.#loading = true;
    try {
      this.#info = await api.call('app.info', {});
      this.#error = null;
    } catch (err) {
      this.#error = errorText(err);
    } finally {
      this.#loading = false;
    }
  }
}

export const appInfo = new AppInfoState();
