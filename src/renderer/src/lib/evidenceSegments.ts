/**
 * Splits a raw output into plain and highlighted pieces for the annotation view. Evidence spans are character
 * ranges (end exclusive) in the raw output; they may overlap or fall outside the text (clamped). Pure, and it
 * only slices the text: the view renders each piece as text (never as HTML), inside <mark> when highlighted.
 */
export interface EvidenceSpan {
  start: number;
  end: number;
  label: string;
}

export interface Segment {
  text: string;
  /** Labels whose evidence covers this piece, sorted; empty = plain text. */
  labels: string[];
}

export function evidenceSegments(text: string, spans: readonly EvidenceSpan[]): Segment[] {
  const clamp = (n: number) => Math.max(0, Math.min(text.length, Math.floor(n)));
  const valid = spans.map((s) => ({ start: clamp(s.start), end: clamp(s.end), label: s.label })).filter((s) => s.end > s.start);
  const cuts = [...new Set([0, text.length, ...valid.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [from, to] = [cuts[i]!, cuts[i + 1]!];
    const labels = [...new Set(valid.filter((s) => s.start <= from && s.end >= to).map((s) => s.label))].sort();
    const last = out[out.length - 1];
    // Neighbours with the same highlight merge, so one span is one <mark>.
    if (last && last.labels.join() === labels.join()) last.text += text.slice(from, to);
    else out.push({ text: text.slice(from, to), labels });
  }
  return out;
}
