import type { AppSettings, CatalogueModel, DownloadInfo } from '../../../shared/api';
import { api } from '../lib/api';
import { errorText } from '../lib/errorText';

/**
 * Model downloads: the recommended catalogue, the transfers (live through `download.progress` events), and
 * the download-folder setting. A finished download is a model in the library, so the models list is refreshed
 * through `onModelAdded`. Failures are state the panel shows, never thrown.
 */
export class DownloadsState {
  #catalogue = $state.raw<CatalogueModel[]>([]);
  #catalogueError = $state<string | null>(null);
  #downloads = $state.raw<DownloadInfo[]>([]);
  #listError = $state<string | null>(null);
  #actionError = $state<string | null>(null);
  #settings = $state.raw<AppSettings | null>(null);
  #settingsError = $state<string | null>(null);
  #starting = $state(false);
  #unsubscribe: (() => void)[] = [];
  #onModelAdded: () => void = () => {};

  /** A URI or URL typed by the user. */
  uri = $state('');
  /** The download folder as edited in the box. */
  folder = $state('');

  get catalogue(): CatalogueModel[] {
    return this.#catalogue;
  }
  get catalogueError(): string | null {
    return this.#catalogueError;
  }
  get downloads(): DownloadInfo[] {
    return this.#downloads;
  }
  get listError(): string | null {
    return this.#listError;
  }
  get actionError(): string | null {
    return this.#actionError;
  }
  get settings(): AppSettings | null {
    return this.#settings;
  }
  get settingsError(): string | null {
    return this.#settingsError;
  }
  get starting(): boolean {
    return this.#starting;
  }

  /** The latest download of a catalogue entry, if any. */
  ofCatalogue(id: string): DownloadInfo | undefined {
    return this.#downloads.find((d) => d.catalogueId === id);
  }

  /** Subscribes to download events and loads everything; idempotent. */
  init(onModelAdded: () => void): void {
    this.#onModelAdded = onModelAdded;
    if (this.#unsubscribe.length) return;
    this.#unsubscribe.push(
      api.on('download.progress', (d) => this.#upsert(d)),
      api.on('downloads.changed', ({ status }) => {
        if (status === 'done') this.#onModelAdded();
      }),
    );
    void this.refresh();
    void this.#load();
  }

  async refresh(): Promise<void> {
    try {
      this.#downloads = await api.call('downloads.list', {});
      this.#listError = null;
    } catch (err) {
      this.#listError = errorText(err);
    }
  }

  /** Downloads a catalogue entry, or the typed URI when `entry` is omitted. */
  async start(entry?: CatalogueModel): Promise<void> {
    const uri = entry?.uri ?? this.uri.trim();
    if (!uri) {
      this.#actionError = 'Type an hf:<user>/<repo>/<file.gguf> URI or an https URL first.';
      return;
    }
    this.#starting = true;
    try {
      this.#upsert(await api.call('downloads.start', { uri, catalogueId: entry?.id }));
      if (!entry) this.uri = '';
      this.#actionError = null;
    } catch (err) {
      this.#actionError = errorText(err);
      await this.refresh();
    } finally {
      this.#starting = false;
    }
  }

  pause(id: number): Promise<void> {
    return this.#act(() => api.call('downloads.pause', { downloadId: id }));
  }
  resume(id: number): Promise<void> {
    return this.#act(() => api.call('downloads.resume', { downloadId: id }));
  }
  cancel(id: number): Promise<void> {
    return this.#act(() => api.call('downloads.cancel', { downloadId: id }));
  }

  async saveFolder(): Promise<void> {
    try {
      this.#settings = await api.call('settings.set', { downloadDir: this.folder.trim() });
      this.folder = this.#settings.downloadDir;
      this.#settingsError = null;
    } catch (err) {
      this.#settingsError = errorText(err);
    }
  }

  async #load(): Promise<void> {
    try {
      this.#catalogue = await api.call('catalogue.list', {});
      this.#catalogueError = null;
    } catch (err) {
      this.#catalogueError = errorText(err);
    }
    try {
      this.#settings = await api.call('settings.get', {});
      this.folder = this.#settings.downloadDir;
      this.#settingsError = null;
    } catch (err) {
      this.#settingsError = errorText(err);
    }
  }

  async #act(call: () => Promise<DownloadInfo>): Promise<void> {
    try {
      this.#upsert(await call());
      this.#actionError = null;
    } catch (err) {
      this.#actionError = errorText(err);
    }
  }

  #upsert(d: DownloadInfo): void {
    const i = this.#downloads.findIndex((x) => x.id === d.id);
    this.#downloads = i === -1 ? [d, ...this.#downloads] : this.#downloads.with(i, d);
  }
}

export const downloads = new DownloadsState();
