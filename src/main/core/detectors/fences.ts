/**
 * Fenced regions of a raw answer. A raw URIAL output starts INSIDE the answer fence (the prompt opens
 * "```" and the model writes the answer, then closes it), so the first fence of such an output closes
 * rather than opens: counting parity from the start would turn the answer into "code" and whatever
 * follows the closing fence into prose. We recognise that case from the text itself (imported outputs
 * do not say how they were prompted): the fences are odd in number, text follows the last one, the first is
 * bare (no language tag) and everything before it is non-code prose. An odd count ending with a lone fence is
 * the ordinary URIAL ending (the answer's closer after the model's own blocks).
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
  const odd = fenceIdx.length % 2 === 1;
  const last = fenceIdx[fenceIdx.length - 1];
  // Odd with nothing after the last fence: that one is URIAL's closer ("…\n```" then the stop); pair the rest.
  const trailingCloser = odd && last !== undefined && lines.slice(last + 1).every((l) => l.text.trim() === '');
  const first = fenceIdx[0];
  const before = first === undefined ? [] : lines.slice(0, first).filter((l) => l.text.trim() !== '');
  // Odd, text after the last fence, and prose before a bare first fence: the first fence closed the answer.
  const startedInside =
    odd && !trailingCloser && FENCE.exec(lines[first!]!.text)![1] === '' && before.length > 0 && !before.some((l) => isCodeLine(l.text));
  const pairs = fenceIdx.slice(startedInside ? 1 : 0, trailingCloser ? -1 : undefined);
  const blocks: FencedBlock[] = [];
  for (let k = 0; k < pairs.length; k += 2) {
    const open = pairs[k]!;
    const close = pairs[k + 1] ?? lines.length;
    blocks.push({ open, close, tag: (FENCE.exec(lines[open]!.text)![1] ?? '').toLowerCase() });
    for (let i = open; i < close; i++) fenced.add(i);
  }
  return { blocks, fenced, fences: fenceIdx.length, startedInside };
}
