/**
 * Multivariate drift as the default monitor measures it (NannyML's data reconstruction drift): a
 * PCA fitted on the baseline sample compresses each row, and the mean distance between rows and
 * their reconstructions rises when the relations the PCA learnt stop holding. The baseline is cut
 * into consecutive chunks, each measured with a PCA fitted on the others, and the band is the
 * baseline error ± z·sqrt(sampling variance at the window's size + the chunks' excess variance).
 * Shared by the server's monitor and the offline report.
 */
import {
  type DataReconstructionModel,
  fitDataReconstruction,
  reconstructionErrors,
} from '../multivariate/reconstruction.js';
import type { FeatureColumns } from '../multivariate/tabular.js';
import { type ChunkCalibration, calibrate, metricBand, oneSidedZ } from './thresholds.js';

/** Rows a window needs before its reconstruction error means anything. */
export const MULTIVARIATE_MIN_SAMPLE = 100;
/** Pieces the baseline sample is cut into for calibration. */
export const MULTIVARIATE_CALIBRATION_CHUNKS = 10;
/** Rows drawn at most from the window and from the baseline. */
export const MULTIVARIATE_MAX_SAMPLE_ROWS = 5000;

/** What a baseline contributes, computed once: the PCA, its calibration and the sample itself. */
export interface ReconstructionBaseline {
  model: DataReconstructionModel;
  columns: FeatureColumns;
  rows: number;
  /** Mean out-of-chunk error, the centre of the band. */
  value: number;
  /** Variance of a single row's out-of-chunk error (the sampling variance of a window's mean is this / n). */
  rowVariance: number;
  calibration: ChunkCalibration | null;
}

function sliceColumns(columns: FeatureColumns, keep: (i: number) => boolean, n: number): FeatureColumns {
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (keep(i)) rows.push(i);
  return {
    numeric: columns.numeric.map((c) => Float64Array.from(rows, (i) => c[i]!)),
    categorical: (columns.categorical ?? []).map((c) => rows.map((i) => c[i] ?? null)),
  };
}

export function meanOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / Math.max(1, values.length);
}

/**
 * Fits the PCA on the baseline sample (`rows` rows, at least twice the chunk count) and measures
 * each chunk with a PCA fitted on the other chunks.
 */
export function fitReconstructionBaseline(columns: FeatureColumns, rows: number): ReconstructionBaseline {
  const n = rows;
  const chunks = MULTIVARIATE_CALIBRATION_CHUNKS;
  const model = fitDataReconstruction(columns);
  const chunkOf = (i: number) => Math.floor((i * chunks) / n);
  const chunkMeans: number[] = [];
  const chunkSizes: number[] = [];
  const errors: number[] = [];
  for (let k = 0; k < chunks; k++) {
    const rest = fitDataReconstruction(sliceColumns(columns, (i) => chunkOf(i) !== k, n));
    const chunk = reconstructionErrors(
      rest,
      sliceColumns(columns, (i) => chunkOf(i) === k, n),
    );
    chunkMeans.push(meanOf(chunk));
    chunkSizes.push(chunk.length);
    for (const e of chunk) errors.push(e);
  }
  const value = meanOf(errors);
  const rowVariance = errors.reduce((a, e) => a + (e - value) ** 2, 0) / Math.max(1, errors.length - 1);
  return { model, columns, rows: n, value, rowVariance, calibration: calibrate(chunkMeans, chunkSizes) };
}

/**
 * The band of a window's mean reconstruction error: both directions alert (relations that got
 * looser raise the error, a collapse onto fewer axes lowers it), so each side gets alpha / 2.
 */
export function reconstructionBand(
  baseline: Omit<ReconstructionBaseline, 'model' | 'columns'>,
  windowRows: number,
  alpha: number,
): { lower: number; upper: number } {
  const band = metricBand(
    baseline.value,
    (n) => baseline.rowVariance / Math.max(1, n),
    baseline.calibration,
    windowRows,
    oneSidedZ(alpha / 2),
    baseline.rowVariance / Math.max(1, baseline.rows),
  );
  return { lower: Math.max(0, band.lower), upper: band.upper };
}
