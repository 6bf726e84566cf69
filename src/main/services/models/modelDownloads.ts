import { DownloadManager, type DownloadManagerOptions } from '../core/models/downloadManager';
import { readSettings } from './appSettings';
import type { Workbench } from './Workbench';

/**
 * The workbench's model downloads, wired the same way for the app, serve mode and the CLI: records in the
 * store, files into the download-folder setting (or `dir`), a verified file added to the library.
 */
export function createModelDownloads(
  workbench: Workbench,
  options: Pick<DownloadManagerOptions, 'onProgress' | 'onChanged'> & { dir?: string } = {},
): DownloadManager {
  return new DownloadManager({
    store: workbench.store.downloads,
    downloadDir: () => options.dir ?? readSettings(workbench).downloadDir,
    addModel: async (path) => (await workbench.library.add(path)).model,
    onProgress: options.onProgress,
    onChanged: options.onChanged,
    // Gated Hugging Face repositories (e.g. Llama) need the user's token; never stored by the app.
    headers: process.env.HF_TOKEN ? { Authorization: `Bearer ${process.env.HF_TOKEN}` } : undefined,
  });
}
