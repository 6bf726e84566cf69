/**
 * Format layer: turns a JSONL / JSON / CSV / Parquet file into rows, each tagged with the source line (row, for
 * Parquet) it starts on. Nothing here knows about items; `buildItems.ts` does the field checks on these rows.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { decodeUtf8Strict, NotUtf8Error, RESAVE_AS_UTF8 } from '../files/decodeUtf8Strict';
import { parseCsv } from './csvRows';
import { DatasetError } from './DatasetError';
import type { SourceRow } from './SourceRow';

import { parseJsonArray, parseJsonl } from './jsonRows';
import { readParquetRows } from './parquetRows';

export type { SourceRow } from './SourceRow';

export const DATASET_FORMATS = ['jsonl', 'json', 'csv', 'parquet'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];


export interface SourceTable {
  format: DatasetFormat;
  rows: SourceRow[];
  /** CSV header, in file order. Null for JSON(L) and Parquet, whose fields are whatever keys the rows have. */
  columns: string[] | null;
}

const EXTENSIONS: Record<string, { format: DatasetFormat; delimiter?: string }> = {
  '.jsonl': { format: 'jsonl' },
  '.ndjson': { format: 'jsonl' },
  '.json': { format: 'json' },
  '.csv': { format: 'csv' },
  '.tsv': { format: 'csv', delimiter: '\t' },
  '.parquet': { format: 'parquet' },
};

export function formatFromPath(file: string): { format: DatasetFormat; delimiter?: string } {
  const ext = extname(file).toLowerCase();
  const known = EXTENSIONS[ext];
  if (known) return known;
  throw new DatasetError({
    file,
    problem: `cannot tell the format from the extension ${ext ? `"${ext}"` : '(none)'}`,
    fix: `Rename the file to .jsonl, .json, .csv or .parquet, or pass format 'jsonl', 'json', 'csv' or 'parquet'.`,
  });
}

/** Format from the options, else from the extension; delimiter from the options, else ',' (tab for .tsv). */
export function resolveFormat(
  path: string,
  options: { format?: DatasetFormat; delimiter?: string },
): { format: DatasetFormat; delimiter: string } {
  if (options.format !== undefined && !DATASET_FORMATS.includes(options.format)) {
    throw new DatasetError({
      file: path,
      problem: `unknown format "${String(options.format)}"`,
      fix: `Pass format 'jsonl', 'json', 'csv' or 'parquet'.`,
    });
  }
  if (options.delimiter !== undefined && options.delimiter.length === 0) {
    throw new DatasetError({ file: path, problem: 'the delimiter is empty', fix: `Pass a delimiter such as ',' or ';'.` });
  }
  const fromPath = options.format === undefined ? formatFromPath(path) : null;
  const format = options.format ?? (fromPath as { format: DatasetFormat }).format;
  return { format, delimiter: options.delimiter ?? fromPath?.delimiter ?? ',' };
}

/** Reads a UTF-8 text file strictly (see decodeUtf8Strict) and drops a leading BOM (Excel writes one). */
export function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatasetError({
      file,
      problem: `cannot read the file (${code ?? (err as Error).message})`,
      fix: code === 'ENOENT' ? 'Check the path.' : 'Check the path and the file permissions.',
    });
  }
  try {
    return decodeUtf8Strict(bytes);
  } catch (err) {
    if (!(err instanceof NotUtf8Error)) throw err;
    throw new DatasetError({
      file,
      line: err.line,
      problem: err.column === null ? err.problem : `column ${err.column}: ${err.problem}`,
      fix: RESAVE_AS_UTF8,
    });
  }
}

/** The rows of a text file (JSONL, JSON, CSV); Parquet goes through `loadSourceTable`. */
export function readSourceTable(
  file: string,
  text: string,
  format: Exclude<DatasetFormat, 'parquet'>,
  delimiter: string,
): SourceTable {
  if (text.trim() === '') {
    throw new DatasetError({
      file,
      line: null,
      problem: 'the file is empty',
      fix: 'Choose the right file, or add at least one row.',
    });
  }
  switch (format) {
    case 'jsonl':
      return { format, rows: parseJsonl(file, text), columns: null };
    case 'json':
      return { format, rows: parseJsonArray(file, text), columns: null };
    case 'csv':
      return { format, ...parseCsv(file, text, delimiter) };
  }
}

/** The rows of a file in any format: Parquet is read asynchronously, the text formats as `readSourceTable` reads them. */
export async function loadSourceTable(file: string, format: DatasetFormat, delimiter: string): Promise<SourceTable> {
  if (format === 'parquet') return { format, rows: await readParquetRows(file), columns: null };
  return readSourceTable(file, readText(file), format, delimiter);
}
