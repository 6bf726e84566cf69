/**
 * Holm's step-down adjustment (family-wise error rate): with the m p-values sorted ascending, the i-th (1-based)
 * becomes max over j ≤ i of min(1, (m − j + 1) · p_(j)). Returned in the input order; equals R's
 * `p.adjust(p, "holm")`. Uniformly more powerful than Bonferroni, valid under any dependence between the tests.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`holmAdjust needs p-values in [0, 1], got ${p}`);
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
