import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { DownloadInfo, DownloadStatus } from '../../../shared/models';
import { getLlamaRuntime } from '../inference';
import { prepareModelFileTransfer, type ModelFileTransfer, type TransferProgress } from '../inference/llama/downloadModelFile';
import { assertDiskSpace, probeFreeSpace, type FreeSpaceProbe } from './downloadDiskSpace';
import { assertReachable, UnreachableError } from './downloadReachability';
import { verifyDownloadedGguf } from './downloadVerify';

/** The stored state of one download, as the manager reads and writes it (store/DownloadRepo implements it). */
export type DownloadRecord = Omit<DownloadInfo, 'bytesPerSecond'>;
type Patch = Partial<Pick<DownloadRecord, 'fileName' | 'totalBytes' | 'downloadedBytes' | 'status' | 'error' | 'modelId'>>;

export interface DownloadStorePort {
  insert(d: { uri: string; dir: string; catalogueId: string | null }): DownloadRecord;
  get(id: number): DownloadRecord | undefined;
  list(): DownloadRecord[];
  update(id: number, patch: Patch): DownloadRecord;
  /** Pauses these downloads if they are still transferring or verifying, with `error` saying why. */
  pauseInterrupted(ids: number[], error: string): number;
}

/** This process's claim on a download while it transfers (services/Ownership, a `download` lease). */
export interface DownloadOwnership {
  /** Throws a Conflict when another live process is transferring it. */
  claim(id: number, onLost: () => void): void;
  release(id: number): void;
  assertFree(id: number): void;
}

export interface DownloadManagerOptions {
  store: DownloadStorePort;
  /** The download-folder setting, read when a download starts. */
  downloadDir: () => string;
  /** Adds a verified file to the model library; returns the model id. */
  addModel: (path: string) => Promise<{ id: number }>;
  /** Live progress (throttled) and status changes, for the UI. */
  onProgress?: (download: DownloadInfo) => void;
  onChanged?: (downloadId: number, status: DownloadStatus) => void;
  freeSpace?: FreeSpaceProbe;
  /** Extra HTTP headers for every transfer (e.g. `Authorization` for gated Hugging Face repositories). */
  headers?: Record<string, string>;
  timeouts?: Partial<DownloadTimeouts>;
  /** Run ownership across processes sharing the store (none: this manager assumes it is alone). */
  ownership?: DownloadOwnership;
  /** Downloads whose owning process was found gone at startup (LeaseRepo.reclaimStale): paused now. */
  interrupted?: number[];
}

export interface DownloadTimeouts {
  /** DNS + connect + the server's first answer; past it the download fails as unreachable (offline). */
  answerMs: number;
  /** Resolving the file (its name and size) once the server answered. */
  resolveMs: number;
  /** No byte arrived for this long mid-file: the download fails (resumable) instead of waiting forever. */
  stallMs: number;
  /** How long a stop waits for the downloader to close its file before it is reported anyway. */
  stopGraceMs: number;
}

/** Offline must be said in under 15 s (issue 14); a stall of half a minute is not a slow server any more. */
export const DEFAULT_DOWNLOAD_TIMEOUTS: DownloadTimeouts = { answerMs: 10_000, resolveMs: 20_000, stallMs: 30_000, stopGraceMs: 500 };

/** Stored with a download its owner left behind. */
export const INTERRUPTED_DOWNLOAD =
  'The process that was downloading this stopped before it finished (closed or crashed). Resume continues from the bytes on disk.';

interface Active {
  /** Aborting it stops the transfer; the partial file stays (node-llama-cpp's deleteTempFileOnCancel: false). */
  controller: AbortController;
  /** Why it is being stopped, when the user stopped it (a stop is not a failure). */
  stopping: 'pause' | 'cancel' | null;
  /** The transfer is complete and the file is being checked. */
  verifying: boolean;
  /** No byte arrived for `stallMs`: the watchdog stopped it, and it fails. */
  stalled: boolean;
  bytesPerSecond: number | null;
  settled: Promise<void>;
}

const PROGRESS_EVERY_MS = 250;
const PERSIST_EVERY_MS = 1000;

/**
 * Downloads models into the download folder, one transfer per download id: resolve the URI, check the disk
 * space, transfer (pause/resume keep the partial file), then verify the file is a GGUF BEFORE adding it to the
 * library. State is stored at every step, so after a restart interrupted downloads show as paused and resume
 * from their partial file.
 */
export class DownloadManager {
  readonly #options: DownloadManagerOptions;
  readonly #active = new Map<number, Active>();
  readonly #timeouts: DownloadTimeouts;

  constructor(options: DownloadManagerOptions) {
    this.#options = options;
    this.#timeouts = { ...DEFAULT_DOWNLOAD_TIMEOUTS, ...options.timeouts };
    this.markInterrupted(options.interrupted ?? []);
  }

  /**
   * Pauses downloads whose owning process is gone (LeaseRepo.reclaimStale), with a message saying so. Only
   * those: another live process sharing the store keeps its transfers. Their bytes are on disk to resume from.
   */
  markInterrupted(ids: number[]): void {
    const before = new Map(ids.map((id) => [id, this.#options.store.get(id)?.status]));
    this.#options.store.pauseInterrupted(ids, INTERRUPTED_DOWNLOAD);
    for (const [id, status] of before) if (status !== this.#options.store.get(id)?.status) this.#options.onChanged?.(id, 'paused');
  }

  list(): DownloadInfo[] {
    return this.#options.store.list().map((d) => this.#info(d));
  }

  get(id: number): DownloadInfo {
    return this.#info(this.#record(id));
  }

  /**
   * Starts a download. Reaching the server, resolving the URI and the disk-space check happen before this
   * returns (bounded by the timeouts), so a 404, an unreachable host or a full disk is reported to the caller (and
   * stored as the download's error). A pause or cancel meanwhile ends it at once; it then returns that state. `dir`: this
   * download's folder instead of the download-folder setting.
   */
  async start(uri: string, catalogueId?: string, dir?: string): Promise<DownloadInfo> {
    const same = this.#options.store.list().filter((d) => d.uri === uri);
    const busy = same.find((d) => this.#active.has(d.id));
    if (busy) throw new Error(`${uri} is already downloading (download ${busy.id}).`);
    // The same file transferring in another process: two transfers would write one partial file.
    for (const d of same) if (d.status === 'downloading' || d.status === 'verifying') this.#options.ownership?.assertFree(d.id);
    const record = this.#options.store.insert({ uri, dir: dir ?? this.#options.downloadDir(), catalogueId: catalogueId ?? null });
    return this.#begin(record);
  }

  /** Continues a paused or failed download into the same folder, from the bytes already there. */
  async resume(id: number): Promise<DownloadInfo> {
    const record = this.#record(id);
    if (this.#active.has(id)) return this.#info(record);
    if (record.status === 'done' || record.status === 'cancelled') {
      throw new Error(`Download ${id} is ${record.status}: start a new download instead.`);
    }
    return this.#begin(record);
  }

  /** Stops the transfer and keeps the partial file, to resume later (also after a restart). */
  async pause(id: number): Promise<DownloadInfo> {
    const active = this.#active.get(id);
    if (!active) return this.#info(this.#record(id));
    if (!active.verifying) {
      active.stopping = 'pause';
      active.controller.abort();
    }
    await active.settled;
    return this.#info(this.#record(id));
  }

  /** Stops the transfer and deletes the partial file. A finished download (a model now) is left alone. */
  async cancel(id: number): Promise<DownloadInfo> {
    const record = this.#record(id);
    if (record.status === 'done') throw new Error(`Download ${id} is finished: remove the model from the library instead.`);
    const active = this.#active.get(id);
    if (active?.verifying) throw new Error(`Download ${id} is complete and being verified: wait for it, then remove the model if unwanted.`);
    if (active) {
      active.stopping = 'cancel';
      active.controller.abort();
      await active.settled;
    }
    if (record.fileName) await removePartial(record.dir, record.fileName);
    return this.#set(id, { status: 'cancelled', error: null });
  }

  /** Resolves when the download's current transfer has ended (done, failed, paused or cancelled). */
  async settled(id: number): Promise<DownloadInfo> {
    await this.#active.get(id)?.settled;
    return this.get(id);
  }

  /** Pauses every transfer (app quit): their partial files stay for the next start. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.#active.keys()].map((id) => this.pause(id)));
  }

  async #begin(record: DownloadRecord): Promise<DownloadInfo> {
    const id = record.id;
    const controller = new AbortController();
    // Before any state changes: a download another process is transferring is refused (Conflict) untouched.
    this.#options.ownership?.claim(id, () => void this.pause(id));
    let finish!: () => void;
    const active: Active = {
      controller,
      stopping: null,
      verifying: false,
      stalled: false,
      bytesPerSecond: null,
      settled: new Promise((r) => (finish = r)),
    };
    this.#active.set(id, active);
    this.#set(id, { status: 'downloading', error: null });
    let transfer: ModelFileTransfer;
    try {
      transfer = await this.#connect(record, active);
      await assertDiskSpace(record.dir, Math.max(0, transfer.totalBytes - transfer.downloadedBytes), this.#options.freeSpace ?? probeFreeSpace);
    } catch (err) {
      this.#active.delete(id);
      // A stop while connecting is not a failure: the caller of start/resume gets the stopped state (cancel also
      // removes any partial file once `settled` resolves).
      if (active.stopping) this.#set(id, { status: active.stopping === 'pause' ? 'paused' : 'cancelled', error: null });
      this.#options.ownership?.release(id);
      finish();
      if (active.stopping) return this.get(id);
      this.#set(id, { status: 'failed', error: describeTransferError(record.uri, err) });
      throw new Error(describeTransferError(record.uri, err));
    }
    this.#set(id, { fileName: transfer.fileName, totalBytes: transfer.totalBytes, downloadedBytes: transfer.downloadedBytes });
    void this.#transfer(id, active, transfer).finally(() => {
      this.#active.delete(id);
      this.#options.ownership?.release(id);
      finish();
    });
    return this.get(id);
  }

  /**
   * Reaches the server (our own bounded check), then lets node-llama-cpp resolve the file, within `resolveMs`.
   * node-llama-cpp cannot be interrupted while resolving, so a stop or the deadline abandons it (what it resolves
   * late is closed then) rather than waiting for it.
   */
  async #connect(record: DownloadRecord, active: Active): Promise<ModelFileTransfer> {
    const signal = active.controller.signal;
    await assertReachable(record.uri, { timeoutMs: this.#timeouts.answerMs, signal });
    const preparing = prepareModelFileTransfer({
      uri: record.uri,
      dirPath: record.dir,
      fileName: record.fileName ?? undefined,
      headers: this.#options.headers,
      onProgress: this.#progressReporter(record.id, active),
    });
    const seconds = Math.round(this.#timeouts.resolveMs / 1000);
    const deadline = new UnreachableError(`the server answered but did not describe the file within ${seconds} s. It may be overloaded: try again later.`);
    try {
      return await raceStop(preparing, signal, this.#timeouts.resolveMs, deadline);
    } catch (err) {
      void preparing.then((late) => late.cancel(), () => undefined).catch(() => undefined);
      throw err;
    }
  }

  async #transfer(id: number, active: Active, transfer: ModelFileTransfer): Promise<void> {
    let path: string | null = null;
    let error: unknown = null;
    const signal = active.controller.signal;
    const running = transfer.run(signal);
    const watchdog = this.#stallWatchdog(active, transfer);
    try {
      path = await raceStop(running, signal);
    } catch (err) {
      error = err;
    } finally {
      clearInterval(watchdog);
    }
    if (signal.aborted) {
      // ipull closes its file soon after a stop, except while a request waits for a server that never answers
      // (it ignores the stop until then): wait a moment for the progress record, never for the server.
      await Promise.race([running.catch(() => undefined), delay(this.#timeouts.stopGraceMs)]);
    }
    // A stopped transfer may end either way (node-llama-cpp resolves once ipull closes): the user's stop wins.
    if (active.stopping === 'pause') return void this.#set(id, { status: 'paused', downloadedBytes: transfer.downloadedBytes });
    if (active.stopping === 'cancel') return;
    if (active.stalled) {
      const seconds = Math.round(this.#timeouts.stallMs / 1000);
      error = new UnreachableError(
        `the server stopped sending for ${seconds} s at ${transfer.downloadedBytes.toLocaleString('en-US')} of ${transfer.totalBytes.toLocaleString('en-US')} bytes ` +
          '(the connection may be lost). Resume continues from the bytes on disk.',
      );
    }
    if (path === null || active.stalled) return void this.#set(id, { status: 'failed', error: describeTransferError(this.#record(id).uri, error) });
    // Every byte is here: from now on a pause or cancel waits for the verdict instead of interrupting it.
    active.verifying = true;
    this.#set(id, { status: 'verifying', downloadedBytes: transfer.totalBytes });
    try {
      try {
        await verifyDownloadedGguf(path, await getLlamaRuntime('cpu'));
      } catch (err) {
        // Never leave a file that is not a model where a folder scan would find it, nor where the next try
        // would take it as already downloaded.
        await rm(path, { force: true });
        throw err;
      }
      const model = await this.#options.addModel(path);
      this.#set(id, { status: 'done', modelId: model.id, error: null });
    } catch (err) {
      this.#set(id, { status: 'failed', error: describeTransferError(this.#record(id).uri, err) });
    }
  }

  /** Stops a transfer that received no byte for `stallMs` (ipull would wait for the server for minutes). */
  #stallWatchdog(active: Active, transfer: ModelFileTransfer): ReturnType<typeof setInterval> {
    let bytes = transfer.downloadedBytes;
    let movedAt = Date.now();
    const timer = setInterval(() => {
      if (transfer.downloadedBytes !== bytes) {
        bytes = transfer.downloadedBytes;
        movedAt = Date.now();
      } else if (Date.now() - movedAt >= 2000) {
        // No byte for a while: the last measured speed is not the speed any more.
        active.bytesPerSecond = 0;
      }
      if (Date.now() - movedAt >= this.#timeouts.stallMs && !active.stopping) {
        active.stalled = true;
        active.controller.abort();
      }
    }, Math.min(1000, this.#timeouts.stallMs / 4));
    // Never what keeps a quitting process alive.
    timer.unref();
    return timer;
  }

  /**
   * Emits progress at most every 250 ms and stores it every second (what a restart shows). The last numbers
   * before the flow stops are always emitted and stored, a moment later: a stalled download must not show what
   * it had a second before it stalled.
   */
  #progressReporter(id: number, active: Active) {
    let lastEmit = 0;
    let lastPersist = 0;
    let window: { at: number; bytes: number } | null = null;
    let latest: TransferProgress = { downloadedBytes: 0, totalBytes: 0 };
    let trailing: ReturnType<typeof setTimeout> | null = null;
    const emit = (persist: boolean) => {
      if (trailing) clearTimeout(trailing);
      trailing = null;
      // Nothing after the transfer ended (a cancelled download keeps its final state).
      if (this.#active.get(id) !== active) return;
      const now = Date.now();
      lastEmit = now;
      if (persist) lastPersist = now;
      const record = persist ? this.#options.store.update(id, latest) : { ...this.#record(id), ...latest };
      this.#options.onProgress?.(this.#info(record));
    };
    return (progress: TransferProgress) => {
      const now = Date.now();
      if (!window) window = { at: now, bytes: progress.downloadedBytes };
      else if (now - window.at >= 1000) {
        active.bytesPerSecond = ((progress.downloadedBytes - window.bytes) * 1000) / (now - window.at);
        window = { at: now, bytes: progress.downloadedBytes };
      }
      latest = progress;
      if (now - lastEmit >= PROGRESS_EVERY_MS || progress.downloadedBytes >= progress.totalBytes) return emit(now - lastPersist >= PERSIST_EVERY_MS);
      trailing ??= setTimeout(() => emit(true), PROGRESS_EVERY_MS);
      trailing.unref();
    };
  }

  #record(id: number): DownloadRecord {
    const record = this.#options.store.get(id);
    if (!record) throw new Error(`No download with id ${id}.`);
    return record;
  }

  #set(id: number, patch: Patch): DownloadInfo {
    const before = this.#record(id).status;
    const info = this.#info(this.#options.store.update(id, patch));
    if (patch.status && patch.status !== before) this.#options.onChanged?.(id, patch.status);
    this.#options.onProgress?.(info);
    return info;
  }

  #info(record: DownloadRecord): DownloadInfo {
    return { ...record, bytesPerSecond: this.#active.get(record.id)?.bytesPerSecond ?? null };
  }
}

/**
 * `work`, or a rejection as soon as `signal` aborts (or `ms` pass, with `timeoutError`): a stop never waits for a
 * server. The abandoned promise's failure is swallowed.
 */
async function raceStop<T>(work: Promise<T>, signal: AbortSignal, ms?: number, timeoutError?: Error): Promise<T> {
  work.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    if (ms !== undefined) timer = setTimeout(() => reject(timeoutError), ms);
  });
  try {
    return await Promise.race([work, stop]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort!);
  }
}

/** Deletes a partial download and node-llama-cpp's (ipull's) progress record next to it. */
async function removePartial(dir: string, fileName: string): Promise<void> {
  // ipull writes the bytes to `<file>.ipull` with its progress record appended, and renames it when complete.
  await rm(join(dir, `${fileName}.ipull`), { force: true });
}

/** Plain words for what went wrong, with what to do. */
export function describeTransferError(uri: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // ipull's HTTP errors read "Url: …, Status code: 404, status text: Not Found".
  const status = /status code:? (\d{3})/i.exec(message)?.[1];
  if (err instanceof Error && err.name === 'DiskSpaceError') return message;
  if (err instanceof UnreachableError) return `${uri}: ${message}`;
  if (err instanceof Error && err.name === 'DownloadedFileError') return message;
  if (status === '404') return `${uri}: not found (HTTP 404). Check the repository and file name; for hf: URIs the file must exist in that repository.`;
  if (status === '401' || status === '403') {
    return `${uri}: access denied (HTTP ${status}). The repository may be gated: accept its licence on huggingface.co and set a token (HF_TOKEN).`;
  }
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ENETUNREACH|fetch failed/i.test(message)) {
    return `${uri}: the server cannot be reached (${message}). Check the internet connection or the URL.`;
  }
  return `${uri}: ${message}`;
}
