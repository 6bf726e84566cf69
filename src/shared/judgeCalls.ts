/**
 * What a judge run moves between the judge runner (core/judge) and the store: the generations it judges and
 * the calls it commits. Types only plus the cache key, so both layers share them without importing each other.
 */
import type { Lang } from './domain';
import type { JudgeCallRecord, JudgementRecord } from './judging';
import type { NaKind } from './naKinds';

/** A generation as a judge sees it, with what decides its rubric (category) and judge language (lang). */
export interface JudgeTarget {
  generationId: number;
  instruction: string;
  output: string;
  category: string | null;
  lang: Lang;
}

/** A judge call as the runner hands it over (the store assigns id and time). */
export type NewJudgeCall = Omit<JudgeCallRecord, 'id' | 'createdAt'> & { judgeRunId: number | null };

/**
 * One aspect of a call's verdict; score null = N/A. `naKind` says why when the parser knows it (the judge's own
 * "N/A"); left out, the store derives it from the call: no reply → "no-reply", else "unreadable".
 */
export type AspectScore = Pick<JudgementRecord, 'aspect' | 'score' | 'rationale'> & { naKind?: NaKind };

/** The cache key of a judge call for one judge (UNIQUE key of judge_calls minus the judge). */
export interface CallKey {
  generationId: number;
  rubricVersion: string;
  judgeLang: Lang;
  repeat: number;
}

export const judgeCallKey = (k: CallKey): string => JSON.stringify([k.generationId, k.rubricVersion, k.judgeLang, k.repeat]);

/**
 * What the cache holds for a key: whether the verdict is N/A, and whether the call got no reply at all (server
 * unreachable, errors after the retries): such a call is not a verdict, and the next start makes it again.
 */
export interface StoredCall {
  na: boolean;
  unanswered: boolean;
}
