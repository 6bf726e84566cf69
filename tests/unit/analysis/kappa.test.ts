import { describe, expect, it } from 'vitest';
import { cohensKappa, cohensKappaCategorical, fleissKappa, fleissKappaCategorical } from '../../../src/main/core/analysis';

/** `count` copies of one pair. */
function rep<T>(count: number, value: T): T[] {
  return Array.from({ length: count }, () => value);
}

describe("cohensKappa (binary)", () => {
  it('classic 2×2 table 20/5/10/15 → 0.4', () => {
    //              B yes  B no
    //   A yes        20     5     (A yes = 25)
    //   A no         10    15     (A no  = 25)
    //              (30)   (20)    n = 50
    // p_o = (20 + 15) / 50 = 0.7
    // p_e = (25/50)(30/50) + (25/50)(20/50) = 0.5·0.6 + 0.5·0.4 = 0.3 + 0.2 = 0.5
    // κ = (0.7 − 0.5) / (1 − 0.5) = 0.2 / 0.5 = 0.4
    const pairs = [...rep(20, [true, true] as const), ...rep(5, [true, false] as const), ...rep(10, [false, true] as const), ...rep(15, [false, false] as const)];
    expect(cohensKappa(pairs)).toBeCloseTo(0.4, 12);
    // Kappa is symmetric in the two raters.
    expect(cohensKappa(pairs.map(([a, b]) => [b, a] as const))).toBeCloseTo(0.4, 12);
  });

  it('perfect agreement → 1', () => {
    // 2 yes/yes, 1 no/no: p_o = 1, p_e = (2/3)² + (1/3)² = 5/9, κ = (1 − 5/9) / (1 − 5/9) = 1
    expect(cohensKappa([[true, true], [false, false], [true, true]])).toBe(1);
  });

  it('agreement at chance level → 0', () => {
    // one of each cell: p_o = 2/4 = 0.5, p_e = 0.5·0.5 + 0.5·0.5 = 0.5, κ = 0 / 0.5 = 0
    expect(cohensKappa([[true, true], [true, false], [false, true], [false, false]])).toBe(0);
    // A always yes, B always no: p_o = 0, p_e = 1·0 + 0·1 = 0, κ = (0 − 0) / 1 = 0
    expect(cohensKappa([[true, false], [true, false]])).toBe(0);
  });

  it('systematic disagreement → −1', () => {
    // p_o = 0, p_e = 0.5·0.5 + 0.5·0.5 = 0.5, κ = (0 − 0.5) / 0.5 = −1
    expect(cohensKappa([[true, false], [false, true]])).toBe(-1);
  });

  it('is null when undefined: no items, or p_e = 1', () => {
    expect(cohensKappa([])).toBeNull();
    // both raters always say "no": p_e = 1·1 = 1, 1 − p_e = 0
    expect(cohensKappa([[false, false], [false, false], [false, false]])).toBeNull();
    expect(cohensKappa([[true, true]])).toBeNull();
  });
});

describe('cohensKappaCategorical', () => {
  it('3 categories, 10 items → 6/11', () => {
    //            B: a  b  c   (A total)
    //   A: a        3  1  0      4
    //   A: b        0  2  1      3
    //   A: c        1  0  2      3
    //   (B total)   4  3  3      n = 10
    // p_o = (3 + 2 + 2) / 10 = 0.7
    // p_e = (4·4 + 3·3 + 3·3) / 100 = 34 / 100 = 0.34
    // κ = (0.7 − 0.34) / (1 − 0.34) = 0.36 / 0.66 = 6/11 ≈ 0.545454
    const pairs: (readonly [string, string])[] = [
      ...rep(3, ['a', 'a'] as const), ['a', 'b'],
      ...rep(2, ['b', 'b'] as const), ['b', 'c'],
      ['c', 'a'], ...rep(2, ['c', 'c'] as const),
    ];
    expect(cohensKappaCategorical(pairs)).toBeCloseTo(6 / 11, 12);
  });

  it('a category only one rater used counts in p_e with 0 for the other rater', () => {
    // A: x, x, y ; B: x, z, y.  p_o = 2/3.  A: x2 y1; B: x1 y1 z1.
    // p_e = (2·1 + 1·1 + 0·1) / 9 = 3/9.  κ = (2/3 − 1/3) / (1 − 1/3) = (1/3) / (2/3) = 0.5
    expect(cohensKappaCategorical([['x', 'x'], ['x', 'z'], ['y', 'y']])).toBeCloseTo(0.5, 12);
  });

  it('agrees with the binary version and has the same null cases', () => {
    const bin: (readonly [boolean, boolean])[] = [[true, true], [true, false], [false, false], [false, false], [true, true]];
    expect(cohensKappaCategorical(bin.map(([a, b]) => [String(a), String(b)] as const))).toBe(cohensKappa(bin));
    expect(cohensKappaCategorical([])).toBeNull();
    expect(cohensKappaCategorical([['a', 'a'], ['a', 'a']])).toBeNull();
  });
});

describe('fleissKappa (binary)', () => {
  it('5 items × 3 raters → 11/56', () => {
    // item  ratings   n_yes n_no   P_i = (n_yes² + n_no² − 3) / (3·2)
    //   1   Y Y Y       3    0     (9 + 0 − 3) / 6 = 1
    //   2   Y Y N       2    1     (4 + 1 − 3) / 6 = 1/3
    //   3   Y N N       1    2     (1 + 4 − 3) / 6 = 1/3
    //   4   N N N       0    3     (0 + 9 − 3) / 6 = 1
    //   5   N Y Y       2    1     1/3
    // P̄   = (1 + 1/3 + 1/3 + 1 + 1/3) / 5 = 3 / 5 = 0.6
    // p_yes = (3+2+1+0+2) / 15 = 8/15, p_no = 7/15
    // P̄_e = (8/15)² + (7/15)² = (64 + 49) / 225 = 113/225
    // κ = (135/225 − 113/225) / (1 − 113/225) = (22/225) / (112/225) = 22/112 = 11/56 ≈ 0.196429
    const ratings = [
      [true, true, true],
      [true, true, false],
      [true, false, false],
      [false, false, false],
      [false, true, true],
    ];
    expect(fleissKappa(ratings)).toBeCloseTo(11 / 56, 12);
  });

  it("with 2 raters it is Scott's pi (pooled marginals), not Cohen's kappa", () => {
    // The 20/5/10/15 table again. P̄ = share of agreeing items = 35/50 = 0.7.
    // Pooled yes = (25 + 30) / 100 = 0.55, no = 0.45: P̄_e = 0.55² + 0.45² = 0.3025 + 0.2025 = 0.505
    // κ = (0.7 − 0.505) / (1 − 0.505) = 0.195 / 0.495 = 13/33 ≈ 0.3939 (Cohen's gives 0.4 on the same table)
    const ratings = [...rep(20, [true, true]), ...rep(5, [true, false]), ...rep(10, [false, true]), ...rep(15, [false, false])];
    expect(fleissKappa(ratings)).toBeCloseTo(13 / 33, 12);
  });

  it('perfect agreement → 1; null when undefined; malformed input throws', () => {
    // P_i = 1 for both items, P̄_e = 0.5² + 0.5² = 0.5, κ = (1 − 0.5) / 0.5 = 1
    expect(fleissKappa([[true, true, true], [false, false, false]])).toBe(1);
    expect(fleissKappa([])).toBeNull();
    // every rating "no": P̄_e = 1
    expect(fleissKappa([[false, false], [false, false]])).toBeNull();
    expect(() => fleissKappa([[true], [false]])).toThrow(RangeError);
    expect(() => fleissKappa([[true, false], [true, false, true]])).toThrow(RangeError);
  });
});

describe('fleissKappaCategorical', () => {
  it("Wikipedia's worked example (10 items, 14 raters, 5 categories) → 0.210", () => {
    // Counts n_ij (Fleiss' kappa article). Column sums 20, 28, 39, 21, 32 of 140 ratings:
    // p_j = 0.143, 0.200, 0.279, 0.150, 0.229 → P̄_e = Σ p_j² ≈ 0.2128.
    // P_i = (Σ_j n_ij² − 14) / (14·13), e.g. row 2: (0+4+36+16+4 − 14) / 182 = 46/182 ≈ 0.253;
    // P̄ = 0.378 → κ = (0.378 − 0.213) / (1 − 0.213) ≈ 0.210.
    const counts = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const ratings = counts.map((row) => row.flatMap((k, j) => rep(k, `c${j + 1}`)));
    expect(ratings.every((r) => r.length === 14)).toBe(true);
    expect(fleissKappaCategorical(ratings)).toBeCloseTo(0.21, 3);
  });

  it('agrees with the binary version', () => {
    const ratings = [[true, false, true, true], [false, false, true, false], [true, true, true, true]];
    expect(fleissKappaCategorical(ratings.map((r) => r.map((x) => (x ? 'yes' : 'no'))))).toBeCloseTo(fleissKappa(ratings)!, 12);
  });
});
