/**
 * Distances between binned distributions of a numeric column: population stability index (PSI),
 * Jensen–Shannon distance, Hellinger distance and Kullback–Leibler divergence.
 *
 * Inputs: histogram counts on shared edges (`…Binned`), or raw samples, which are first counted into
 * {@link DEFAULT_BIN_COUNT} = 10 bins whose edges are reference deciles (see `quantileBinEdges`;
 * `bins` changes the count). Raw and binned results are therefore identical for the same edges.
 * Proportions are counts divided by each sample's total.
 *
 * - PSI = Σ (q_i - p_i) ln(q_i / p_i) (p reference, q current), after replacing empty-bin proportions
 *   by ε = 1e-4 (Evidently's choice; NannyML uses a similar floor): without it one empty bin makes PSI
 *   infinite. Proportions are not renormalised, so ε adds at most ~ε·ln(1/ε) ≈ 1e-3 per empty bin.
 *   Method id `psi`; default threshold 0.2 (the customary "significant shift" level; 0.1 = moderate).
 * - Jensen–Shannon distance = √(½ KL(p‖m) + ½ KL(q‖m)) with m = (p + q)/2, logarithms base 2, as
 *   `scipy.spatial.distance.jensenshannon(p, q, base=2)`; in [0, 1]; no smoothing needed.
 *   Method id `jensen_shannon`; default threshold 0.1 (Evidently's default).
 * - Hellinger distance = ‖√p - √q‖₂ / √2, in [0, 1]; no smoothing. Method id `hellinger`; default
 *   threshold 0.1 (Evidently's default).
 * - KL divergence KL(p‖q) = Σ p_i ln(p_i / q_i) in nats (reference relative to current, as
 *   `scipy.stats.entropy(p, q)`), after replacing zero proportions of either sample by ε = 1e-4 and
 *   renormalising (scipy's `entropy` normalises its inputs). Method id `kl_divergence`; default
 *   threshold 0.1 (Evidently's default).
 *
 * Binning error vs the continuous distributions is not bounded in general (these are functionals of
 * the histogram by definition); by the data-processing inequality the binned JS, Hellinger and KL
 * never exceed their values on finer bins.
 */
import { binnedCountsFromSamples, DEFAULT_BIN_COUNT, validateBinnedCounts } from './numeric-bins.js';
import type { NumericSample } from './numeric-sample.js';
import type { BinnedCounts, DriftResult } from './types.js';

/** Proportion that replaces an empty bin in PSI and KL divergence. */
export const HISTOGRAM_EPSILON = 1e-4;
/** Default PSI drift threshold (0.2, the customary "significant shift" level). */
export const PSI_DEFAULT_THRESHOLD = 0.2;
/** Default Jensen–Shannon distance drift threshold (0.1). */
export const JENSEN_SHANNON_DEFAULT_THRESHOLD = 0.1;
/** Default Hellinger distance drift threshold (0.1). */
export const HELLINGER_DEFAULT_THRESHOLD = 0.1;
/** Default KL-divergence drift threshold (0.1 nats). */
export const KL_DEFAULT_THRESHOLD = 0.1;

function proportions(counts: BinnedCounts): { p: Float64Array; q: Float64Array } {
  const { reference, current, referenceTotal, currentTotal } = validateBinnedCounts(counts);
  const bins = reference.length;
  const p = new Float64Array(bins);
  const q = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    p[b] = reference[b]! / referenceTotal;
    q[b] = current[b]! / currentTotal;
  }
  return { p, q };
}

/** Population stability index from histogram counts (ε = 1e-4 for empty bins). */
export function psiBinned(counts: BinnedCounts): number {
  // Proportions computed in the loop, not kept: a monitor window computes hundreds of these
  // on a handful of bins, where allocating two typed arrays cost more than the sums.
  const { reference, current, referenceTotal, currentTotal } = validateBinnedCounts(counts);
  let total = 0;
  for (let b = 0; b < reference.length; b++) {
    const p = reference[b]! / referenceTotal;
    const q = current[b]! / currentTotal;
    const pr = p === 0 ? HISTOGRAM_EPSILON : p;
    const cu = q === 0 ? HISTOGRAM_EPSILON : q;
    total += (cu - pr) * Math.log(cu / pr);
  }
  return total;
}

/** x ln(x / y), with 0 ln 0 = 0 (scipy.special.rel_entr for x, y >= 0, y > 0 when x > 0). */
function relativeEntropy(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(x / y);
}

/** Jensen–Shannon distance (base 2) from histogram counts. */
export function jensenShannonDistanceBinned(counts: BinnedCounts): number {
  const { reference, current, referenceTotal, currentTotal } = validateBinnedCounts(counts);
  let total = 0;
  for (let b = 0; b < reference.length; b++) {
    const p = reference[b]! / referenceTotal;
    const q = current[b]! / currentTotal;
    const m = (p + q) / 2;
    total += relativeEntropy(p, m) + relativeEntropy(q, m);
  }
  // Rounding can leave a tiny negative divergence for identical histograms.
  return Math.sqrt(Math.max(0, total / 2 / Math.LN2));
}

/** Hellinger distance from histogram counts. */
export function hellingerDistanceBinned(counts: BinnedCounts): number {
  const { reference, current, referenceTotal, currentTotal } = validateBinnedCounts(counts);
  let total = 0;
  for (let b = 0; b < reference.length; b++)
    total += (Math.sqrt(reference[b]! / referenceTotal) - Math.sqrt(current[b]! / currentTotal)) ** 2;
  return Math.sqrt(total / 2);
}

/** KL divergence KL(reference ‖ current) in nats from histogram counts (ε = 1e-4 for zeros, renormalised). */
export function klDivergenceBinned(counts: BinnedCounts): number {
  const { p, q } = proportions(counts);
  let sp = 0;
  let sq = 0;
  for (let b = 0; b < p.length; b++) {
    if (p[b] === 0) p[b] = HISTOGRAM_EPSILON;
    if (q[b] === 0) q[b] = HISTOGRAM_EPSILON;
    sp += p[b]!;
    sq += q[b]!;
  }
  let total = 0;
  for (let b = 0; b < p.length; b++) total += relativeEntropy(p[b]! / sp, q[b]! / sq);
  return total;
}

/** Options of the raw-sample variants: the number of reference-quantile bins. */
export interface HistogramOptions {
  /** Number of reference-quantile bins (default 10). */
  bins?: number;
}

function onQuantileBins(
  fn: (counts: BinnedCounts) => number,
): (reference: NumericSample, current: NumericSample, options?: HistogramOptions) => number {
  return (reference, current, options = {}) =>
    fn(binnedCountsFromSamples(reference, current, options.bins ?? DEFAULT_BIN_COUNT));
}

/** PSI of raw samples on reference-decile bins. */
export const psi = onQuantileBins(psiBinned);
/** Jensen–Shannon distance (base 2) of raw samples on reference-decile bins. */
export const jensenShannonDistance = onQuantileBins(jensenShannonDistanceBinned);
/** Hellinger distance of raw samples on reference-decile bins. */
export const hellingerDistance = onQuantileBins(hellingerDistanceBinned);
/** KL(reference ‖ current) of raw samples on reference-decile bins. */
export const klDivergence = onQuantileBins(klDivergenceBinned);

/**
 * Options of the raw-sample histogram drift checks: the bin count and the drift threshold (default per
 * method).
 */
export interface HistogramDriftOptions extends HistogramOptions {
  /** Drift when the distance is at or above this. */
  threshold?: number;
}

function drift(method: string, statistic: number, threshold: number): DriftResult {
  return { method, statistic, threshold, thresholdKind: 'distance', drifted: statistic >= threshold };
}

/** PSI drift check on raw samples: drift when PSI >= threshold (default 0.2). */
export function psiDrift(
  reference: NumericSample,
  current: NumericSample,
  options: HistogramDriftOptions = {},
): DriftResult {
  return drift('psi', psi(reference, current, options), options.threshold ?? PSI_DEFAULT_THRESHOLD);
}
/** PSI drift check on histogram counts: drift when PSI >= threshold (default 0.2). */
export function psiDriftBinned(counts: BinnedCounts, options: { threshold?: number } = {}): DriftResult {
  return drift('psi', psiBinned(counts), options.threshold ?? PSI_DEFAULT_THRESHOLD);
}
/** Jensen–Shannon drift check on raw samples: drift when distance >= threshold (default 0.1). */
export function jensenShannonDrift(
  reference: NumericSample,
  current: NumericSample,
  options: HistogramDriftOptions = {},
): DriftResult {
  return drift(
    'jensen_shannon',
    jensenShannonDistance(reference, current, options),
    options.threshold ?? JENSEN_SHANNON_DEFAULT_THRESHOLD,
  );
}
/** Jensen–Shannon drift check on histogram counts: drift when distance >= threshold (default 0.1). */
export function jensenShannonDriftBinned(
  counts: BinnedCounts,
  options: { threshold?: number } = {},
): DriftResult {
  return drift(
    'jensen_shannon',
    jensenShannonDistanceBinned(counts),
    options.threshold ?? JENSEN_SHANNON_DEFAULT_THRESHOLD,
  );
}
/** Hellinger drift check on raw samples: drift when distance >= threshold (default 0.1). */
export function hellingerDrift(
  reference: NumericSample,
  current: NumericSample,
  options: HistogramDriftOptions = {},
): DriftResult {
  return drift(
    'hellinger',
    hellingerDistance(reference, current, options),
    options.threshold ?? HELLINGER_DEFAULT_THRESHOLD,
  );
}
/** Hellinger drift check on histogram counts: drift when distance >= threshold (default 0.1). */
export function hellingerDriftBinned(
  counts: BinnedCounts,
  options: { threshold?: number } = {},
): DriftResult {
  return drift(
    'hellinger',
    hellingerDistanceBinned(counts),
    options.threshold ?? HELLINGER_DEFAULT_THRESHOLD,
  );
}
/** KL-divergence drift check on raw samples: drift when KL >= threshold (default 0.1). */
export function klDivergenceDrift(
  reference: NumericSample,
  current: NumericSample,
  options: HistogramDriftOptions = {},
): DriftResult {
  return drift(
    'kl_divergence',
    klDivergence(reference, current, options),
    options.threshold ?? KL_DEFAULT_THRESHOLD,
  );
}
/** KL-divergence drift check on histogram counts: drift when KL >= threshold (default 0.1). */
export function klDivergenceDriftBinned(
  counts: BinnedCounts,
  options: { threshold?: number } = {},
): DriftResult {
  return drift('kl_divergence', klDivergenceBinned(counts), options.threshold ?? KL_DEFAULT_THRESHOLD);
}
