import type { RunStatus } from '../../../shared/domain';
import type { AspectScore, JudgeTarget, NewJudgeCall, StoredCall } from '../../../shared/judgeCalls';
import type { JudgeRunConfig, RubricInfo } from '../../../shared/judging';

/** What a judge run needs from storage. The SQLite store implements it (services/judging/judgeRunStorePort.ts). */
export interface JudgeRunStorePort {
  getJudgeRun(judgeRunId: number): { id: number; config: JudgeRunConfig; judgeIdentity: string } | undefined;
  rubric(version: string): RubricInfo | undefined;
  /** The generations of these runs that have an output to judge. */
  targets(runIds: readonly number[]): JudgeTarget[];
  /** The calls this judge already made on the runs' generations, by `judgeCallKey`. */
  existingCalls(judgeIdentity: string, runIds: readonly number[]): Map<string, StoredCall>;
  /** Commits one call and its aspect scores in one transaction, replacing a stored call that got no reply. */
  saveCall(call: NewJudgeCall, scores: readonly AspectScore[]): void;
  setTotal(judgeRunId: number, total: number): void;
  setStatus(judgeRunId: number, status: RunStatus, error?: string | null): void;
  recordEnvironment(judgeRunId: number, environment: Record<string, string>): void;
}
