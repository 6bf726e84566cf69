/**
 * Which welcome steps are done: from the backend's counts at load (`app.firstRun`), raised by what the app has
 * seen since (a model added, a run finished, a generation opened), so a step ticks without reloading.
 */
import type { WorkbenchProgress } from '../../../shared/app';

export interface WelcomeSteps {
  model: boolean;
  dataset: boolean;
  run: boolean;
  read: boolean;
}

export interface LiveProgress {
  models: number;
  datasets: number;
  finishedRuns: number;
  /** A generation was opened in the reader during this session. */
  opened: boolean;
}

export function welcomeSteps(stored: WorkbenchProgress | null, live: LiveProgress): WelcomeSteps {
  const s = stored ?? { models: 0, datasets: 0, finishedRuns: 0, annotations: 0, judgeCalls: 0 };
  return {
    model: Math.max(s.models, live.models) > 0,
    dataset: Math.max(s.datasets, live.datasets) > 0,
    run: Math.max(s.finishedRuns, live.finishedRuns) > 0,
    read: live.opened || s.annotations > 0 || s.judgeCalls > 0,
  };
}
