import type { Item } from '../../../shared/domain';
import { buildItems, type FieldMapping } from './buildItems';
import { readSourceTable, readText, resolveFormat, type DatasetFormat } from './sourceRows';

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
 */
export function readDatasetFile(path: string, options: ReadDatasetOptions = {}): DatasetFileContent {
  const { format, delimiter } = resolveFormat(path, options);
  const table = readSourceTable(path, readText(path), format, delimiter);
  const items = buildItems(path, table, { mapping: options.mapping }).map((r) => r.item);
  return { format, items };
}
