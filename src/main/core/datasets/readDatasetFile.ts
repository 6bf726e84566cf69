import type { Item } from '../../../shared/domain';
import { buildItems, type FieldMapping } from './buildItems';
import { DatasetError } from './DatasetError';
import { loadSourceTable, readSourceTable, readText, resolveFormat, type DatasetFormat, type SourceTable } from './sourceRows';

export interface ReadDatasetOptions {
  /** Overrides the format given by the extension (.jsonl/.ndjson, .json, .csv/.tsv). */
  format?: DatasetFormat;
  mapping?: FieldMapping;
  /** CSV only. Default ',' (or tab for .tsv). */
  delimiter?: string;
}

export interface DatasetFileContent {
  format: DatasetFormat;
  items: Item[];
}

/**
 * Reads a whole dataset file into items, or throws a `DatasetError` on the first problem: nothing is
 * returned for a partly valid file, so a caller that stores the result never stores half a dataset.
 * Any format, Parquet included.
 */
export async function loadDatasetFile(path: string, options: ReadDatasetOptions = {}): Promise<DatasetFileContent> {
  const { format, delimiter } = resolveFormat(path, options);
  return contentOf(path, await loadSourceTable(path, format, delimiter), options);
}

/** The same for the text formats (JSONL, JSON, CSV), synchronously. */
export function readDatasetFile(path: string, options: ReadDatasetOptions = {}): DatasetFileContent {
  const { format, delimiter } = resolveFormat(path, options);
  if (format === 'parquet') throw new DatasetError({ file: path, problem: 'a Parquet file is binary', fix: 'Read it with loadDatasetFile.' });
  return contentOf(path, readSourceTable(path, readText(path), format, delimiter), options);
}

function contentOf(path: string, table: SourceTable, options: ReadDatasetOptions): DatasetFileContent {
  return { format: table.format, items: buildItems(path, table, { mapping: options.mapping }).map((r) => r.item) };
}
