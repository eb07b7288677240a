/**
 * The statistics of an A/B comparison, dependency-free: the normal distribution, Wilson intervals
 * for rates, the two-proportion z-test, normal intervals for means, and the Mann–Whitney U test
 * (normal approximation with the tie correction and a continuity correction, as scipy's
 * `mannwhitneyu(method='asymptotic')`) for ordinal scores such as CSAT 1-5.
 */

/** z for a two-sided 95 % interval (and α = 0.05). */
export const Z_95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

export interface TestResult {
  /** The standard normal statistic. */
  z: number;
  /** Two-sided p-value. */
  p: number;
}

/** erf from Numerical Recipes' erfc (a Chebyshev fit, fractional error < 1.2e-7 everywhere). */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.5 * a);
  const erfc =
    t *
    Math.exp(
      -a * a -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return sign * (1 - erfc);
}

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

/** Two-sided p-value of a standard normal statistic. */
export function twoSidedP(z: number): number {
  return Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
}

/** Wilson score interval of a rate (good at small n and near 0 or 1, unlike the plain normal one). */
export function wilsonInterval(successes: number, n: number, z = Z_95): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Two-proportion z-test (pooled standard error): is x1/n1 different from x2/n2? */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): TestResult {
  if (n1 <= 0 || n2 <= 0) return { z: 0, p: 1 };
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, p: 1 };
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, p: twoSidedP(z) };
}

/** A 95 % normal interval of the difference of two rates (x1/n1 − x2/n2, unpooled). */
export function rateDifferenceInterval(x1: number, n1: number, x2: number, n2: number, z = Z_95): Interval {
  const p1 = n1 > 0 ? x1 / n1 : 0;
  const p2 = n2 > 0 ? x2 / n2 : 0;
  const se = Math.sqrt((n1 > 0 ? (p1 * (1 - p1)) / n1 : 0) + (n2 > 0 ? (p2 * (1 - p2)) / n2 : 0));
  return { low: p1 - p2 - z * se, high: p1 - p2 + z * se };
}

/** Mean and 95 % normal interval from a count, a sum and a sum of squares (what counters keep). */
export function meanInterval(n: number, sum: number, sumSquares: number, z = Z_95): { mean: number } & Interval {
  if (n <= 0) return { mean: 0, low: 0, high: 0 };
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSquares - n * mean * mean) / (n - 1)) : 0;
  const half = z * Math.sqrt(variance / n);
  return { mean, low: mean - half, high: mean + half };
}

/** Counts per value (e.g. CSAT score → answers). */
export type Histogram = ReadonlyMap<number, number>;

export function histogramOf(values: readonly number[]): Map<number, number> {
  const h = new Map<number, number>();
  for (const v of values) h.set(v, (h.get(v) ?? 0) + 1);
  return h;
}

/**
 * Mann–Whitney U of sample a against sample b, from their histograms: midranks for ties, the tie
 * correction of the variance, a continuity correction; `u` is a's statistic (scipy's U1).
 */
export function mannWhitneyU(a: Histogram, b: Histogram): TestResult & { u: number } {
  const levels = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y);
  const n1 = [...a.values()].reduce((s, c) => s + c, 0);
  const n2 = [...b.values()].reduce((s, c) => s + c, 0);
  const n = n1 + n2;
  if (n1 === 0 || n2 === 0) return { u: 0, z: 0, p: 1 };
  let below = 0;
  let rankSumA = 0;
  let ties = 0;
  for (const level of levels) {
    const ca = a.get(level) ?? 0;
    const t = ca + (b.get(level) ?? 0);
    rankSumA += ca * (below + (t + 1) / 2); // every tied value gets the mean of their ranks
    ties += t ** 3 - t;
    below += t;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  if (variance <= 0) return { u, z: 0, p: 1 };
  const diff = u - mean;
  const z = (diff - 0.5 * Math.sign(diff)) / Math.sqrt(variance);
  return { u, z, p: twoSidedP(z) };
}

/**
 * Analytic power of the two-sided two-proportion z-test at α (normal approximation): the chance it
 * finds a true difference p1 vs p2 with n per arm.
 */
export function twoProportionPower(p1: number, p2: number, n: number, z = Z_95): number {
  const pBar = (p1 + p2) / 2;
  const se0 = Math.sqrt((2 * pBar * (1 - pBar)) / n);
  const se1 = Math.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / n);
  const d = Math.abs(p1 - p2);
  return normalCdf((d - z * se0) / se1) + normalCdf((-d - z * se0) / se1);
}
