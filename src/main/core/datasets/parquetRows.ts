/**
 * Parquet files (Hugging Face's own format for most datasets) → rows, through hyparquet (pure JS, no native code).
 * A row's "line" is its 1-based row number: errors then read `file.parquet:312`, as for the text formats.
 */
import { readFileSync } from 'node:fs';
import { parquetReadObjects } from 'hyparquet';
import { DatasetError } from './DatasetError';
import type { SourceRow } from './SourceRow';

export async function readParquetRows(file: string): Promise<SourceRow[]> {
  const bytes = readFileSync(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  let objects: Record<string, unknown>[];
  try {
    objects = await parquetReadObjects({ file: buffer });
  } catch (err) {
    throw new DatasetError({
      file,
      problem: `not a readable Parquet file (${err instanceof Error ? err.message : String(err)})`,
      fix: 'Download the file again, or use the dataset\'s JSONL, JSON or CSV file.',
    });
  }
  return objects.map((value, index) => ({ value: plain(value), line: index + 1, index }));
}

/**
 * Parquet values as JSON would hold them: 64-bit integers (BigInt) become numbers when exact, else strings;
 * dates become ISO strings; byte arrays become text. Rows are stored and sent as JSON, which has none of these.
 */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}
