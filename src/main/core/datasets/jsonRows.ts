/** JSONL and JSON-array files → rows tagged with their source line; nesting bounded (see MAX_JSON_DEPTH). */
import { DatasetError } from './DatasetError';
import type { SourceRow } from './SourceRow';

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

export function parseJsonl(file: string, text: string): SourceRow[] {
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

export function parseJsonArray(file: string, text: string): SourceRow[] {
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
