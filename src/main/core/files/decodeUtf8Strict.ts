/**
 * Strict decoding of user text files. `readFileSync(file, 'utf8')` silently turns invalid bytes into U+FFFD,
 * which would then be stored and sent to models as if the researcher had written it; a file in another
 * encoding must be refused, with the place of the first bad byte so it can be found in an editor.
 */

/** Byte-order marks of the encodings people actually save text in. UTF-32 LE first: its BOM starts like UTF-16 LE's. */
import { InputError } from '../../../shared/errors';

const FOREIGN_BOMS: ReadonlyArray<{ name: string; bytes: readonly number[] }> = [
  { name: 'UTF-32 LE', bytes: [0xff, 0xfe, 0x00, 0x00] },
  { name: 'UTF-32 BE', bytes: [0x00, 0x00, 0xfe, 0xff] },
  { name: 'UTF-16 LE', bytes: [0xff, 0xfe] },
  { name: 'UTF-16 BE', bytes: [0xfe, 0xff] },
];

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export const RESAVE_AS_UTF8 = 'Re-save the file as UTF-8 (in most editors: Save As, Encoding "UTF-8").';

/** Why a file is not UTF-8: `line`/`column` (1-based, column in characters) are null for a foreign BOM. */
export class NotUtf8Error extends InputError {
  override readonly name = 'NotUtf8Error';
  constructor(
    /** What is wrong, without the place, e.g. `the file is encoded as UTF-16 LE, not UTF-8`. */
    readonly problem: string,
    readonly line: number | null,
    readonly column: number | null,
  ) {
    super(line === null ? problem : `line ${line}, column ${column}: ${problem}`);
  }
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when it is invalid (the WHATWG decoder's rules). */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i] as number;
  if (b < 0x80) return 1;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) lo = 0xa0; // overlong
    if (b === 0xed) hi = 0x9f; // UTF-16 surrogates
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) lo = 0x90; // overlong
    if (b === 0xf4) hi = 0x8f; // above U+10FFFF
  } else return 0;
  for (let k = 1; k <= need; k++) {
    const c = bytes[i + k];
    if (c === undefined) return 0;
    const [min, max] = k === 1 ? [lo, hi] : [0x80, 0xbf];
    if (c < min || c > max) return 0;
  }
  return need + 1;
}

function firstInvalidOffset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i);
    if (n === 0) return i;
    i += n;
  }
  return -1;
}

/**
 * Decodes UTF-8 (a leading UTF-8 BOM is dropped) or throws `NotUtf8Error` naming a UTF-16/32 BOM, or the
 * line and column of the first invalid byte.
 */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  const foreign = FOREIGN_BOMS.find((bom) => startsWith(bytes, bom.bytes));
  if (foreign) throw new NotUtf8Error(`the file is encoded as ${foreign.name}, not UTF-8`, null, null);
  const body = startsWith(bytes, UTF8_BOM) ? bytes.subarray(UTF8_BOM.length) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const offset = firstInvalidOffset(body);
    const lineStart = body.lastIndexOf(0x0a, offset - 1) + 1;
    let line = 1;
    for (let i = 0; i < lineStart; i++) if (body[i] === 0x0a) line++;
    // Everything before the bad byte is valid, so it decodes; the column counts characters, as editors do.
    const column = [...new TextDecoder('utf-8').decode(body.subarray(lineStart, offset))].length + 1;
    const shown = (body[offset] as number).toString(16).toUpperCase().padStart(2, '0');
    throw new NotUtf8Error(`the file is not valid UTF-8 (byte 0x${shown})`, line, column);
  }
}
