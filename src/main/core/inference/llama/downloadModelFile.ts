import { createModelDownloader } from 'node-llama-cpp';

/** Bytes so far and in total, as the transfer reports them. */
export interface TransferProgress {
  downloadedBytes: number;
  totalBytes: number;
}

/** One model file being fetched, resolved (URL, file name and size known) but not started. */
export interface ModelFileTransfer {
  /** The name of the file the model is saved as (the entry point for split GGUFs). */
  readonly fileName: string;
  readonly totalBytes: number;
  /** On disk so far: before `run`, what an earlier interrupted transfer left (resumed from there). */
  readonly downloadedBytes: number;
  /**
   * Resolves with the file's path once every byte is written; rejects on HTTP errors (404, 401…). Aborting `signal`
   * stops the transfer and leaves the partial file with its progress record, so a later transfer of the same URI
   * into the same folder resumes from there (also after a restart). It may then resolve or reject: callers
   * that abort decide what happened.
   */
  run(signal?: AbortSignal): Promise<string>;
  /** Releases a transfer that will not be run (resolved too late); keeps any partial file. */
  cancel(): Promise<void>;
}

export interface ModelFileTransferOptions {
  /** `hf:<user>/<repo>:<quant>`, `hf:<user>/<repo>/<file.gguf>`, or an http(s) URL. */
  uri: string;
  dirPath: string;
  fileName?: string;
  onProgress?: (progress: TransferProgress) => void;
  /** Extra HTTP headers (e.g. a Hugging Face token for gated repositories). */
  headers?: Record<string, string>;
}

/**
 * node-llama-cpp's downloader (ipull underneath): resolves `hf:` URIs, splits the file into ranged chunks,
 * retries dropped connections from where they stopped, and keeps a `.ipull` progress record next to a
 * partial file so a new transfer into the same folder resumes it. The only place downloads touch
 * node-llama-cpp (DESIGN §4).
 */
export async function prepareModelFileTransfer(options: ModelFileTransferOptions): Promise<ModelFileTransfer> {
  const downloader = await createModelDownloader({
    modelUri: options.uri,
    dirPath: options.dirPath,
    fileName: options.fileName,
    headers: options.headers,
    // A file already complete on disk (same size as the remote one) is not fetched again.
    skipExisting: true,
    // Aborting keeps the partial file (a pause); a cancel deletes it explicitly.
    deleteTempFileOnCancel: false,
    showCliProgress: false,
    // Sums over the parts of a split GGUF.
    onProgress: ({ totalSize, downloadedSize }) => options.onProgress?.({ totalBytes: totalSize, downloadedBytes: downloadedSize }),
  });
  return {
    fileName: downloader.entrypointFilename,
    totalBytes: downloader.totalSize,
    get downloadedBytes() {
      return downloader.downloadedSize;
    },
    run: (signal) => downloader.download({ signal }),
    cancel: () => downloader.cancel(),
  };
}
