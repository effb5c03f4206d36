/**
 * Multivariate drift (data reconstruction error) as the default multivariate monitor measures it,
 * on a deterministic sample of at most 5,000 evenly spaced rows of each file (the server samples
 * in its engine: with fewer rows than that on both sides, the numbers are the server's; with more,
 * they agree in method and threshold, not to the last digit).
 */
import {
  type FeatureColumns,
  fitReconstructionBaseline,
  MULTIVARIATE_CALIBRATION_CHUNKS,
  MULTIVARIATE_MAX_SAMPLE_ROWS,
  MULTIVARIATE_MIN_SAMPLE,
  meanOf,
  perTestAlpha,
  reconstructionBand,
  reconstructionErrors,
} from '@vigil/stats';
import type { CategoricalColumn, Column } from './columns.js';
import type { Status } from './types.js';

export interface MultivariateSection {
  method: 'data_reconstruction';
  features: string[];
  value: number | null;
  threshold_lower: number | null;
  threshold_upper: number | null;
  reference_value: number | null;
  status: Status;
  reason: string | null;
  sample_size: number;
  components: number | null;
}

/** One feature's sampled rows of both files (the same rows of every feature). */
export interface SampledFeature {
  name: string;
  type: string;
  reference: Float64Array | (string | null)[];
  current: Float64Array | (string | null)[];
}

/** Row indices of an evenly spaced sample of at most `limit` rows. */
function sampleIndices(rows: number, limit: number): Uint32Array {
  if (rows <= limit) return Uint32Array.from({ length: rows }, (_, i) => i);
  return Uint32Array.from({ length: limit }, (_, k) => Math.floor((k * rows) / limit));
}

/** The evenly spaced sample of one column: numbers, or category text (null when missing). */
export function sampleColumn(column: Column, rows: number, limit: number): Float64Array | (string | null)[] {
  const picks = sampleIndices(rows, limit);
  if (column.storage === 'numeric') return Float64Array.from(picks, (i) => column.values[i]!);
  const c = column as CategoricalColumn;
  return Array.from(picks, (i) => (c.codes[i]! < 0 ? null : c.dictionary[c.codes[i]!]!));
}

function featureColumns(samples: (Float64Array | (string | null)[])[]): FeatureColumns {
  const numeric: Float64Array[] = [];
  const categorical: (string | null)[][] = [];
  for (const sample of samples) {
    if (sample instanceof Float64Array) numeric.push(sample);
    else categorical.push(sample);
  }
  return { numeric, categorical };
}

export function multivariateSection(
  features: SampledFeature[],
  referenceRows: number,
  currentRows: number,
  budget: number,
  windowsPerWeek: number,
): { section: MultivariateSection; sampled: boolean } {
  const ordered = [
    ...features.filter((f) => f.type === 'numeric'),
    ...features.filter((f) => f.type !== 'numeric'),
  ];
  const limit = MULTIVARIATE_MAX_SAMPLE_ROWS;
  const sampled = referenceRows > limit || currentRows > limit;
  const section: MultivariateSection = {
    method: 'data_reconstruction',
    features: ordered.map((f) => f.name),
    value: null,
    threshold_lower: null,
    threshold_upper: null,
    reference_value: null,
    status: 'insufficient_data',
    reason: null,
    sample_size: Math.min(currentRows, limit),
    components: null,
  };
  if (currentRows < MULTIVARIATE_MIN_SAMPLE) {
    section.reason = `${currentRows} rows in the current data; multivariate drift needs at least ${MULTIVARIATE_MIN_SAMPLE}.`;
    return { section, sampled };
  }
  if (referenceRows < 2 * MULTIVARIATE_CALIBRATION_CHUNKS) {
    section.reason = `The reference has ${referenceRows} rows; multivariate drift needs at least ${2 * MULTIVARIATE_CALIBRATION_CHUNKS}.`;
    return { section, sampled };
  }
  try {
    const reference = featureColumns(ordered.map((f) => f.reference));
    const current = featureColumns(ordered.map((f) => f.current));
    const baseline = fitReconstructionBaseline(reference, Math.min(referenceRows, limit));
    const value = meanOf(reconstructionErrors(baseline.model, current));
    const band = reconstructionBand(baseline, section.sample_size, perTestAlpha(budget, windowsPerWeek, 1));
    Object.assign(section, {
      value,
      threshold_lower: band.lower,
      threshold_upper: band.upper,
      reference_value: baseline.value,
      status: value < band.lower || value > band.upper ? 'alert' : 'ok',
      components: baseline.model.components.length,
    });
  } catch (error) {
    section.status = 'error';
    section.reason = (error as Error).message;
  }
  return { section, sampled };
}
