/**
 * The one model slot (core/runs/BackendPool): which model is in memory and how far its load got. The pool owns
 * it and pushes every change; the API forwards it as the `model.state` event.
 */
export interface ModelState {
  /** The model in the slot, or being loaded into it; null when it is empty. */
  path: string | null;
  status: 'unloaded' | 'loading' | 'loaded' | 'error';
  /** Load progress, 0..1. */
  progress: number;
  /** Why the last load failed (status "error"). */
  error: string | null;
}

export const NO_MODEL: ModelState = { path: null, status: 'unloaded', progress: 0, error: null };
