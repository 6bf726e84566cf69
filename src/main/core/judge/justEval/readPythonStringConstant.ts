import { DatasetError } from '../../datasets/DatasetError';

/**
 * The value of `NAME = <string literal>` in a Python source file, decoded as CPython decodes it: single, double
 * or triple quotes, an optional r/u prefix, backslash escapes (`\` + newline joins lines, `\n`, `\t`, `\xhh`,
 * `\ooo`, `\uXXXX`, `\UXXXXXXXX`; an unknown escape keeps its backslash) and adjacent literals concatenated.
 * Just-Eval's judge templates are such constants (`MULTI_SCORE_TEMPLATE = """\` …); reading them with a real
 * decoder instead of slicing between the quotes is what makes the prompt byte-identical to the reference.
 * Anything else (f-strings, bytes, `\N{…}`, an expression) is refused with the file:line, never guessed.
 */
export function readPythonStringConstant(source: string, name: string, file: string): string {
  const assignment = new RegExp(`^${name}[ \\t]*=[ \\t]*`, 'm').exec(source);
  if (!assignment) throw fail(source, file, 0, `no assignment "${name} = …"`, `Point the reference files at the official Just-Eval template file that defines ${name}.`);
  let at = assignment.index + assignment[0].length;
  const parts: string[] = [];
  const paren = source[at] === '(';
  if (paren) at++;
  for (;;) {
    at = skipBlank(source, at, paren);
    const literal = /^([rRuU]?)('''|"""|'|")/.exec(source.slice(at, at + 4));
    if (!literal) break;
    const [, prefix, quote] = literal as unknown as [string, string, string];
    const end = closingQuote(source, at + literal[0].length, quote, file);
    const body = source.slice(at + literal[0].length, end);
    parts.push(/r/i.test(prefix) ? body : decodeEscapes(body, source, at + literal[0].length, file));
    at = end + quote.length;
  }
  if (parts.length === 0) throw fail(source, file, at, `${name} is not a plain string literal`, 'Use the official, unmodified template file.');
  if (paren) {
    at = skipBlank(source, at, true);
    if (source[at] !== ')') throw fail(source, file, at, `${name}: expected ")" after the string`, 'Use the official, unmodified template file.');
  }
  return parts.join('');
}

/** Spaces and comments; newlines too inside parentheses (implicit line joining). */
function skipBlank(source: string, at: number, newlines: boolean): number {
  for (;;) {
    const c = source[at];
    if (c === ' ' || c === '\t' || (newlines && (c === '\n' || c === '\r'))) at++;
    else if (c === '\\' && source[at + 1] === '\n') at += 2;
    else if (c === '#' && newlines) while (at < source.length && source[at] !== '\n') at++;
    else return at;
  }
}

/** Index of the closing quote; a backslash always escapes the next character (raw strings included, as in Python). */
function closingQuote(source: string, from: number, quote: string, file: string): number {
  for (let i = from; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source.startsWith(quote, i)) return i;
    else if (quote.length === 1 && source[i] === '\n') break;
  }
  throw fail(source, file, from, 'unterminated string literal', 'Use the official, unmodified template file.');
}

const SIMPLE: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function decodeEscapes(body: string, source: string, offset: number, file: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[i + 1] ?? '';
    const hex = (len: number): string => {
      const digits = body.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(digits)) throw fail(source, file, offset + i, `truncated \\${next} escape`, 'Use the official, unmodified template file.');
      i += 1 + len;
      return String.fromCodePoint(parseInt(digits, 16));
    };
    if (next === '\n') i++;
    else if (next === '\r') i += body[i + 2] === '\n' ? 2 : 1;
    else if (next in SIMPLE) (out += SIMPLE[next]), i++;
    else if (next === 'x') out += hex(2);
    else if (next === 'u') out += hex(4);
    else if (next === 'U') out += hex(8);
    else if (/[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      out += String.fromCodePoint(parseInt(digits, 8));
      i += digits.length;
    } else if (next === 'N') throw fail(source, file, offset + i, 'a \\N{…} escape is not supported', 'Use the official, unmodified template file.');
    else out += c; // Python keeps the backslash of an unknown escape ("\d" stays "\d").
  }
  return out;
}

function fail(source: string, file: string, at: number, problem: string, fix: string): DatasetError {
  return new DatasetError({ file, line: source.slice(0, at).split('\n').length, problem, fix });
}
