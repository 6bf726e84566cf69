/**
 * Python's `json.dump(value, f, indent=2)` text (ensure_ascii: every non-ASCII character as \uXXXX, surrogate
 * pairs included; ", " never trails a line; "[]" / "{}" for empty containers), so a file we write in just-eval's
 * format is byte for byte what just-eval would have written. Integers only: a float would print differently
 * (Python writes 5.0), and just-eval's judge and to_eval files hold none.
 */
export function pythonJsonDump(value: unknown, indent = 2): string {
  return dump(value, indent, 0);
}

function dump(value: unknown, indent: number, depth: number): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`pythonJsonDump: ${value} is not an integer (Python would print floats differently).`);
    return String(value);
  }
  if (typeof value === 'string') return asciiString(value);
  const pad = '\n' + ' '.repeat(indent * (depth + 1));
  const close = '\n' + ' '.repeat(indent * depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map((v) => pad + dump(v, indent, depth + 1)).join(',')}${close}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{${entries.map(([k, v]) => `${pad}${asciiString(k)}: ${dump(v, indent, depth + 1)}`).join(',')}${close}}`;
  }
  throw new Error(`pythonJsonDump: cannot write a ${typeof value}.`);
}

function asciiString(s: string): string {
  // JSON.stringify escapes quotes, backslashes and control characters as Python does (\n, \t, \u001f…);
  // Python then also escapes everything above 0x7e, UTF-16 unit by unit.
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
