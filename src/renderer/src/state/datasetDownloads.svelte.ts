import type { DatasetDownloadProgress, DatasetInfo, PaperDataset } from '../../../shared/api';
import { PAPER_DATASETS } from '../../../shared/datasets';
import { api } from '../lib/api';
import { errorText } from '../lib/errorText';
import { datasets } from './datasets.svelte';

/**
 * Datasets fetched from Hugging Face or a URL: the paper's three Just-Eval files with one click, or any URI. The
 * backend downloads and imports (all or nothing); progress comes as `datasetDownload.progress` events.
 */
export class DatasetDownloadsState {
  #running = $state<string | null>(null);
  #progress = $state.raw<DatasetDownloadProgress | null>(null);
  #error = $state<string | null>(null);
  #done = $state.raw<DatasetInfo | null>(null);
  #stop: (() => void) | undefined;

  /** The free URI field, with its language. */
  uri = $state('');
  lang = $state('en');

  get running(): string | null {
    return this.#running;
  }
  get progress(): DatasetDownloadProgress | null {
    return this.#progress;
  }
  get error(): string | null {
    return this.#error;
  }
  get done(): DatasetInfo | null {
    return this.#done;
  }

  /** The paper dataset already in the library (by its name), if any. */
  imported(paper: PaperDataset): DatasetInfo | undefined {
    return datasets.datasets.find((d) => d.name === paper.name);
  }

  init(): void {
    this.#stop ??= api.on('datasetDownload.progress', (p) => {
      if (p.uri === this.#running) this.#progress = p;
    });
  }

  /** One of the paper's datasets, linked as parallel items to whichever of the others is already imported. */
  async fetchPaper(paper: PaperDataset): Promise<void> {
    const partner = PAPER_DATASETS.map((p) => this.imported(p)).find((d) => d !== undefined);
    await this.#download({ uri: paper.uri, lang: paper.lang, name: paper.name, parallelWith: partner ? String(partner.id) : undefined });
  }

  async fetchUri(): Promise<void> {
    const uri = this.uri.trim();
    if (!/^(hf:|https?:\/\/)/i.test(uri)) {
      this.#error = 'Type hf:<owner>/<dataset>[/<file>] or an http(s) URL.';
      return;
    }
    if (!/^[a-z]{2,3}(-[a-z0-9]+)?$/.test(this.lang.trim())) {
      this.#error = `Language "${this.lang}" is not an ISO 639 code such as en, fr, es.`;
      return;
    }
    if (await this.#download({ uri, lang: this.lang.trim() })) this.uri = '';
  }

  cancel(): void {
    if (this.#running) void api.call('datasets.cancelDownload', { uri: this.#running });
  }

  async #download(request: { uri: string; lang: string; name?: string; parallelWith?: string }): Promise<boolean> {
    if (this.#running) return false;
    this.#running = request.uri;
    this.#progress = null;
    this.#error = null;
    this.#done = null;
    try {
      this.#done = await api.call('datasets.download', request);
      await datasets.refresh();
      return true;
    } catch (err) {
      this.#error = errorText(err);
      return false;
    } finally {
      this.#running = null;
    }
  }
}

export const datasetDownloads = new DatasetDownloadsState();
