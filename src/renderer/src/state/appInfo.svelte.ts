import type { AppInfo } from '../../../shared/api';
import { METHODS } from '../../../shared/domain';
import { api, ApiError } from '../lib/api';
import { errorText } from '../lib/errorText';

/** What the backend says about itself (`app.info`): version, data dir, the methods the composer may offer. */
export class AppInfoState {
  #info = $state.raw<AppInfo | null>(null);
  #error = $state<string | null>(null);
  #loading = $state(false);
  #unauthorized = $state(false);

  get info(): AppInfo | null {
    return this.#info;
  }
  /** Set when the backend cannot be reached at all: the app shows it as a banner over every view. */
  get error(): string | null {
    return this.#error;
  }
  /** The page was opened without the token, or with a wrong one: the app shows only the token gate. */
  get unauthorized(): boolean {
    return this.#unauthorized;
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
      this.#unauthorized = false;
    } catch (err) {
      this.#unauthorized = err instanceof ApiError && err.code === 'unauthorized';
      this.#error = errorText(err);
    } finally {
      this.#loading = false;
    }
  }
}

export const appInfo = new AppInfoState();
