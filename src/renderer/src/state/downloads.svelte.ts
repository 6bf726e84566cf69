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
      const listed = await api.call('downloads.list', {});
      // Like any answer, the list may be older than events already shown (see #fromAnswer).
      this.#downloads = listed.map((d) => {
        const shown = this.#downloads.find((x) => x.id === d.id);
        return shown && !isNewer(d, shown) ? shown : d;
      });
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
      this.#fromAnswer(await api.call('downloads.start', { uri, catalogueId: entry?.id }));
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
      this.#fromAnswer(await call());
      this.#actionError = null;
    } catch (err) {
      this.#actionError = errorText(err);
    }
  }

  /**
   * An action's answer travels apart from the events (HTTP next to the WebSocket in serve mode; in Electron,
   * invoke replies use another pipe than pushed messages), so it can arrive after events sent later: a tiny
   * file is verified and failed before `downloads.start` has answered "downloading". Every change is also
   * pushed as 'download.progress', in order, so an answer only adds a download not seen yet or one stored later
   * than what is shown (ties go to the events).
   */
  #fromAnswer(d: DownloadInfo): void {
    const shown = this.#downloads.find((x) => x.id === d.id);
    if (!shown || isNewer(d, shown)) this.#upsert(d);
  }

  #upsert(d: DownloadInfo): void {
    const i = this.#downloads.findIndex((x) => x.id === d.id);
    this.#downloads = i === -1 ? [d, ...this.#downloads] : this.#downloads.with(i, d);
  }
}

export const downloads = new DownloadsState();

/** Whether an answer's copy of a download was stored after the one shown (ISO times compare as strings). */
function isNewer(answer: DownloadInfo, shown: DownloadInfo): boolean {
  return answer.updatedAt > shown.updatedAt;
}
