import type { ApiEvent, ApiEvents } from '../../shared/api';

type Listener = <E extends ApiEvent>(event: E, payload: ApiEvents[E]) => void;

/**
 * The services' pushed events (run progress, model state, downloads…): one hub per composition root. The API
 * forwards them to every transport, so the desktop app, serve mode and the CLI see the same stream.
 */
export class EventHub {
  readonly #listeners = new Set<Listener>();

  emit<E extends ApiEvent>(event: E, payload: ApiEvents[E]): void {
    for (const listener of this.#listeners) listener(event, payload);
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
