/**
 * Thresholds that meet a false-alarm budget. Two sources of variation are accounted for:
 * sampling noise, which an i.i.d. model bounds exactly for a given window size (a chi-square
 * quantile for histogram distances, a binomial or normal one for metrics), and the data's own
 * slow variation, which only the baseline itself shows: its chunks are compared, each against
 * the rest ("leave one chunk out", so a chunk is never compared with data that contains it),
 * and the spread of those comparisons sets a second threshold. The larger of the two applies.
 */
import { chiSquareIsf } from '../math/distributions.js';
import { normalQuantile } from '../math/normal.js';

/**
 * The chi-square approximation is second-order: in the far tail where budgets put thresholds
 * (alpha around 1e-5), simulated Jensen–Shannon distances exceed it about twice as often as
 * alpha says (`npm run bench:false-alarms`). Thresholds therefore use alpha / 4.
 */
export const CHI_SQUARE_TAIL_SAFETY = 0.25;

const quantiles = new Map<string, number>();

/** chi2.isf(alpha, df), memoised: a monitor asks for the same few values at every window. */
function chiSquareQuantile(alpha: number, df: number): number {
  const key = `${alpha}:${df}`;
  let q = quantiles.get(key);
  if (q === undefined) {
    q = chiSquareIsf(alpha, df);
    if (quantiles.size > 10_000) quantiles.clear();
    quantiles.set(key, q);
  }
  return q;
}

/** One test's false-alarm probability from a budget of expected false alarms per week. */
export function perTestAlpha(budgetPerWeek: number, windowsPerWeek: number, testsPerWindow: number): number {
  const alpha = budgetPerWeek / (windowsPerWeek * Math.max(1, testsPerWindow));
  return Math.min(0.05, Math.max(1e-12, alpha));
}

/** z such that P(Z > z) = alpha. */
export function oneSidedZ(alpha: number): number {
  return normalQuantile(1 - alpha);
}

/**
 * Threshold on a distance between two histograms of sizes n and m with `bins` cells that
 * pure sampling noise exceeds with probability `alpha`. Jensen–Shannon divergence (nats) and
 * squared Hellinger distance are both ≈ X²·(n+m)/(8nm), PSI ≈ X²·(n+m)/(nm), where X² is the
 * two-sample chi-square statistic with bins − 1 degrees of freedom.
 */
export function samplingNoiseThreshold(
  method: 'jensen_shannon' | 'hellinger' | 'psi',
  bins: number,
  n: number,
  m: number,
  alpha: number,
): number | null {
  if (bins < 2 || n <= 0 || m <= 0) return null;
  const x2 = chiSquareQuantile(alpha * CHI_SQUARE_TAIL_SAFETY, bins - 1);
  const scale = (n + m) / (n * m);
  switch (method) {
    case 'jensen_shannon':
      // The distance is the square root of the divergence in bits.
      return Math.sqrt((x2 * scale) / 8 / Math.LN2);
    case 'hellinger':
      return Math.sqrt((x2 * scale) / 8);
    case 'psi':
      return x2 * scale;
  }
}

export interface ChunkCalibration {
  mean: number;
  std: number;
  /** Rows in the average chunk. */
  chunkSize: number;
  chunks: number;
}

export function calibrate(values: number[], chunkSizes: number[]): ChunkCalibration | null {
  const present = values.filter((v) => Number.isFinite(v));
  if (present.length < 3) return null;
  const mean = present.reduce((a, b) => a + b, 0) / present.length;
  const variance = present.reduce((a, v) => a + (v - mean) ** 2, 0) / (present.length - 1);
  const chunkSize = chunkSizes.reduce((a, b) => a + b, 0) / Math.max(1, chunkSizes.length);
  return { mean, std: Math.sqrt(variance), chunkSize, chunks: present.length };
}

/**
 * The chunk statistics results carry in `details` (`chunk_mean`, `chunk_std`, `chunk_size`,
 * `chunks`), so that a `reference_band` alert rule with its own k can draw mean ± k·σ of the
 * reference chunks (measured on chunks of `chunk_size` rows, about the window's size).
 */
export function chunkDetails(calibration: ChunkCalibration | null): Record<string, number> {
  if (!calibration) return {};
  return {
    chunk_mean: calibration.mean,
    chunk_std: calibration.std,
    chunk_size: calibration.chunkSize,
    chunks: calibration.chunks,
  };
}

/**
 * Upper threshold on a distance from the baseline's chunk-to-rest variation: mean + z·std of
 * the chunk distances. A window smaller than a chunk is noisier, so the threshold grows as
 * sqrt(chunk size / window size) (the rate at which sampling noise shrinks); a larger window
 * keeps the chunk threshold, which is then conservative.
 */
export function chunkDistanceThreshold(calibration: ChunkCalibration, windowSize: number, z: number): number {
  const inflation = Math.sqrt(Math.max(1, calibration.chunkSize / Math.max(1, windowSize)));
  return (calibration.mean + z * calibration.std) * inflation;
}

/**
 * Two-sided band for a metric that is a mean over rows (accuracy, recall, MAE, …): the
 * baseline value ± z·sqrt(sampling variance at this window's size + the baseline value's own
 * sampling variance + the baseline's excess chunk-to-chunk variance, i.e. what the chunks vary
 * beyond their own sampling noise). The baseline value is an estimate too: leaving its variance
 * out narrows the band by √(1 + window / baseline rows), which at a 1:5 ratio triples the false
 * alarms of a band set in the far tail (`simulatePerformance`).
 */
export function metricBand(
  baselineValue: number,
  samplingVariance: (n: number) => number,
  calibration: ChunkCalibration | null,
  windowSize: number,
  z: number,
  baselineVariance = 0,
): { lower: number; upper: number } {
  let excess = 0;
  if (calibration) excess = Math.max(0, calibration.std ** 2 - samplingVariance(calibration.chunkSize));
  const sd = Math.sqrt(samplingVariance(Math.max(1, windowSize)) + baselineVariance + excess);
  return { lower: baselineValue - z * sd, upper: baselineValue + z * sd };
}
