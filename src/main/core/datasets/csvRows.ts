/** CSV files → rows tagged with the line each record starts on; delimiter and quoting problems named precisely. */
import { parse as parseCsvSync } from 'csv-parse/sync';
import { DatasetError } from './DatasetError';
import type { SourceRow } from './SourceRow';

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

export function parseCsv(file: string, text: string, delimiter: string): { rows: SourceRow[]; columns: string[] } {
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
