import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { DatasetDownloadProgress } from '../../../shared/datasets';
import { defaultDatasetName, hfResolveUrl, HF_ENDPOINT, parseDatasetUri, pickHfDataFile } from '../../core/datasets/datasetUri';
import { formatFromPath } from '../../core/datasets/sourceRows';
import { downloadToFile } from '../../core/files/downloadToFile';
import { sha256File } from '../../core/files/sha256File';
import type { DatasetRecord } from '../../store/DatasetRepo';
import { Conflict } from '../errors';
import type { DatasetImportOptions, DatasetsService } from './DatasetsService';

export interface DatasetDownloadsDeps {
  datasets: DatasetsService;
  /** Where downloaded files are kept (each dataset records its source file). */
  dir: string;
  onProgress?: (progress: DatasetDownloadProgress) => void;
  /** Hugging Face or a stand-in (ALIGN_HF_ENDPOINT; tests use a loopback server). */
  hfEndpoint?: string;
  /** Read at each download, never stored: gated datasets need the user's token. */
  hfToken?: () => string | undefined;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
}

const AUTH_HINT =
  'Accept its terms on its Hugging Face page, then set HF_TOKEN to an access token of yours (huggingface.co/settings/tokens) in the environment of the app or the CLI.';

/**
 * Datasets fetched from Hugging Face or any http(s) URL, then imported with the usual checks (all or nothing).
 * The file goes to a temporary name, is kept under a name carrying its content hash (so a later download of
 * changed data never replaces the file an earlier dataset came from), and is removed again if the import fails.
 */
export class DatasetDownloads {
  readonly #active = new Map<string, AbortController>();

  constructor(private readonly deps: DatasetDownloadsDeps) {}

  async download(uri: string, options: Omit<DatasetImportOptions, 'name'> & { name?: string }): Promise<DatasetRecord> {
    if (this.#active.has(uri)) throw new Conflict(`${uri} is already being downloaded.`);
    const controller = new AbortController();
    this.#active.set(uri, controller);
    try {
      return await this.#download(uri, options, controller.signal);
    } finally {
      this.#active.delete(uri);
    }
  }

  /** Stops the download of `uri` (its call then fails as cancelled); false when none is running. */
  cancel(uri: string): boolean {
    const controller = this.#active.get(uri);
    controller?.abort();
    return controller !== undefined;
  }

  /** Stops every running download (the app or serve is closing): their temporary files are removed as they fail. */
  cancelAll(): void {
    for (const controller of this.#active.values()) controller.abort();
  }

  async #download(uri: string, options: Omit<DatasetImportOptions, 'name'> & { name?: string }, signal: AbortSignal): Promise<DatasetRecord> {
    const source = parseDatasetUri(uri);
    const token = this.deps.hfToken?.();
    const endpoint = this.deps.hfEndpoint ?? HF_ENDPOINT;
    // The token goes only to the hub, never to an arbitrary URL.
    const headers = source.kind === 'hf' && token ? { Authorization: `Bearer ${token}` } : undefined;
    const file =
      source.kind === 'url'
        ? new URL(source.url).pathname
        : (source.file ?? (await pickHfDataFile(endpoint, source.owner, source.dataset, { headers, timeoutMs: this.deps.connectTimeoutMs, authHint: AUTH_HINT })));
    // The format must be known before fetching (an unknown extension fails here, at no cost).
    formatFromPath(file);
    const url = source.kind === 'url' ? source.url : hfResolveUrl(endpoint, source.owner, source.dataset, file);
    const incoming = join(this.deps.dir, `.incoming-${randomUUID()}${extname(file).toLowerCase()}`);
    const report = (stage: DatasetDownloadProgress['stage'], receivedBytes: number, totalBytes: number | null) =>
      this.deps.onProgress?.({ uri, stage, receivedBytes, totalBytes });

    let bytes: number;
    try {
      ({ bytes } = await downloadToFile({
        url,
        dest: incoming,
        headers,
        label: source.kind === 'hf' ? `hf:${source.owner}/${source.dataset}/${file}` : uri,
        authHint: source.kind === 'hf' ? AUTH_HINT : undefined,
        connectTimeoutMs: this.deps.connectTimeoutMs,
        readTimeoutMs: this.deps.readTimeoutMs,
        signal,
        onProgress: (received, total) => report('downloading', received, total),
      }));
    } catch (err) {
      await rm(incoming, { force: true });
      throw err;
    }
    report('importing', bytes, bytes);
    const kept = await this.#keep(incoming, file);
    try {
      return await this.deps.datasets.import(kept.path, { ...options, name: options.name ?? defaultDatasetName(source, file) });
    } catch (err) {
      if (kept.isNew) await rm(kept.path, { force: true });
      throw err;
    }
  }

  /** Names the file by its content: `<stem>-<sha256 prefix><ext>`; an identical earlier download is reused. */
  async #keep(incoming: string, file: string): Promise<{ path: string; isNew: boolean }> {
    const sha = await sha256File(incoming);
    const ext = extname(file).toLowerCase();
    const stem = basename(file, extname(file)).replace(/[^\w.-]+/g, '_') || 'dataset';
    const path = join(this.deps.dir, `${stem}-${sha.slice(0, 12)}${ext}`);
    if (existsSync(path)) {
      await rm(incoming, { force: true });
      return { path, isNew: false };
    }
    await rename(incoming, path);
    return { path, isNew: true };
  }
}
