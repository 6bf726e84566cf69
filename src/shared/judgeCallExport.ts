/** A stored judge call as `judgements export` reads it (store → core exporters). Types only. */
import type { Aspect, JudgeCallRecord, Score } from './judging';
import type { NaKind } from './naKinds';

/** A judge call with the item and output it judged and its aspect scores (naKind null when scored). */
export type ExportedJudgeCall = JudgeCallRecord & {
  itemId: string;
  instruction: string;
  output: string;
  generator: string | null;
  scores: { aspect: Aspect; score: Score | null; rationale: string | null; naKind: NaKind | null }[];
};
