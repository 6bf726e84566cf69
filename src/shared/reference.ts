/** The official third-party files (URIAL prompts, Just-Eval judge templates): where they are and their state. */

/** found: present, not hashed; verified: sha256 as pinned; modified: present with other bytes; missing. */
export type ReferenceFileState = 'found' | 'verified' | 'modified' | 'missing';

export interface ReferenceFileInfo {
  /** Path under a reference folder (urial_prompts/…, just_eval/…). */
  local: string;
  state: ReferenceFileState;
  /** Where it was found (absent when missing). */
  path?: string;
  /** The pinned GitHub URL it is fetched from. */
  url: string;
}

export interface ReferenceStatus {
  /** The folders searched, first match wins: the setting, ALIGN_REFERENCE_DIR, then `downloadDir`. */
  roots: string[];
  /** Where "Download the official files" puts them (`<data folder>/reference`). */
  downloadDir: string;
  files: ReferenceFileInfo[];
  /** The folder English URIAL takes `inst_1k_v4.txt` from, or null when none is usable. */
  urialDir: string | null;
}

export interface ReferenceFetchProgress {
  local: string;
  outcome: 'fetched' | 'already-verified' | 'failed';
  error?: string;
  /** 0-based position and count, for a progress bar. */
  index: number;
  total: number;
}

export interface ReferenceFetchResult {
  results: ReferenceFetchProgress[];
  failed: number;
  status: ReferenceStatus;
}
