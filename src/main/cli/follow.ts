/**
 * Following long work through the API's pushed events, as a browser in serve mode does: the CLI starts a run, a
 * judge run or a download with one call, then reads its progress and its end from the events.
 */
import type { ApiEvent, ApiEvents } from '../../shared/api';
import { on } from './context';

/**
 * Records the latest status of each job from one event, from the moment it is created: work can end before the
 * call that started it has answered (a small run, a cached judge run), and that end must not be missed.
 */
export function watchEnds<E extends ApiEvent>(event: E, idOf: (p: ApiEvents[E]) => number, ended: (p: ApiEvents[E]) => boolean) {
  const latest = new Map<number, ApiEvents[E]>();
  const waiting = new Map<number, (p: ApiEvents[E]) => void>();
  const stop = on(event, (payload) => {
    const id = idOf(payload);
    latest.set(id, payload);
    if (ended(payload)) waiting.get(id)?.(payload);
  });
  return {
    /** Resolves with the event that ended job `id` (at once if it already ended). */
    end(id: number): Promise<ApiEvents[E]> {
      const seen = latest.get(id);
      if (seen && ended(seen)) return Promise.resolve(seen);
      return new Promise((resolve) => waiting.set(id, resolve));
    },
    stop,
  };
}

const FINAL = new Set(['done', 'failed', 'paused', 'cancelled']);
/** A run or judge run status after which nothing more happens without a new start. */
export const isFinal = (status: string) => FINAL.has(status);
