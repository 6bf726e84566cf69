import { describe, expect, it } from 'vitest';
import { EtaEstimator } from '../../../src/shared/eta';

/** A clock the test moves by hand (ms). */
function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('EtaEstimator', () => {
  it('is unknown before the first item and 0 when nothing remains', () => {
    const c = clock();
    const eta = new EtaEstimator(c.now);
    expect(eta.etaSeconds(10)).toBeNull();
    c.advance(2000);
    eta.itemDone();
    expect(eta.etaSeconds(0)).toBe(0);
    expect(eta.etaSeconds(9)).toBe(18);
  });

  it('follows the recent pace, not the run-long average (fast items first, then slow ones)', () => {
    const c = clock();
    const eta = new EtaEstimator(c.now);
    // 50 outputs that stopped at once (50 ms each), then items that take 4 s.
    for (let i = 0; i < 50; i++) {
      c.advance(50);
      eta.itemDone();
    }
    for (let i = 0; i < 20; i++) {
      c.advance(4000);
      eta.itemDone();
    }
    // 30 items left: the whole-run average (82.5 s / 70 items ≈ 1.18 s) would say ~35 s; the recent pace says 120 s.
    expect(eta.etaSeconds(30)).toBeCloseTo(120, 5);
  });

  it('averages over a window, so parallel sequences finishing in bursts count at their throughput', () => {
    const c = clock();
    const eta = new EtaEstimator(c.now);
    // 4 sequences: every 2 s, 4 items finish together.
    for (let burst = 0; burst < 5; burst++) {
      c.advance(2000);
      for (let k = 0; k < 4; k++) eta.itemDone();
    }
    expect(eta.secondsPerItem).toBeCloseTo(0.5, 5);
    expect(eta.etaSeconds(8)).toBeCloseTo(4, 5);
  });

  it('never says less than 1 s while items remain', () => {
    const c = clock();
    const eta = new EtaEstimator(c.now);
    for (let i = 0; i < 30; i++) {
      c.advance(10);
      eta.itemDone();
    }
    expect(eta.etaSeconds(44)).toBe(1);
    expect(eta.etaSeconds(1)).toBe(1);
  });
});
