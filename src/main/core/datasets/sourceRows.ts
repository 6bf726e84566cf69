/**
 * Format layer: turns the text of a JSONL / JSON / CSV file into rows, each tagged with the source line it
 * starts on. Nothing here knows about items; `buildItems.ts` does the field checks on these rows.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { decodeUtf8Strict, NotUtf8Error, RESAVE_AS_UTF8 } from '../files/decodeUtf8Strict';
import { parseCsv } from './csvRows';
import { DatasetError } from './DatasetError';
import type { SourceRow } from './SourceRow';

export type { SourceRow } from './SourceRow';
import { parseJsonArray, parseJsonl } from './jsonRows';

export const DATASET_FORMATS = ['jsonl', 'json', 'csv'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];


export interface SourceTable {
  format: DatasetFormat;
  rows: SourceRow[];
  /** CSV header, in file order. Null for JSON(L), whose fields are whatever keys the rows have. */
  columns: string[] | null;
}

const EXTENSIONS: Record<string, { format: DatasetFormat; delimiter?: string }> = {
  '.jsonl': { format: 'jsonl' },
  '.ndjson': { format: 'jsonl' },
  '.json': { format: 'json' },
  '.csv': { format: 'csv' },
  '.tsv': { format: 'csv', delimiter: '\t' },
};

export function formatFromPath(file: string): { format: DatasetFormat; delimiter?: string } {
  const ext = extname(file).toLowerCase();
  const known = EXTENSIONS[ext];
  if (known) return known;
  if (ext === '.parquet') {
    // No maintained pure-JS Parquet reader is installed yet (hyparquet is the candidate).
    throw new DatasetError({
      file,
      problem: 'Parquet files cannot be read yet',
      fix: `Use the dataset's JSONL, JSON or CSV file, or convert this one (e.g. pandas: pd.read_parquet(f).to_json(out, orient='records', lines=True)).`,
    });
  }
  throw new DatasetError({
    file,
    problem: `cannot tell the format from the extension ${ext ? `"${ext}"` : '(none)'}`,
    fix: `Rename the file to .jsonl, .json or .csv, or pass format 'jsonl', 'json' or 'csv'.`,
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
      fix: `Pass format 'jsonl', 'json' or 'csv'.`,
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

export function readSourceTable(
  file: string,
  text: string,
  format: DatasetFormat,
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
