import { basename } from 'node:path';
import { InputError, NotFound } from '../../../shared/errors';

/** Hugging Face's hub; `ALIGN_HF_ENDPOINT` (like huggingface_hub's HF_ENDPOINT) points elsewhere, e.g. a mirror or a test server. */
export const HF_ENDPOINT = 'https://huggingface.co';

/** The extensions the dataset readers know (see sourceRows.ts), Parquet included so a listing can name it. */
const DATA_FILE = /\.(jsonl|ndjson|json|csv|tsv|parquet)$/i;

export type DatasetSource =
  | { kind: 'hf'; owner: string; dataset: string; file: string | null }
  | { kind: 'url'; url: string };

/**
 * `hf:<owner>/<dataset>[/<path/to/file>]` or an http(s) URL. The file of an hf: URI is optional: a dataset
 * repository with a single data file needs none.
 */
export function parseDatasetUri(uri: string): DatasetSource {
  const hf = /^hf:([A-Za-z0-9][\w.-]*)\/([A-Za-z0-9][\w.-]*)(?:\/(.+))?$/.exec(uri.trim());
  if (hf) {
    const file = hf[3] ?? null;
    if (file !== null && file.split('/').some((part) => part === '' || part === '.' || part === '..')) {
      throw new InputError(`"${uri}": the file path has an empty, "." or ".." part. Give the path of the file in the dataset repository.`);
    }
    return { kind: 'hf', owner: hf[1]!, dataset: hf[2]!, file };
  }
  if (/^https?:\/\//i.test(uri.trim())) {
    try {
      return { kind: 'url', url: new URL(uri.trim()).toString() };
    } catch {
      // Reported below with the accepted forms.
    }
  }
  throw new InputError(`"${uri}" is neither hf:<owner>/<dataset>[/<file>] nor an http(s) URL.`);
}

/** The raw file of a Hugging Face dataset repository, main revision (what huggingface_hub calls a resolve URL). */
export function hfResolveUrl(endpoint: string, owner: string, dataset: string, file: string): string {
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${endpoint.replace(/\/+$/, '')}/datasets/${owner}/${dataset}/resolve/main/${path}`;
}

/**
 * The data file of a dataset repository named without one: the only file with a data extension, from the hub's
 * listing (`/api/datasets/<owner>/<dataset>`). Several candidates are listed so the user can pick.
 */
export async function pickHfDataFile(
  endpoint: string,
  owner: string,
  dataset: string,
  options: { headers?: Record<string, string>; timeoutMs?: number; authHint?: string } = {},
): Promise<string> {
  const url = `${endpoint.replace(/\/+$/, '')}/api/datasets/${owner}/${dataset}`;
  const label = `hf:${owner}/${dataset}`;
  const response = await fetch(url, { headers: options.headers, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  if (response.status === 401 || response.status === 403) throw new InputError(`${label}: access refused (HTTP ${response.status}): the dataset is gated or private. ${options.authHint ?? ''}`.trim());
  if (response.status === 404) throw new NotFound(`${label}: no such dataset on ${new URL(endpoint).host} (HTTP 404). Check the owner and the dataset name.`);
  if (!response.ok) throw new Error(`${label}: the hub answered HTTP ${response.status} to the file listing. Try again later, or name the file: ${label}/<file>.`);
  const listing = (await response.json()) as { siblings?: { rfilename?: unknown }[] };
  const files = (listing.siblings ?? []).map((s) => s.rfilename).filter((f): f is string => typeof f === 'string' && DATA_FILE.test(f));
  if (files.length === 1) return files[0]!;
  if (files.length === 0) throw new InputError(`${label}: the repository has no .jsonl, .json, .csv or .parquet file. Name the file: ${label}/<file>.`);
  const shown = files.slice(0, 12).join(', ');
  throw new InputError(`${label} has ${files.length} data files (${shown}${files.length > 12 ? ', …' : ''}). Name one: ${label}/<file>.`);
}

/** The dataset's default name: the repository of an hf: URI, else the file name without its extension. */
export function defaultDatasetName(source: DatasetSource, file: string): string {
  if (source.kind === 'hf') return source.dataset;
  return basename(file).replace(/\.[^.]+$/, '') || 'dataset';
}
