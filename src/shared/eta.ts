/** Item completions remembered for the estimate: recent enough to follow a change of pace, enough to be smooth. */
const WINDOW = 20;

/**
 * Time left for the remaining items, from a moving average of the most recent item times (the pace changes
 * within a run: long and short outputs, a slower language, parallel sequences finishing in bursts). Measured
 * between completions, so parallel sequences count at their real throughput. While items remain it is never
 * under 1 s: "< 1 s" at 56 % was the average of a fast start.
 */
export class EtaEstimator {
  /** Completion times (ms), the oldest first; starts with the moment the work started. */
  readonly #marks: number[];

  constructor(
    readonly now: () => number = () => performance.now(),
    started = now(),
  ) {
    this.#marks = [started];
  }

  /** One item finished now. */
  itemDone(): void {
    this.#marks.push(this.now());
    if (this.#marks.length > WINDOW + 1) this.#marks.shift();
  }

  /** Seconds per item over the window; null before the first item. */
  get secondsPerItem(): number | null {
    const n = this.#marks.length - 1;
    if (n === 0) return null;
    return (this.#marks[n]! - this.#marks[0]!) / 1000 / n;
  }

  /** Seconds left for `remaining` items; null before the first item finished. */
  etaSeconds(remaining: number): number | null {
    if (remaining <= 0) return 0;
    const perItem = this.secondsPerItem;
    if (perItem === null) return null;
    return Math.max(1, perItem * remaining);
  }
}
