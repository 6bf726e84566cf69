/** The model library, model slot, hardware fit, downloads and the catalogue. */
import type { GpuOffload, ModelFamily, ModelInfo, ModelRole } from './domain';
export type { ModelState } from './modelState';



export const DOWNLOAD_STATUSES = ['downloading', 'paused', 'verifying', 'done', 'failed', 'cancelled'] as const;
export type DownloadStatus = (typeof DOWNLOAD_STATUSES)[number];

export interface DownloadInfo {
  id: number;
  /** An `hf:` URI or an http(s) URL. */
  uri: string;
  /** The folder the file goes to (the download-folder setting when it started). */
  dir: string;
  /** The catalogue entry it came from, if any. */
  catalogueId: string | null;
  /** Known once the URI is resolved. */
  fileName: string | null;
  totalBytes: number | null;
  downloadedBytes: number;
  status: DownloadStatus;
  /** Failed downloads: what went wrong and what to do (404, not enough space, an HTML page instead of a GGUF…). */
  error: string | null;
  /** The model the verified file was added as. */
  modelId: number | null;
  /** Live while transferring, else null. */
  bytesPerSecond: number | null;
  createdAt: string;
  updatedAt: string;
}

/** A recommended small model (resources/catalogue/models.json): data only, no weights. */
export interface CatalogueModel {
  id: string;
  name: string;
  /** Base and instruction-tuned members of one family share this name. */
  family: string;
  role: 'base' | 'sft' | 'dpo';
  /** What to download: `hf:<user>/<repo>/<file.gguf>`. */
  uri: string;
  /** Parameters (e.g. 494_000_000) and the approximate file size, from the model card. */
  parameters: number;
  approxSizeBytes: number;
  quantization: string;
  licence: string;
  languages: string[];
  /** The model card on the Hub. */
  homepage: string;
  notes: string;
}


/**
 * ok; missing (moved or deleted: locate it or remove the entry); changed (the file differs from when it was
 * added: add it again to refresh); remote (an OpenAI-compatible model: no file).
 */
export type ModelFileStatus = 'ok' | 'missing' | 'changed' | 'remote';

/** A library entry: the stored model plus what is true of its file right now. */
export interface ModelEntry extends ModelInfo {
  fileStatus: ModelFileStatus;
  /** Other models whose file has the same sha256 (the same weights under another path). */
  duplicateOf: number[];
  /** Set while the sha256 is computed in the background (`sha256` is "" until then). */
  hashing: ShaProgress | null;
}

/** Background sha256 of a model file ('models.sha' events): progress, then the hash or the error. */
export interface ShaProgress {
  modelId: number;
  path: string;
  bytesDone: number;
  bytesTotal: number;
  /** Set when finished. */
  sha256: string | null;
  error: string | null;
}

export interface ModelScanResult {
  folder: string;
  /** *.gguf files found (recursively). */
  found: number;
  added: ModelEntry[];
  /** Files that could not be added, each with what is wrong and what to do. */
  failed: { path: string; message: string }[];
  /** True when the scan stopped at its file limit. */
  truncated: boolean;
}

export interface FamilyInfo extends ModelFamily {
  members: { modelId: number; role: ModelRole }[];
}

export interface HardwareInfo {
  cpu: { model: string | null; physicalCores: number; logicalCores: number };
  ram: { total: number; free: number };
  /** null: no usable GPU backend (CPU only). */
  gpu: { type: 'cuda' | 'vulkan' | 'metal'; devices: string[]; vramTotal: number; vramFree: number; unifiedMemory: boolean } | null;
  /** Threads a run uses when none is set: the physical cores. */
  defaultThreads: number;
  llamaCpp: string;
}

export interface ModelFitRequest {
  modelId: number;
  contextSize: number;
  parallel?: number;
  gpu?: GpuOffload;
}

/** Memory a model + context needs (node-llama-cpp's estimate, before loading) against what is free. */
export interface ModelFit {
  modelId: number;
  contextSize: number;
  sequences: number;
  gpuLayers: number;
  totalLayers: number;
  trainContextSize: number | null;
  fits: boolean;
  /** Plain words with the numbers when it does not fit or is refused. */
  problem: string | null;
  model: { ram: number; vram: number };
  context: { ram: number; vram: number };
  required: { ram: number; vram: number };
  available: { ram: number; vram: number };
}
