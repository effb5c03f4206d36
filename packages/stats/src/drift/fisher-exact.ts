/**
 * Fisher's exact test for a 2x2 table (two-sided), for binary columns with small counts where
 * the chi-square and z approximations are unreliable.
 */
import { type AlignedCategories, alignCategories } from './categories.js';
import { pValueDriftResult } from './p-value-result.js';
import type { CategoryCounts, DriftResult } from './types.js';

/** Result of {@link fisherExactTest}. `statistic` is the sample odds ratio. */
export interface FisherExactResult {
  /** Sample odds ratio a*d / (b*c); `Infinity` when b*c = 0 < a*d, `NaN` when a row or column is empty. */
  oddsRatio: number;
  pValue: number;
}

/**
 * Tables whose probability is within this relative distance of the observed table's count as
 * "at least as extreme", so rounding in the probabilities never splits exact ties.
 */
const TIE_TOLERANCE = 1e-7;

/**
 * Walks the hypergeometric weights from the mode outwards. Weights are relative to the mode (= 1),
 * built by the ratio of consecutive probabilities, so no factorials or log-gamma are needed and
 * nothing overflows; the walk stops once the weights underflow to zero.
 */
function walkWeights(
  start: number,
  step: 1 | -1,
  bound: number,
  ratio: (x: number) => number,
  visit: (x: number, weight: number) => void,
): void {
  let weight = 1;
  for (let x = start + step; step > 0 ? x <= bound : x >= bound; x += step) {
    weight *= ratio(x);
    if (weight === 0) return;
    visit(x, weight);
  }
}

/**
 * Two-sided Fisher exact test of the 2x2 table [[a, b], [c, d]]: the p-value sums the
 * hypergeometric probabilities (margins fixed) of all tables no more likely than the observed one.
 * Counts must be non-negative integers. Matches `scipy.stats.fisher_exact(table)`.
 */
export function fisherExactTest(a: number, b: number, c: number, d: number): FisherExactResult {
  for (const v of [a, b, c, d]) {
    if (!(Number.isInteger(v) && v >= 0))
      throw new RangeError(`Fisher table cells must be integers >= 0, got ${v}`);
  }
  const row1 = a + b;
  const row2 = c + d;
  const col1 = a + c;
  if (row1 === 0 || row2 === 0 || col1 === 0 || b + d === 0) return { oddsRatio: Number.NaN, pValue: 1 };
  const oddsRatio = b > 0 && c > 0 ? (a * d) / (b * c) : Number.POSITIVE_INFINITY;

  // x = top-left cell; hypergeometric with population row1 + row2, row1 successes, col1 draws.
  const low = Math.max(0, col1 - row2);
  const high = Math.min(col1, row1);
  const mode = Math.min(high, Math.max(low, Math.floor(((col1 + 1) * (row1 + 1)) / (row1 + row2 + 2))));
  // P(x) / P(x - 1) and P(x) / P(x + 1).
  const up = (x: number) => ((row1 - x + 1) * (col1 - x + 1)) / (x * (row2 - col1 + x));
  const down = (x: number) => ((x + 1) * (row2 - col1 + x + 1)) / ((row1 - x) * (col1 - x));

  let observed = a === mode ? 1 : 0;
  const recordObserved = (x: number, w: number) => {
    if (x === a) observed = w;
  };
  if (a > mode) walkWeights(mode, 1, a, up, recordObserved);
  else if (a < mode) walkWeights(mode, -1, a, down, recordObserved);

  const cutoff = observed * (1 + TIE_TOLERANCE);
  let total = 1;
  let extreme = 1 <= cutoff ? 1 : 0;
  const accumulate = (_x: number, w: number) => {
    total += w;
    if (w <= cutoff) extreme += w;
  };
  walkWeights(mode, 1, high, up, accumulate);
  walkWeights(mode, -1, low, down, accumulate);
  return { oddsRatio, pValue: Math.min(1, extreme / total) };
}

/** Options of {@link fisherExactDrift}. */
export interface FisherExactDriftOptions {
  /** Drift when the p-value is below this. Default 0.05. */
  threshold?: number;
}

/**
 * Fisher exact test of a binary column: the 2x2 table has the reference and current samples as
 * rows and the two categories as columns. Throws when the union of categories has more than two;
 * a single category gives p = 1.
 */
export function fisherExactDrift(
  counts: CategoryCounts | AlignedCategories,
  options: FisherExactDriftOptions = {},
): DriftResult {
  const threshold = options.threshold ?? 0.05;
  const aligned = alignCategories(counts);
  const k = aligned.categories.length;
  if (k > 2) throw new RangeError(`Fisher exact test needs at most two categories, got ${k}`);
  const a = aligned.reference[0] ?? 0;
  const b = aligned.reference[1] ?? 0;
  const c = aligned.current[0] ?? 0;
  const d = aligned.current[1] ?? 0;
  const { oddsRatio, pValue } = fisherExactTest(a, b, c, d);
  return pValueDriftResult('fisher_exact', oddsRatio, pValue, threshold, {});
}
