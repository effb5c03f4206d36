/**
 * The drift decision of a monitor for one column: the baseline's and the window's histograms
 * (numeric: counts and sums on the baseline's decile edges; categorical: counts per category)
 * compared by the chosen method, with a threshold that meets the false-alarm budget (see
 * thresholds.ts). The server's drift monitors and the offline report both decide here, so they
 * give the same value, threshold and status for the same data.
 */

import { totalVariationDistance } from '../drift/categorical-distances.js';
import { alignCategories } from '../drift/categories.js';
import { wassersteinNormedBinMeans } from '../drift/cdf-distances.js';
import { chiSquareDrift } from '../drift/chi-square.js';
import {
  hellingerDistanceBinned,
  jensenShannonDistanceBinned,
  psiBinned,
} from '../drift/histogram-distances.js';
import { ksDriftBinned } from '../drift/ks.js';
import {
  calibrate,
  chunkDetails,
  chunkDistanceThreshold,
  oneSidedZ,
  samplingNoiseThreshold,
} from './thresholds.js';

/** Methods a drift monitor can use. */
export const MONITOR_DRIFT_METHODS = [
  'jensen_shannon',
  'hellinger',
  'psi',
  'wasserstein_normed',
  'ks',
  'chi_square',
  'total_variation',
] as const;
export type MonitorDriftMethod = (typeof MONITOR_DRIFT_METHODS)[number];

/** Fixed thresholds used when neither the sampling model nor the baseline's chunks give one. */
export const FALLBACK_DRIFT_THRESHOLDS: Record<MonitorDriftMethod, number> = {
  jensen_shannon: 0.1,
  hellinger: 0.1,
  psi: 0.2,
  wasserstein_normed: 0.1,
  total_variation: 0.1,
  ks: 0.05,
  chi_square: 0.05,
};

const P_VALUE_METHODS = new Set<MonitorDriftMethod>(['ks', 'chi_square']);

/** Whether the method's value is a p-value (breach below the threshold) rather than a distance. */
export function isMonitorPValueMethod(method: MonitorDriftMethod): boolean {
  return P_VALUE_METHODS.has(method);
}

export interface DriftComparison {
  value: number;
  /** Distances breach above `thresholdUpper`; p-values breach below `thresholdLower`. */
  thresholdLower: number | null;
  thresholdUpper: number | null;
  status: 'ok' | 'alert';
  details: Record<string, unknown>;
}

/** A numeric histogram: `counts[i]` values in [edges[i], edges[i+1]), whose sum is `sums[i]`. */
export interface HistogramCells {
  counts: ArrayLike<number>;
  sums: ArrayLike<number>;
  mean?: number | null;
  /** Sample standard deviation (n − 1). */
  std?: number | null;
}

export type DistributionComparisonInput =
  | {
      kind: 'numeric';
      /** Bin edges, open at both ends. */
      edges: number[];
      reference: HistogramCells;
      current: HistogramCells;
      /** Consecutive pieces of the reference (null: a piece without this column). */
      chunks: (HistogramCells | null)[];
    }
  | {
      kind: 'categorical';
      reference: Record<string, number>;
      current: Record<string, number>;
      chunks: (Record<string, number> | null)[];
    };

export interface DriftCompareOptions {
  method: MonitorDriftMethod;
  /** Per-test false-alarm probability. */
  alpha: number;
  /** A fixed threshold set by the user, instead of the calibrated one. */
  fixedThreshold?: number;
}

/** Two histograms (or category tables) on the same cells. */
interface Cells {
  bins: number[];
  reference: number[];
  current: number[];
}

interface NumericExtra {
  ref: HistogramCells;
  cur: HistogramCells;
  edges: number[];
}

function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

/** Counts of `whole` minus `part`, element-wise (for leave-one-chunk-out comparisons). */
export function subtractCounts(whole: ArrayLike<number>, part: ArrayLike<number>): number[] {
  const out = new Array<number>(whole.length);
  for (let i = 0; i < whole.length; i++) out[i] = Math.max(0, whole[i]! - (part[i] ?? 0));
  return out;
}

export function subtractCategoryCounts(
  whole: Record<string, number>,
  part: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(whole)) {
    const rest = v - (part[k] ?? 0);
    if (rest > 0) out[k] = rest;
  }
  return out;
}

function categoryTable(cells: Cells) {
  const reference: Record<string, number> = {};
  const current: Record<string, number> = {};
  cells.bins.forEach((b, i) => {
    reference[String(b)] = cells.reference[i]!;
    current[String(b)] = cells.current[i]!;
  });
  return { reference, current };
}

function categoryCells(
  reference: Record<string, number>,
  current: Record<string, number>,
): Cells & { categories: string[] } {
  const categories = [...new Set([...Object.keys(reference), ...Object.keys(current)])].sort();
  return {
    categories,
    bins: categories.map((_, i) => i),
    reference: categories.map((c) => reference[c] ?? 0),
    current: categories.map((c) => current[c] ?? 0),
  };
}

function distance(method: MonitorDriftMethod, cells: Cells, numeric: NumericExtra | undefined): number {
  const counts = {
    edges: [...cells.bins, cells.bins.length],
    reference: cells.reference,
    current: cells.current,
  };
  switch (method) {
    case 'jensen_shannon':
      return jensenShannonDistanceBinned(counts);
    case 'hellinger':
      return hellingerDistanceBinned(counts);
    case 'psi':
      return psiBinned(counts);
    case 'total_variation':
      return totalVariationDistance(alignCategories(categoryTable(cells))).statistic;
    case 'wasserstein_normed': {
      if (!numeric) throw new Error('wasserstein_normed applies to numeric columns only');
      const refStd =
        (numeric.ref.std ?? 0) *
        Math.sqrt(Math.max(0, (sum(cells.reference) - 1) / Math.max(1, sum(cells.reference))));
      return wassersteinNormedBinMeans(
        {
          edges: numeric.edges,
          reference: cells.reference,
          current: cells.current,
          referenceSums: Array.from(numeric.ref.sums),
          currentSums: Array.from(numeric.cur.sums),
        },
        refStd,
      );
    }
    default:
      throw new Error(`${method} is not a distance`);
  }
}

/**
 * Compares a column's baseline and current distributions. `chunks` are the baseline's own
 * pieces: each is compared with the rest of the baseline to learn how much the distance moves
 * without drift.
 */
export function compareDistributions(
  input: DistributionComparisonInput,
  options: DriftCompareOptions,
): DriftComparison {
  const { method, alpha } = options;
  let cells: Cells;
  let referenceCells: (index: number) => Cells | null;
  let chunkNumeric: (index: number) => NumericExtra | undefined = () => undefined;
  const details: Record<string, unknown> = { method };
  let numeric: NumericExtra | undefined;
  if (input.kind === 'numeric') {
    const { reference: ref, current: cur, edges } = input;
    const refCounts = Array.from(ref.counts);
    cells = { bins: refCounts.map((_, i) => i), reference: refCounts, current: Array.from(cur.counts) };
    numeric = { ref, cur, edges };
    details.edges = edges.map((e) => (Number.isFinite(e) ? e : null));
    details.reference_counts = cells.reference;
    details.current_counts = cells.current;
    details.reference_mean = ref.mean ?? null;
    details.current_mean = cur.mean ?? null;
    referenceCells = (index) => {
      const part = input.chunks[index];
      return part
        ? {
            bins: cells.bins,
            reference: subtractCounts(ref.counts, part.counts),
            current: Array.from(part.counts),
          }
        : null;
    };
    chunkNumeric = (index) => {
      const part = input.chunks[index];
      return part
        ? { ref: { ...ref, sums: subtractCounts(ref.sums, part.sums) }, cur: part, edges }
        : undefined;
    };
  } else {
    const table = categoryCells(input.reference, input.current);
    cells = table;
    const unseen = table.categories.filter(
      (c) => (input.reference[c] ?? 0) === 0 && (input.current[c] ?? 0) > 0,
    );
    details.categories = table.categories.slice(0, 50);
    details.reference_counts = table.reference.slice(0, 50);
    details.current_counts = table.current.slice(0, 50);
    if (unseen.length > 0) details.unseen_categories = unseen.slice(0, 20);
    referenceCells = (index) => {
      const part = input.chunks[index];
      if (!part) return null;
      return categoryCells(subtractCategoryCounts(input.reference, part), part);
    };
  }
  const n = sum(cells.reference);
  const m = sum(cells.current);
  details.reference_size = n;
  details.current_size = m;

  if (P_VALUE_METHODS.has(method)) {
    const threshold = options.fixedThreshold ?? alpha;
    const result =
      method === 'ks' && input.kind === 'numeric'
        ? ksDriftBinned(
            { edges: input.edges, reference: cells.reference, current: cells.current },
            { threshold },
          )
        : chiSquareDrift(alignCategories(categoryTable(cells)), { threshold });
    details.statistic = result.statistic;
    const value = result.pValue ?? Number.NaN;
    return {
      value,
      thresholdLower: threshold,
      thresholdUpper: null,
      status: value < threshold ? 'alert' : 'ok',
      details,
    };
  }

  const value = distance(method, cells, numeric);
  let threshold: number;
  if (options.fixedThreshold !== undefined) {
    threshold = options.fixedThreshold;
    details.threshold_source = 'set on the monitor';
  } else {
    const nonEmpty = cells.reference.filter((c, i) => c + cells.current[i]! > 0).length;
    const noise =
      method === 'jensen_shannon' || method === 'hellinger' || method === 'psi'
        ? samplingNoiseThreshold(method, nonEmpty, n, m, alpha)
        : null;
    const chunkValues: number[] = [];
    const chunkSizes: number[] = [];
    for (let index = 0; index < input.chunks.length; index++) {
      const c = referenceCells(index);
      if (!c || sum(c.current) === 0 || sum(c.reference) === 0) continue;
      chunkValues.push(distance(method, c, chunkNumeric(index)));
      chunkSizes.push(sum(c.current));
    }
    const calibration = calibrate(chunkValues, chunkSizes);
    Object.assign(details, chunkDetails(calibration));
    const fromChunks = calibration ? chunkDistanceThreshold(calibration, m, oneSidedZ(alpha)) : null;
    threshold = Math.max(noise ?? 0, fromChunks ?? 0) || FALLBACK_DRIFT_THRESHOLDS[method];
    details.threshold_source =
      noise === null && fromChunks === null
        ? 'default'
        : (fromChunks ?? 0) > (noise ?? 0)
          ? 'baseline chunk variation'
          : 'sampling noise';
    details.sampling_noise_threshold = noise;
    details.chunk_threshold = fromChunks;
  }
  return {
    value,
    thresholdLower: null,
    thresholdUpper: threshold,
    status: value > threshold ? 'alert' : 'ok',
    details,
  };
}
