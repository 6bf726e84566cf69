/**
 * DPO preference pairs from judged (and annotated) generations, in the format TRL's DPOTrainer reads
 * ({prompt, chosen, rejected}, one JSON object per line), plus a `metadata` object saying where each side came
 * from and why it was picked.
 */

import { CRITICAL_LABELS } from '../../../shared/detection';

/** The study's critical errors (DESIGN §1): an answer with one of them is the preferred "rejected" example. */
export const REJECT_LABELS = ['infinite-loop', 'wrong-language', 'code-leak'] as const;

/**
 * Labels that keep an answer from being "chosen": every critical-error label except "truncated". Truncation is the
 * run's token budget, not a failure mode of the model (a tiny budget truncates every answer); a truncated answer
 * stays eligible, and its labels are listed in the pair's metadata so a user can drop such pairs.
 */
export const DISQUALIFYING_LABELS: readonly string[] = CRITICAL_LABELS.filter((l) => l !== 'truncated');

export interface DpoCandidate {
  generationId: number;
  runId: number;
  itemId: string;
  lang: string;
  instruction: string;
  output: string;
  /** Mean aspect score (N/A policy applied); null when the judge scored nothing. */
  score: number | null;
  /** Critical-error labels from detector findings and/or human annotation, with where each came from. */
  labels: readonly { label: string; source: 'detector' | 'human' }[];
}

export interface DpoSide {
  generation_id: number;
  run_id: number;
  score: number | null;
  /** Critical-error labels of the answer, "label (detector|human)". */
  labels: string[];
  reason: string;
}

export interface DpoPair {
  prompt: string;
  chosen: string;
  rejected: string;
  metadata: { item_id: string; lang: string; chosen: DpoSide; rejected: DpoSide };
}

const labelsOf = (c: DpoCandidate) => c.labels.map((l) => `${l.label} (${l.source})`);
const fmt = (score: number | null) => (score === null ? 'unscored' : score.toFixed(2));
/** Lower score first (unscored lowest), then the older generation: a deterministic pick. */
const worstFirst = (a: DpoCandidate, b: DpoCandidate) => (a.score ?? -Infinity) - (b.score ?? -Infinity) || a.generationId - b.generationId;

/**
 * One pair per item × language, over all candidates of that item and language (across runs):
 * - chosen: the highest mean aspect score among answers with no disqualifying label (ties: oldest);
 * - rejected: an answer with a looping / wrong-language / code-leak label (the lowest-scored one), else the
 *   lowest-scored answer scoring strictly below the chosen one;
 * - items with no such distinct pair are skipped, and the two texts are never equal (compared trimmed).
 * Pairs come in language, item id order.
 */
export function dpoPairs(candidates: readonly DpoCandidate[]): DpoPair[] {
  const byItem = new Map<string, DpoCandidate[]>();
  for (const c of candidates) {
    const key = JSON.stringify([c.lang, c.itemId]);
    byItem.set(key, [...(byItem.get(key) ?? []), c]);
  }
  const pairs: DpoPair[] = [];
  for (const key of [...byItem.keys()].sort()) {
    const group = byItem.get(key)!;
    const chosen = group
      .filter((c) => !c.labels.some((l) => DISQUALIFYING_LABELS.includes(l.label)) && c.score !== null && c.output.trim() !== '')
      .sort((a, b) => b.score! - a.score! || a.generationId - b.generationId)[0];
    if (!chosen) continue;
    const differs = (c: DpoCandidate) => c.generationId !== chosen.generationId && c.output.trim() !== chosen.output.trim();
    const critical = group.filter((c) => differs(c) && c.labels.some((l) => (REJECT_LABELS as readonly string[]).includes(l.label))).sort(worstFirst)[0];
    const lower = group.filter((c) => differs(c) && c.score !== null && c.score < chosen.score!).sort(worstFirst)[0];
    const rejected = critical ?? lower;
    if (!rejected) continue;
    const why = critical
      ? `critical error: ${rejected.labels
          .filter((l) => (REJECT_LABELS as readonly string[]).includes(l.label))
          .map((l) => `${l.label} (${l.source})`)
          .join(', ')}`
      : `lowest mean aspect score (${fmt(rejected.score)} < ${fmt(chosen.score)})`;
    pairs.push({
      prompt: chosen.instruction,
      chosen: chosen.output,
      rejected: rejected.output,
      metadata: {
        item_id: chosen.itemId,
        lang: chosen.lang,
        chosen: {
          generation_id: chosen.generationId,
          run_id: chosen.runId,
          score: chosen.score,
          labels: labelsOf(chosen),
          reason: `highest mean aspect score (${fmt(chosen.score)}) among answers without loop, code, wrong-language, empty or other errors`,
        },
        rejected: { generation_id: rejected.generationId, run_id: rejected.runId, score: rejected.score, labels: labelsOf(rejected), reason: why },
      },
    });
  }
  return pairs;
}
