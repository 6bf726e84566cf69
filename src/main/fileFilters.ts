import type { FileKind } from '../shared/app';

/** The native file dialog's filter per kind of file the renderer asks for (`app.pickFile`). */
export const FILE_FILTERS: Readonly<Record<FileKind, { name: string; extensions: string[] }>> = {
  model: { name: 'GGUF models', extensions: ['gguf'] },
  dataset: { name: 'Datasets', extensions: ['jsonl', 'json', 'csv', 'tsv', 'ndjson', 'parquet'] },
  package: { name: 'Annotation packages', extensions: ['alignpkg'] },
  annotations: { name: 'Returned annotations', extensions: ['alignann'] },
};
