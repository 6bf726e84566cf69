import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GITHUB_RAW_BASE, REFERENCE_FILES, referenceFileUrl, type ReferenceFile } from './manifest';

/**
 * Where the official files are looked for, first match wins per file: the user's setting, ALIGN_REFERENCE_DIR,
 * then `<data folder>/reference` (where "Download the official files" puts them). A folder has the layout of
 * ../shared/data, so that folder itself can be given.
 */
export interface ReferenceLocations {
  setting?: string;
  env?: string;
  dataDir: string;
}

export function referenceRoots({ setting, env, dataDir }: ReferenceLocations): string[] {
  return [setting, env, defaultReferenceDir(dataDir)].filter((d): d is string => d !== undefined && d.trim() !== '');
}

export function defaultReferenceDir(dataDir: string): string {
  return join(dataDir, 'reference');
}

/** found: present, not hashed (quick check); verified: sha256 as pinned; modified: present, other bytes. */
export type ReferenceFileState = 'found' | 'verified' | 'modified' | 'missing';

export interface ReferenceFileStatus {
  local: string;
  state: ReferenceFileState;
  /** Where it was found (absent when missing). */
  path?: string;
  url: string;
}

/**
 * The state of every pinned file. With `verify`, each found file is hashed (the files are small, ~100 KB in
 * all). A root holding a modified copy does not hide a verified copy in a later root.
 */
export function referenceStatus(locations: ReferenceLocations, options: { verify?: boolean; files?: readonly ReferenceFile[] } = {}): ReferenceFileStatus[] {
  const roots = referenceRoots(locations);
  return (options.files ?? REFERENCE_FILES).map((file) => {
    const url = referenceFileUrl(file);
    const present = roots.map((root) => join(root, file.local)).filter((p) => existsSync(p));
    if (present.length === 0) return { local: file.local, state: 'missing', url };
    if (!options.verify) return { local: file.local, state: 'found', path: present[0], url };
    const verified = present.find((p) => sha256(readFileSync(p)) === file.sha256);
    return verified !== undefined
      ? { local: file.local, state: 'verified', path: verified, url }
      : { local: file.local, state: 'modified', path: present[0], url };
  });
}

/** The folder of the official URIAL prompts when its default file is verified there (for English URIAL). */
export function verifiedUrialDir(locations: ReferenceLocations): string | undefined {
  const status = referenceStatus(locations, { verify: true, files: REFERENCE_FILES.filter((f) => f.local === 'urial_prompts/inst_1k_v4.txt') })[0];
  return status?.state === 'verified' && status.path ? dirname(status.path) : undefined;
}

export interface FetchOptions {
  /** Destination root, normally `defaultReferenceDir(dataDir)`. */
  destDir: string;
  /** Raw-file host; tests pass a loopback server. */
  baseUrl?: string;
  files?: readonly ReferenceFile[];
  fetch?: typeof fetch;
  onFile?: (result: FetchResult, index: number, total: number) => void;
  signal?: AbortSignal;
}

export interface FetchResult {
  local: string;
  outcome: 'fetched' | 'already-verified' | 'failed';
  error?: string;
}

/**
 * Fetches every pinned file over HTTPS into `destDir`, checking its sha256 before it takes the file's name:
 * each is written to a temporary file beside its destination, verified, then renamed, so a failed or wrong
 * download never replaces a good copy. One file's failure does not stop the others; each result says what
 * happened.
 */
export async function fetchReferenceFiles(options: FetchOptions): Promise<FetchResult[]> {
  const files = options.files ?? REFERENCE_FILES;
  const results: FetchResult[] = [];
  for (const [index, file] of files.entries()) {
    const result = await fetchOne(file, options);
    results.push(result);
    options.onFile?.(result, index, files.length);
  }
  return results;
}

async function fetchOne(file: ReferenceFile, options: FetchOptions): Promise<FetchResult> {
  const dest = join(options.destDir, file.local);
  if (existsSync(dest) && sha256(readFileSync(dest)) === file.sha256) return { local: file.local, outcome: 'already-verified' };
  const url = referenceFileUrl(file, options.baseUrl ?? GITHUB_RAW_BASE);
  try {
    const response = await (options.fetch ?? fetch)(url, { signal: options.signal, redirect: 'follow' });
    if (!response.ok) {
      throw new Error(`${url} answered HTTP ${response.status}${response.status === 404 ? ' (not found: the pinned commit or path may be gone)' : ''}.`);
    }
    const body = Buffer.from(await response.arrayBuffer());
    const actual = sha256(body);
    if (actual !== file.sha256) {
      throw new Error(
        `${url} does not have the pinned content (sha256 ${actual}, expected ${file.sha256}; ${body.length} bytes` +
          `${/^\s*</.test(body.subarray(0, 64).toString('utf8')) ? ', an HTML page' : ''}). Nothing was written.`,
      );
    }
    await mkdir(dirname(dest), { recursive: true });
    const temp = `${dest}.${randomUUID()}.part`;
    try {
      await writeFile(temp, body);
      await rename(temp, dest);
    } finally {
      await rm(temp, { force: true });
    }
    return { local: file.local, outcome: 'fetched' };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { local: file.local, outcome: 'failed', error: message.startsWith(url) ? message : `${url}: ${message}` };
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
