/** Datasets as the UI sees them. */
import type { Lang } from './domain';

export interface DatasetInfo {
  id: number;
  name: string;
  lang: Lang;
  format: string;
  itemCount: number;
  parallelGroup: string | null;
  sourcePath: string;
  createdAt: string;
  categories: string[];
  taskTypes: string[];
}

export interface DatasetPreview {
  format: string;
  itemCount: number;
  /** The first items as they would be imported. */
  items: { id: string; instruction: string; category?: string; taskTypes?: string[] }[];
}

/** A dataset file being fetched by `datasets.download`, then imported. */
export interface DatasetDownloadProgress {
  uri: string;
  stage: 'downloading' | 'importing';
  receivedBytes: number;
  /** Null when the server does not say. */
  totalBytes: number | null;
}

/** A dataset of the reference study, fetched with one click (UI) or `align datasets download <uri>`. */
export interface PaperDataset {
  uri: string;
  lang: Lang;
  name: string;
  label: string;
}

/**
 * Just-Eval-Instruct in the study's three languages. Items share ids across languages, so each is linked to the
 * others already imported as parallel items. English: the Hugging Face dataset's default config, split `test`.
 */
export const PAPER_DATASETS: readonly PaperDataset[] = [
  { uri: 'hf:re-align/just-eval-instruct/test_all_with_tags.jsonl', lang: 'en', name: 'just-eval-instruct-en', label: 'Just-Eval-Instruct (English)' },
  { uri: 'hf:Vicomtech/just-eval-instruct-fr/data/instructions.jsonl', lang: 'fr', name: 'just-eval-instruct-fr', label: 'Just-Eval-Instruct (French)' },
  { uri: 'hf:Vicomtech/just-eval-instruct-es/data/instructions.jsonl', lang: 'es', name: 'just-eval-instruct-es', label: 'Just-Eval-Instruct (Spanish)' },
];
