/**
 * Fenced regions of a raw answer. A raw URIAL output starts INSIDE the answer fence (the prompt opens
 * "```" and the model writes the answer, then closes it), so the first fence of such an output closes
 * rather than opens: counting parity from the start would turn the answer into "code" and whatever
 * follows the closing fence into prose. We recognise that case from the text itself (imported outputs
 * do not say how they were prompted): the fences are odd in number, the first is bare (no language tag)
 * and everything before it is non-code prose.
 */
import { isCodeLine } from './isCodeLine';

export const FENCE = /^\s*```\s*([\w+#.-]*)\s*$/;

export interface RawLine {
  text: string;
  start: number;
  end: number;
}

export function splitLines(text: string): RawLine[] {
  const lines: RawLine[] = [];
  let start = 0;
  for (const part of text.split('\n')) {
    lines.push({ text: part, start, end: start + part.length });
    start += part.length + 1;
  }
  return lines;
}

export interface FencedBlock {
  /** Line indexes of the opening and closing fence (close = lines.length when unclosed: cut by max tokens). */
  open: number;
  close: number;
  tag: string;
}

export interface FenceLayout {
  blocks: FencedBlock[];
  /** Indexes of fence lines and of the lines inside blocks. */
  fenced: Set<number>;
  fences: number;
  /** The output began inside a fence (URIAL): its first fence closed it. */
  startedInside: boolean;
}

export function fenceLayout(lines: readonly RawLine[]): FenceLayout {
  const fenceIdx = lines.flatMap((l, i) => (FENCE.test(l.text) ? [i] : []));
  const fenced = new Set<number>(fenceIdx);
  const first = fenceIdx[0];
  const before = first === undefined ? [] : lines.slice(0, first).filter((l) => l.text.trim() !== '');
  // Odd: an even count with a bare first fence after prose is the ordinary "Here is the code:\n```".
  const startedInside =
    fenceIdx.length % 2 === 1 &&
    first !== undefined && FENCE.exec(lines[first]!.text)![1] === '' && before.length > 0 && !before.some((l) => isCodeLine(l.text));
  const blocks: FencedBlock[] = [];
  for (let k = startedInside ? 1 : 0; k < fenceIdx.length; k += 2) {
    const open = fenceIdx[k]!;
    const close = fenceIdx[k + 1] ?? lines.length;
    blocks.push({ open, close, tag: (FENCE.exec(lines[open]!.text)![1] ?? '').toLowerCase() });
    for (let i = open; i < close; i++) fenced.add(i);
  }
  return { blocks, fenced, fences: fenceIdx.length, startedInside };
}
