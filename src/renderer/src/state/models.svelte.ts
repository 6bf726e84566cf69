import type { ModelState } from '../../../shared/api';
import type { ModelInfo } from '../../../shared/domain';
import { api } from '../lib/api';
import { errorText } from '../lib/errorText';

/**
 * The model library (`models.list`, `models.add`) and the model the run queue holds in memory
 * (`models.state`, then pushed `model.state` events). Failures are state the view shows, never thrown.
 */
export class ModelsState {
  #models = $state.raw<ModelInfo[]>([]);
  #loaded = $state(false);
  #listError = $state<string | null>(null);
  #loadedState = $state.raw<ModelState | null>(null);
  #stateError = $state<string | null>(null);
  #adding = $state(false);
  #addError = $state<string | null>(null);
  #unsubscribe: (() => void) | null = null;

  /** The path typed into the "add a GGUF" box. */
  addPath = $state('');

  get models(): ModelInfo[] {
    return this.#models;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get listError(): string | null {
    return this.#listError;
  }
  /** The model in memory: unloaded, loading (with progress), loaded, or error (with the reason). */
  get modelState(): ModelState | null {
    return this.#loadedState;
  }
  get stateError(): string | null {
    return this.#stateError;
  }
  get adding(): boolean {
    return this.#adding;
  }
  get addError(): string | null {
    return this.#addError;
  }

  byId(id: number | null | undefined): ModelInfo | undefined {
    return id == null ? undefined : this.#models.find((m) => m.id === id);
  }

  /** Subscribes to pushed model state and loads the list; idempotent. */
  init(): void {
    if (this.#unsubscribe) return;
    this.#unsubscribe = api.on('model.state', (s) => {
      this.#loadedState = s;
      this.#stateError = null;
    });
    void this.refresh();
    void this.refreshState();
  }

  async refresh(): Promise<void> {
    try {
      this.#models = await api.call('models.list', {});
      this.#listError = null;
    } catch (err) {
      this.#listError = errorText(err);
    } finally {
      this.#loaded = true;
    }
  }

  async refreshState(): Promise<void> {
    try {
      this.#loadedState = await api.call('models.state', {});
      this.#stateError = null;
    } catch (err) {
      this.#stateError = errorText(err);
    }
  }

  /** Adds the GGUF at `addPath`; on success the box is cleared and the model appears in the list. */
  async add(): Promise<ModelInfo | null> {
    const path = this.addPath.trim();
    if (!path) {
      this.#addError = 'Type the path of a .gguf file first.';
      return null;
    }
    this.#adding = true;
    this.#addError = null;
    try {
      const model = await api.call('models.add', { path });
      this.#models = [...this.#models.filter((m) => m.id !== model.id), model].sort((a, b) => a.id - b.id);
      this.addPath = '';
      return model;
    } catch (err) {
      this.#addError = errorText(err);
      return null;
    } finally {
      this.#adding = false;
    }
  }
}

export const models = new ModelsState();
