/**
 * Finds stop strings in *text* space.
 * node-llama-cpp's token-level stop triggers detokenize token by token, so with SentencePiece vocabularies a
 * trigger containing a space ("# Query") never fires (DESIGN §3). Watching the decoded text is exact.
 */
export class TextStopper {
  readonly #stops: string[];
  #searchedUpTo = 0;

  constructor(stops: string[]) {
    this.#stops = stops.filter((s) => s.length > 0);
  }

  /** Returns the index where the earliest stop string begins in `text`, or -1. */
  check(text: string): number {
    if (this.#stops.length === 0) return -1;
    let found = -1;
    for (const stop of this.#stops) {
      // Only the tail can contain a new match: start just before the previously searched end.
      const from = Math.max(0, this.#searchedUpTo - stop.length + 1);
      const at = text.indexOf(stop, from);
      if (at !== -1 && (found === -1 || at < found)) found = at;
    }
    this.#searchedUpTo = text.length;
    return found;
  }
}
