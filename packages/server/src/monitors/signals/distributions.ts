/**
 * Comparing a window's distribution of one column with the baseline's, by the method the
 * monitor asks for, with a threshold that meets the false-alarm budget (see thresholds.ts).
 */
import {
  alignCategories,
  chiSquareDrift,
  hellingerDistanceBinned,
  jensenShannonDistanceBinned,
  ksDriftBinned,
  psiBinned,
  totalVariationDistance,
  wassersteinNormedBinMeans,
} from '@vigil/stats';
import type { ResultStatus } from '../../domain/index.js';
import type { DriftMethod } from '../../domain/monitor-config.js';
import type { CategoricalProfile, NumericProfile, WindowProfile } from '../../storage/profiles.js';
import { subtractCategoryCounts, subtractCounts } from '../profile-math.js';
import {
  calibrate,
  chunkDetails,
  chunkDistanceThreshold,
  oneSidedZ,
  samplingNoiseThreshold,
} from '../thresholds.js';

/** Fixed thresholds used when neither the sampling model nor the baseline's chunks give one. */
const FALLBACK_THRESHOLDS: Record<DriftMethod, number> = {
  jensen_shannon: 0.1,
  hellinger: 0.1,
  psi: 0.2,
  wasserstein_normed: 0.1,
  total_variation: 0.1,
  ks: 0.05,
  chi_square: 0.05,
};

const P_VALUE_METHODS = new Set<DriftMethod>(['ks', 'chi_square']);

export interface Comparison {
  value: number;
  /** Distances breach above `thresholdUpper`; p-values breach below `thresholdLower`. */
  thresholdLower: number | null;
  thresholdUpper: number | null;
  status: ResultStatus;
  details: Record<string, unknown>;
}

/** Two histograms (or category tables) on the same cells. */
interface Cells {
  bins: number[];
  reference: number[];
  current: number[];
}

function distance(
  method: DriftMethod,
  cells: Cells,
  extra: { numeric?: { ref: NumericProfile; cur: NumericProfile; edges: number[] } },
): number {
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
      const n = extra.numeric;
      if (!n) throw new Error('wasserstein_normed applies to numeric columns only');
      const refStd =
        (n.ref.std ?? 0) *
        Math.sqrt(Math.max(0, (sum(cells.reference) - 1) / Math.max(1, sum(cells.reference))));
      return wassersteinNormedBinMeans(
        {
          edges: n.edges,
          reference: cells.reference,
          current: cells.current,
          referenceSums: n.ref.sums,
          currentSums: n.cur.sums,
        },
        refStd,
      );
    }
    default:
      throw new Error(`${method} is not a distance`);
  }
}

function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
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

export interface CompareOptions {
  method: DriftMethod;
  /** Per-test false-alarm probability. */
  alpha: number;
  /** A fixed threshold set by the user, instead of the calibrated one. */
  fixedThreshold?: number;
}

/**
 * Compares a column's baseline and current distributions. `chunks` are the baseline's own
 * pieces: each is compared with the rest of the baseline to learn how much the distance moves
 * without drift.
 */
export function compareColumn(
  key: string,
  kind: 'numeric' | 'categorical',
  baseline: WindowProfile,
  chunks: WindowProfile[],
  current: WindowProfile,
  edges: number[] | undefined,
  options: CompareOptions,
): Comparison {
  const { method, alpha } = options;
  let cells: Cells;
  let referenceCells: (chunk: WindowProfile) => Cells | null;
  const details: Record<string, unknown> = { method };
  let numeric: { ref: NumericProfile; cur: NumericProfile; edges: number[] } | undefined;
  if (kind === 'numeric') {
    const ref = baseline.numeric[key]!;
    const cur = current.numeric[key]!;
    cells = { bins: ref.counts.map((_, i) => i), reference: ref.counts, current: cur.counts };
    numeric = { ref, cur, edges: edges! };
    details.edges = edges!.map((e) => (Number.isFinite(e) ? e : null));
    details.reference_counts = ref.counts;
    details.current_counts = cur.counts;
    details.reference_mean = ref.mean;
    details.current_mean = cur.mean;
    referenceCells = (chunk) => {
      const part = chunk.numeric[key];
      return part
        ? { bins: cells.bins, reference: subtractCounts(ref.counts, part.counts), current: part.counts }
        : null;
    };
  } else {
    const ref = baseline.categorical[key] as CategoricalProfile;
    const cur = current.categorical[key] as CategoricalProfile;
    const table = categoryCells(ref.counts, cur.counts);
    cells = table;
    const unseen = table.categories.filter((c) => (ref.counts[c] ?? 0) === 0 && (cur.counts[c] ?? 0) > 0);
    details.categories = table.categories.slice(0, 50);
    details.reference_counts = table.reference.slice(0, 50);
    details.current_counts = table.current.slice(0, 50);
    if (unseen.length > 0) details.unseen_categories = unseen.slice(0, 20);
    referenceCells = (chunk) => {
      const part = chunk.categorical[key];
      if (!part) return null;
      const rest = subtractCategoryCounts(ref.counts, part.counts);
      return categoryCells(rest, part.counts);
    };
  }
  const n = sum(cells.reference);
  const m = sum(cells.current);
  details.reference_size = n;
  details.current_size = m;

  if (P_VALUE_METHODS.has(method)) {
    const threshold = options.fixedThreshold ?? alpha;
    const result =
      method === 'ks' && kind === 'numeric'
        ? ksDriftBinned({ edges: edges!, reference: cells.reference, current: cells.current }, { threshold })
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

  const value = distance(method, cells, { ...(numeric ? { numeric } : {}) });
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
    for (const chunk of chunks) {
      const c = referenceCells(chunk);
      if (!c || sum(c.current) === 0 || sum(c.reference) === 0) continue;
      const chunkNumeric =
        numeric && chunk.numeric[key]
          ? {
              ref: { ...numeric.ref, sums: subtractCounts(numeric.ref.sums, chunk.numeric[key]!.sums) },
              cur: chunk.numeric[key]!,
              edges: numeric.edges,
            }
          : undefined;
      chunkValues.push(distance(method, c, chunkNumeric ? { numeric: chunkNumeric } : {}));
      chunkSizes.push(sum(c.current));
    }
    const calibration = calibrate(chunkValues, chunkSizes);
    Object.assign(details, chunkDetails(calibration));
    const fromChunks = calibration ? chunkDistanceThreshold(calibration, m, oneSidedZ(alpha)) : null;
    threshold = Math.max(noise ?? 0, fromChunks ?? 0) || FALLBACK_THRESHOLDS[method];
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

function categoryTable(cells: Cells) {
  const reference: Record<string, number> = {};
  const current: Record<string, number> = {};
  cells.bins.forEach((b, i) => {
    reference[String(b)] = cells.reference[i]!;
    current[String(b)] = cells.current[i]!;
  });
  return { reference, current };
}
