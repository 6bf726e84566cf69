/**
 * Format layer: turns the text of a JSONL / JSON / CSV file into rows, each tagged with the source line it
 * starts on. Nothing here knows about items; `buildItems.ts` does the field checks on these rows.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseCsvSync } from 'csv-parse/sync';
import { decodeUtf8Strict, NotUtf8Error, RESAVE_AS_UTF8 } from '../files/decodeUtf8Strict';
import { DatasetError } from './DatasetError';

export const DATASET_FORMATS = ['jsonl', 'json', 'csv'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export interface SourceRow {
  /** The parsed row: an object for valid files, anything for JSON(L) (checked later). */
  value: unknown;
  /** 1-based line on which the row starts. */
  line: number;
  /** 0-based position among the data rows (blank lines and the CSV header excluded). */
  index: number;
}

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

// ─── JSON ───────────────────────────────────────────────────────────────────────────────────────

/**
 * JSON.parse itself handles any nesting, but the row is later serialised (store, IPC, HTTP) by the recursive
 * JSON.stringify, which overflows the stack near 5,000 levels with no file or line. No dataset needs more
 * than a few levels, so a generous limit is checked here, where the line is still known.
 */
export const MAX_JSON_DEPTH = 100;

/** Nesting depth of a parsed JSON value (a scalar is 0), walked with an explicit stack; stops past `limit`. */
function jsonDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop() as { v: unknown; d: number };
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > limit) return max;
    for (const child of Object.values(v)) stack.push({ v: child, d: depth });
  }
  return max;
}

function checkDepth(file: string, line: number, value: unknown): void {
  if (jsonDepth(value, MAX_JSON_DEPTH) <= MAX_JSON_DEPTH) return;
  throw new DatasetError({
    file,
    line,
    problem: `the row is nested more than ${MAX_JSON_DEPTH} levels deep`,
    fix: 'Flatten the deeply nested field or remove it from the row.',
  });
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * V8 reports JSON errors as "… at position N" (Node 22+ adds "(line L column C)"). A character offset means
 * little to a person, so it is turned into a column on the line we already name in the error.
 */
function describeJsonError(err: unknown, text: string, lineStartOffset: number): { message: string; offset: number | null } {
  const raw = err instanceof Error ? err.message : String(err);
  const m = / (?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?/.exec(raw);
  if (!m) return { message: raw, offset: null };
  const offset = Number(m[1]);
  const absolute = lineStartOffset + offset;
  const lineStart = text.lastIndexOf('\n', absolute - 1) + 1;
  const column = absolute - lineStart + 1;
  return { message: raw.replace(m[0], ` at column ${column}`), offset: absolute };
}

function parseJsonl(file: string, text: string): SourceRow[] {
  const rows: SourceRow[] = [];
  let offset = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineText = (lines[i] as string).replace(/\r$/, '');
    const lineStart = offset;
    offset += (lines[i] as string).length + 1;
    if (lineText.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (err) {
      const { message } = describeJsonError(err, text, lineStart);
      // A pretty-printed JSON array saved as .jsonl fails on its first line with a baffling message.
      const looksLikeArray = rows.length === 0 && lineText.trim().startsWith('[');
      throw new DatasetError({
        file,
        line: i + 1,
        problem: `invalid JSON (${message})`,
        fix: looksLikeArray
          ? `This looks like a JSON array rather than JSON Lines: rename the file to .json or pass format 'json'.`
          : 'Each line must hold one complete JSON object. Fix the line or remove it.',
      });
    }
    checkDepth(file, i + 1, value);
    rows.push({ value, line: i + 1, index: rows.length });
  }
  return rows;
}

/**
 * Line on which each element of a top-level JSON array starts. Runs only on text JSON.parse has accepted,
 * so it need not handle malformed input: it tracks strings (for brackets inside them) and nesting depth.
 */
function arrayElementLines(text: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (depth === 1 && expectValue && c !== ']') {
      starts.push(line);
      expectValue = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expectValue = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectValue = true;
  }
  return starts;
}

function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function parseJsonArray(file: string, text: string): SourceRow[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const { message, offset } = describeJsonError(err, text, 0);
    const line = offset === null ? lineOfOffset(text, text.trimEnd().length) : lineOfOffset(text, offset);
    // One object per line is the commonest mix-up with .json; say so instead of "unexpected character".
    const firstLine = text.trimStart().split('\n')[0] ?? '';
    let looksLikeJsonl = false;
    try {
      const first: unknown = JSON.parse(firstLine);
      looksLikeJsonl = typeof first === 'object' && first !== null && !Array.isArray(first);
    } catch {
      looksLikeJsonl = false;
    }
    throw new DatasetError({
      file,
      line,
      problem: `invalid JSON (${message})`,
      fix: looksLikeJsonl
        ? `The file holds one JSON object per line: rename it to .jsonl or pass format 'jsonl'.`
        : 'Fix the JSON at this line (a JSON file must be a single array of objects).',
    });
  }
  if (!Array.isArray(value)) {
    let hint = '';
    if (typeof value === 'object' && value !== null) {
      const arrayKeys = Object.entries(value).filter(([, v]) => Array.isArray(v)).map(([k]) => `"${k}"`);
      if (arrayKeys.length > 0) hint = ` It has an array under ${arrayKeys.join(', ')}: save that array alone as the file.`;
    }
    throw new DatasetError({
      file,
      line: lineOfOffset(text, text.length - text.trimStart().length),
      problem: `the top-level JSON value is ${jsonTypeName(value)}, not an array of objects`,
      fix: `A .json dataset must be an array like [{"id": …, "instruction": …}, …].${hint}`,
    });
  }
  if (value.length === 0) {
    throw new DatasetError({
      file,
      line: null,
      problem: 'the JSON array is empty',
      fix: 'Choose the right file, or add at least one object.',
    });
  }
  const lines = arrayElementLines(text);
  return value.map((v: unknown, index) => {
    const line = lines[index] ?? 1;
    checkDepth(file, line, v);
    return { value: v, line, index };
  });
}

// ─── CSV ────────────────────────────────────────────────────────────────────────────────────────

const DELIMITER_CANDIDATES = [',', ';', '\t', '|'];

function showDelimiter(d: string): string {
  return d === '\t' ? `'\\t' (tab)` : `'${d}'`;
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

interface CsvErrorLike {
  code?: string;
  lines?: number;
  records?: number;
  message: string;
}

/**
 * csv-parse reports where parsing stopped, which for an unclosed quote is the end of the file. The row to
 * fix starts on the first non-empty line after the last record it did accept.
 */
function failingRecordLine(text: string, delimiter: string, goodRecords: number): number | null {
  let afterLine = 0;
  if (goodRecords > 0) {
    try {
      const ok = parseCsvSync(text, {
        bom: true,
        delimiter,
        info: true,
        to: goodRecords,
        relax_quotes: true,
        skip_empty_lines: true,
      }) as unknown as CsvRecordWithInfo[];
      afterLine = ok.at(-1)?.info.lines ?? 0;
    } catch {
      return null;
    }
  }
  const lines = text.split('\n');
  for (let i = afterLine; i < lines.length; i++) if ((lines[i] as string).replace(/\r$/, '') !== '') return i + 1;
  return null;
}

function csvSyntaxError(file: string, text: string, delimiter: string, err: unknown): DatasetError {
  if (err instanceof DatasetError) return err;
  const e = err as CsvErrorLike;
  const reported = typeof e.lines === 'number' ? e.lines : null;
  const recordStart = (): number | null =>
    (typeof e.records === 'number' ? failingRecordLine(text, delimiter, e.records) : null) ?? reported;
  switch (e.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
      return new DatasetError({
        file,
        line: recordStart(),
        problem: `the row does not have as many fields as the header (${e.message})`,
        fix: 'A field containing the delimiter, a double quote or a line break must be wrapped in double quotes. Fix the row or remove it.',
      });
    case 'CSV_QUOTE_NOT_CLOSED':
      return new DatasetError({
        file,
        line: recordStart(),
        problem: `a quoted field opened in this row is never closed (${e.message})`,
        fix: 'Add the missing closing double quote.',
      });
    default:
      return new DatasetError({
        file,
        line: reported,
        problem: `CSV syntax error (${e.message})`,
        fix: 'Inside a quoted field, write a double quote as two double quotes (""). Fix the row or remove it.',
      });
  }
}

/**
 * A file split on the wrong delimiter comes out as one column whose name still contains the real
 * delimiter. Checked before the full parse because the data rows would otherwise fail first with a
 * confusing "wrong number of fields".
 */
function checkDelimiter(file: string, text: string, delimiter: string): void {
  let header: string[] | null = null;
  let headerError: unknown = null;
  try {
    const parsed = parseCsvSync(text, { bom: true, delimiter, to: 1, relax_column_count: true }) as string[][];
    header = parsed[0] ?? null;
  } catch (err) {
    headerError = err;
  }
  if (header && header.length > 1) return;
  const firstLine = (text.split('\n')[0] ?? '').replace(/\r$/, '');
  let best: { d: string; n: number } | null = null;
  for (const d of DELIMITER_CANDIDATES) {
    if (d === delimiter) continue;
    const n = count(firstLine, d);
    if (n > 0 && (best === null || n > best.n)) best = { d, n };
  }
  if (best && count(firstLine, delimiter) === 0) {
    const shown = firstLine.length > 80 ? `${firstLine.slice(0, 77)}...` : firstLine;
    throw new DatasetError({
      file,
      line: 1,
      problem:
        `the header is a single column "${shown}" with delimiter ${showDelimiter(delimiter)}: ` +
        `it looks like ${showDelimiter(best.d)}-delimited`,
      fix: `Pass delimiter ${showDelimiter(best.d)}.`,
    });
  }
  if (headerError) throw csvSyntaxError(file, text, delimiter, headerError);
}

interface CsvRecordWithInfo {
  record: string[];
  raw: string;
  info: { lines: number };
}

function parseCsv(file: string, text: string, delimiter: string): { rows: SourceRow[]; columns: string[] } {
  checkDelimiter(file, text, delimiter);
  let records: CsvRecordWithInfo[];
  try {
    records = parseCsvSync(text, {
      bom: true,
      delimiter,
      info: true,
      raw: true,
      skip_empty_lines: true,
      // A stray quote inside an unquoted field (`say "hi"`) is plain text in hand-written files, not an error.
      relax_quotes: true,
    }) as unknown as CsvRecordWithInfo[];
  } catch (err) {
    throw csvSyntaxError(file, text, delimiter, err);
  }
  const [header, ...data] = records;
  if (!header) {
    throw new DatasetError({
      file,
      problem: 'the file is empty',
      fix: 'Choose the right file, or add a header and at least one row.',
    });
  }
  const headerLine = recordStartLine(header);
  const columns = header.record.map((c) => c.trim());
  const seen = new Map<string, number>();
  columns.forEach((name, i) => {
    if (name === '') {
      throw new DatasetError({
        file,
        line: headerLine,
        problem: `column ${i + 1} of the header has no name`,
        fix: 'Name the column, or delete it if it is empty.',
      });
    }
    const previous = seen.get(name);
    if (previous !== undefined) {
      throw new DatasetError({
        file,
        line: headerLine,
        field: name,
        problem: `the header names column "${name}" twice (columns ${previous + 1} and ${i + 1})`,
        fix: 'Rename or remove one of the two columns.',
      });
    }
    seen.set(name, i);
  });
  if (data.length === 0) {
    throw new DatasetError({
      file,
      line: headerLine,
      problem: 'the file has a header but no rows',
      fix: 'Choose the right file, or add at least one row.',
    });
  }
  const rows = data.map((r, index): SourceRow => {
    const value: Record<string, string> = {};
    columns.forEach((name, i) => {
      value[name] = r.record[i] ?? '';
    });
    return { value, line: recordStartLine(r), index };
  });
  return { rows, columns };
}

/**
 * csv-parse reports `info.lines` as the line the record *ends* on, which is wrong for quoted multi-line
 * fields. The raw text of the record gives the number of line breaks it spans; it also carries the empty
 * lines skipped before it and its own record delimiter, which must not be counted.
 */
function recordStartLine(r: CsvRecordWithInfo): number {
  const body = r.raw.replace(/^(?:\r?\n|\r)+/, '').replace(/(?:\r?\n|\r)$/, '');
  return r.info.lines - count(body, '\n');
}
