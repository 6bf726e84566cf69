import type { Generation, Item, RunConfig, RunStatus } from '../../../shared/domain';

/** What the run queue needs from storage. The SQLite store implements it; tests may use it directly. */
export interface RunStorePort {
  getRun(runId: number): { id: number; config: RunConfig | null; status: RunStatus; total: number } | undefined;
  /** The run's frozen item list, in order. */
  plannedItems(runId: number): Item[];
  /** Items that need no more work. */
  finishedItemIds(runId: number): Set<string>;
  modelPath(modelId: number): string;
  /** Commits one finished generation; returns its id. */
  saveGeneration(generation: FinishedGeneration): number;
  setStatus(runId: number, status: RunStatus, error?: string | null): void;
  recordEnvironment(runId: number, environment: Record<string, string>): void;
}

/** A generation as the queue hands it to storage (the store assigns id and time). */
export type FinishedGeneration = Omit<Generation, 'id' | 'createdAt'>;
