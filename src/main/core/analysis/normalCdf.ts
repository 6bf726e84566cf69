/**
 * Standard normal CDF Φ(z), via the complementary error function (W. J. Cody's rational approximations as
 * given in Numerical Recipes' `erfcc`: fractional error < 1.2e-7 everywhere, ample for p-values).
 */
export function normalCdf(z: number): number {
  // Each tail straight from erfc: "1 − small" would round the far tail to 0 or 1.
  return z < 0 ? 0.5 * erfc(-z / Math.SQRT2) : 1 - 0.5 * erfc(z / Math.SQRT2);
}

/**
 * Two-sided p-value of a standard normal statistic, P(|Z| ≥ |z|) = erfc(|z|/√2), computed without the
 * cancellation of 2·(1 − Φ(|z|)), which underflows to 0 from |z| ≈ 8.3. The approximation's error is relative,
 * so far tails keep their digits (|z| = 10 → 1.5239706e-23).
 */
export function twoSidedNormalP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
