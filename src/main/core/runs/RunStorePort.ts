import type { FinishReason, Item, RunConfig, RunStatus } from '../../../shared/domain';

/** What the run queue needs from storage. The SQLite store implements it; tests may use it directly. */
export interface RunStorePort {
  getRun(runId: number): { id: number; config: RunConfig | null; status: RunStatus; total: number } | undefined;
  /** The run's frozen item list, in order. */
  plannedItems(runId: number): Item[];
  /** Items that need no more work. */
  finishedItemIds(runId: number): Set<string>;
  modelPath(modelId: number): string;
  saveGeneration(generation: FinishedGeneration): void;
  setStatus(runId: number, status: RunStatus, error?: string | null): void;
  recordEnvironment(runId: number, environment: Record<string, string>): void;
}

export interface FinishedGeneration {
  runId: number;
  itemId: string;
  prompt: string;
  outputRaw: string;
  output: string;
  finishReason: FinishReason;
  error: string | null;
  promptTokens: number;
  evaluatedPromptTokens: number;
  outputTokens: number;
  wallMs: number;
  tokensPerSecond: number;
  seed: number;
}
