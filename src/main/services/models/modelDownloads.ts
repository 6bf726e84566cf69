import { DownloadManager, type DownloadManagerOptions } from '../../core/models/downloadManager';
import type { DownloadRepo } from '../../store/DownloadRepo';
import type { Ownership } from '../ownership';
import type { ModelLibrary } from './ModelLibrary';

/**
 * The workbench's model downloads, wired the same way for the app, serve mode and the CLI: records in the
 * store, files into the download folder (the setting, or `dir`), a verified file added to the library. A
 * transfer is owned by the process running it (a `download` lease); `interrupted`: the downloads whose owner
 * was found gone at startup, the only ones paused then.
 */
export function createModelDownloads(
  deps: { downloads: DownloadRepo; library: ModelLibrary; downloadDir: () => string; ownership: Ownership; interrupted: number[] },
  options: Pick<DownloadManagerOptions, 'onProgress' | 'onChanged'> = {},
): DownloadManager {
  return new DownloadManager({
    store: deps.downloads,
    downloadDir: deps.downloadDir,
    addModel: async (path) => (await deps.library.add(path)).model,
    onProgress: options.onProgress,
    onChanged: options.onChanged,
    ownership: {
      claim: (id, onLost) => deps.ownership.claim('download', id, onLost),
      release: (id) => deps.ownership.release('download', id),
      assertFree: (id) => deps.ownership.assertFree('download', id),
    },
    interrupted: deps.interrupted,
    // Gated Hugging Face repositories (e.g. Llama) need the user's token; never stored by the app.
    headers: process.env.HF_TOKEN ? { Authorization: `Bearer ${process.env.HF_TOKEN}` } : undefined,
  });
}
