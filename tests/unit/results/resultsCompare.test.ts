import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsCompare } from '../../../src/main/services/results/results';
import { openStore, type Store } from '../../../src/main/store/openStore';
import { insertVerdict } from '../../support/seedResults';
import { addRun } from './addRun';

describe('results.compare on a hand-built store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-results-compare-'));
  let store: Store;
  beforeAll(() => {
    store = openStore(join(dir, 'workbench.sqlite'));
    const urial = addRun(store, 'en', 'urial', 5);
    const zero = addRun(store, 'en', 'zero-shot', 4);
    addRun(store, 'fr', 'urial', 2); // no zero-shot side in French: no row
    const help = { a: [2, 3, 1, 5, 4], b: [1, 1, 4, 1] };
    const clarity = { a: [3, 3, 3, 3, 1], b: [2, 2, 2, 2] };
    urial.forEach((g, i) => insertVerdict(store, g, { scores: { helpfulness: help.a[i]!, clarity: clarity.a[i]! } }));
    zero.forEach((g, i) => insertVerdict(store, g, { scores: { helpfulness: help.b[i]!, clarity: clarity.b[i]! } }));
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pairs on the item id, tests each aspect and adjusts over the table with Holm', () => {
    const rows = resultsCompare(store, { filter: { naPolicy: 'exclude' }, dimension: 'method', a: 'urial', b: 'zero-shot', within: ['language'] });
    expect(rows.map((r) => [r.group.language, r.aspect, r.n])).toEqual([
      ['en', 'helpfulness', 4],
      ['en', 'clarity', 4],
    ]);
    const [help, clarity] = rows;
    // helpfulness d = 1, 2, −3, 4 (item 5 has no zero-shot answer): Δ = 1; W+ = 1 + 2 + 4 = 7; exact: P(W− ≤ 3) =
    // #{∅, {1}, {2}, {3}, {1,2}} / 2^4 = 5/16, two-sided p = 10/16.
    expect(help).toMatchObject({ a: 'urial', b: 'zero-shot', meanA: 2.75, meanB: 1.75, delta: 1, w: 7, p: 0.625 });
    expect(help!.low).toBeLessThan(1);
    expect(help!.high).toBeGreaterThan(1);
    // clarity d = 1, 1, 1, 1: all tied → normal approximation, σ² = 4·5·9/24 − (4³ − 4)/48 = 6.25, Z = (10 − 5)/2.5 = 2,
    // p = 2(1 − Φ(2)) = 0.0455; r = Z/√4 = 1; Δ constant → CI [1, 1].
    expect(clarity).toMatchObject({ delta: 1, low: 1, high: 1, w: 10, effectSize: 1 });
    expect(clarity!.p).toBeCloseTo(0.0455, 4);
    // Holm over the two rows: 0.0455 · 2 = 0.0910, then max(0.0910, 0.625 · 1) = 0.625
    expect(clarity!.pHolm).toBeCloseTo(2 * clarity!.p, 12);
    expect(help!.pHolm).toBe(0.625);
  });

  it('refuses comparing a value with itself or within its own dimension', () => {
    expect(() => resultsCompare(store, { filter: { naPolicy: 'exclude' }, dimension: 'method', a: 'urial', b: 'urial', within: [] })).toThrow(/two different methods/);
    expect(() => resultsCompare(store, { filter: { naPolicy: 'exclude' }, dimension: 'method', a: 'urial', b: 'zero-shot', within: ['method'] })).toThrow(/remove it from "within"/);
  });
});
