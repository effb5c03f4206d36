/**
 * Multivariate drift: changes in how features relate to each other, which no per-feature test
 * sees (two features whose correlation flips keep both their distributions).
 *
 * The main measure is NannyML's data reconstruction drift: a PCA fitted on the baseline
 * compresses each row, and the mean distance between rows and their reconstructions rises when
 * the relations the PCA learnt stop holding. Optionally a domain classifier reports how well
 * the window can be told apart from the baseline (its cross-validated ROC AUC).
 *
 * Both need rows, not aggregates: they work on a bounded, deterministic sample drawn by the
 * engine (`Store.sampleRows`) and say so in their results. The baseline's PCA and its calibration
 * are computed once per baseline and cached; for a reference dataset they are kept in the store.
 *
 * Calibration follows the other monitors (thresholds.ts): the baseline sample is cut into
 * consecutive chunks, each chunk's mean error is measured with a PCA fitted on the other chunks
 * (never on data that contains it, as a production window never is), and the band is the
 * baseline error ± z·sqrt(sampling variance at the window's size + the chunks' excess variance).
 */
import {
  type DataReconstructionModel,
  domainClassifierDrift,
  type FeatureColumns,
  fitReconstructionBaseline,
  MULTIVARIATE_CALIBRATION_CHUNKS,
  MULTIVARIATE_MIN_SAMPLE,
  meanOf,
  type ReconstructionBaseline,
  type ReconstructionComplement,
  reconstructionBand,
  reconstructionComplement,
  reconstructionErrors,
} from '@vigil/stats';
import type { NewMonitorResult } from '../../domain/index.js';
import type { ProfileSource } from '../../storage/profiles.js';
import type { RowSample } from '../../storage/samples.js';
import {
  BaselineUnavailable,
  baselineSource,
  currentSource,
  type EvaluationContext,
  makeResult,
  referenceBaseline,
} from '../context.js';
import { chunkDetails, oneSidedZ, perTestAlpha } from '../thresholds.js';
import { type EvaluationWindow, windowsPerWeek } from '../windows.js';

export { MULTIVARIATE_MIN_SAMPLE };

const CALIBRATION_CHUNKS = MULTIVARIATE_CALIBRATION_CHUNKS;
/** The classifier's no-drift band starts at NannyML's constant upper threshold for this method. */
const DOMAIN_CLASSIFIER_MIN_UPPER = 0.65;

export interface MultivariateFeatures {
  numeric: string[];
  categorical: string[];
}

/** The features a multivariate monitor watches: the chosen ones, or every numeric, categorical and boolean one. */
export function multivariateFeatures(
  ctx: Pick<EvaluationContext, 'columns' | 'config'>,
): MultivariateFeatures {
  const wanted =
    ctx.config.kind === 'multivariate_drift' && ctx.config.features ? new Set(ctx.config.features) : null;
  const latest = new Map<string, string>();
  for (const column of ctx.columns) if (column.role === 'feature') latest.set(column.name, column.type);
  const out: MultivariateFeatures = { numeric: [], categorical: [] };
  for (const [name, type] of latest) {
    if (wanted && !wanted.has(name)) continue;
    if (type === 'numeric') out.numeric.push(name);
    else if (type === 'categorical' || type === 'boolean') out.categorical.push(name);
  }
  return out;
}

function asColumns(sample: RowSample, features: MultivariateFeatures): FeatureColumns {
  return {
    numeric: features.numeric.map((name) => sample.numeric[name]!),
    categorical: features.categorical.map((name) => sample.categorical[name]!),
  };
}

/**
 * What a baseline contributes, computed once: the PCA and its calibration (kept in the store for
 * a reference dataset), without the sample itself, which only the domain classifier reads.
 */
export interface MultivariateBaseline extends Omit<ReconstructionBaseline, 'columns'> {
  totalRows: number;
  description: string;
}

/**
 * Each cached baseline model's complement (see `reconstructionComplement`), built at its first
 * window and dropped with the model.
 */
const complements = new WeakMap<DataReconstructionModel, ReconstructionComplement | null>();

function complementOf(model: DataReconstructionModel): ReconstructionComplement | null {
  let complement = complements.get(model);
  if (complement === undefined) {
    complement = reconstructionComplement(model);
    complements.set(model, complement);
  }
  return complement;
}

/** Fits the PCA on the baseline sample and measures each chunk with a PCA fitted on the other chunks. */
export function fitMultivariateBaseline(
  sample: RowSample,
  features: MultivariateFeatures,
  description: string,
): MultivariateBaseline {
  const n = sample.rows;
  if (n < 2 * CALIBRATION_CHUNKS) {
    throw new BaselineUnavailable(
      `The baseline (${description}) has ${n} rows; multivariate drift needs at least ${2 * CALIBRATION_CHUNKS}.`,
    );
  }
  const { columns: _sample, ...fit } = fitReconstructionBaseline(asColumns(sample, features), n);
  return { ...fit, totalRows: sample.totalRows, description };
}

/** The baseline's fit, and a way to its sample (drawn again when not in memory: samples are deterministic). */
async function loadMultivariateBaseline(
  ctx: EvaluationContext,
  window: EvaluationWindow,
  features: MultivariateFeatures,
  limit: number,
): Promise<{ baseline: MultivariateBaseline; sample: () => Promise<RowSample> }> {
  const { source, cacheKey, description, reference } = await baselineSource(ctx, window);
  const sampleSource: ProfileSource =
    source.kind === 'reference' ? { kind: 'reference', datasetId: source.datasetId } : source;
  const draw = () =>
    ctx.store.sampleRows(ctx.model.id, ctx.columns, { source: sampleSource, ...features, limit });
  const key = `${cacheKey}:${JSON.stringify([features.numeric, features.categorical, limit])}`;
  const sample =
    cacheKey === null ? draw : () => ctx.cache.get(ctx.model.id, `multivariate-sample:${key}`, draw);
  const load = async () => fitMultivariateBaseline(await sample(), features, description);
  const baseline = reference
    ? await referenceBaseline(ctx, reference, 'multivariate', key, load)
    : cacheKey === null
      ? await load()
      : await ctx.cache.get(ctx.model.id, `multivariate:${key}`, load);
  return { baseline, sample };
}

/** Computes the baseline's PCA fit and calibration that `evaluateMultivariate` reads. */
export async function warmMultivariate(ctx: EvaluationContext, window: EvaluationWindow): Promise<void> {
  const config = ctx.config;
  if (config.kind !== 'multivariate_drift') return;
  const features = multivariateFeatures(ctx);
  if (features.numeric.length + features.categorical.length < 2) return;
  await loadMultivariateBaseline(ctx, window, features, config.max_sample_rows);
}

export async function evaluateMultivariate(
  ctx: EvaluationContext,
  window: EvaluationWindow,
): Promise<NewMonitorResult[]> {
  const config = ctx.config;
  if (config.kind !== 'multivariate_drift') return [];
  const features = multivariateFeatures(ctx);
  const watched = [...features.numeric, ...features.categorical];
  const metrics = config.domain_classifier
    ? ['reconstruction_error', 'domain_classifier_auc']
    : ['reconstruction_error'];
  // Asked with the window's profiles: a small window's sample is read with them, as its rows.
  const source = currentSource(ctx, window);
  const request = { ...features, limit: config.max_sample_rows };
  const current = ctx.shared
    ? await ctx.shared.sample(source, request)
    : await ctx.store.sampleRows(ctx.model.id, ctx.columns, { ...request, source });
  const minSample = config.min_sample_size ?? MULTIVARIATE_MIN_SAMPLE;
  if (watched.length < 2) {
    return metrics.map((metric) =>
      makeResult(ctx, window, {
        metric,
        sampleSize: current.rows,
        status: 'error',
        reason: `Multivariate drift needs at least 2 numeric, categorical or boolean features; the model has ${watched.length}.`,
      }),
    );
  }
  if (current.totalRows < minSample) {
    return metrics.map((metric) =>
      makeResult(ctx, window, {
        metric,
        sampleSize: current.totalRows,
        status: 'insufficient_data',
        reason: `${current.totalRows} rows in the window; multivariate drift needs at least ${minSample}.`,
      }),
    );
  }
  const { baseline, sample } = await loadMultivariateBaseline(ctx, window, features, config.max_sample_rows);
  const columns = asColumns(current, features);
  const alpha = perTestAlpha(ctx.budgetPerWeek, windowsPerWeek(config.window), metrics.length);
  const sampling = {
    features: watched,
    current_rows: current.rows,
    current_total_rows: current.totalRows,
    baseline_rows: baseline.rows,
    baseline_total_rows: baseline.totalRows,
    sampled: current.rows < current.totalRows || baseline.rows < baseline.totalRows,
    baseline: baseline.description,
    alpha,
  };
  const results: NewMonitorResult[] = [];

  const errors = reconstructionErrors(baseline.model, columns, complementOf(baseline.model));
  const value = meanOf(errors);
  const se =
    Math.sqrt(errors.reduce((a, e) => a + (e - value) ** 2, 0) / Math.max(1, errors.length - 1)) /
    Math.sqrt(Math.max(1, errors.length));
  let lower: number | null;
  let upper: number | null;
  const details: Record<string, unknown> = {
    ...sampling,
    components: baseline.model.components.length,
    explained_variance: baseline.model.explainedVarianceRatio
      .slice(0, baseline.model.components.length)
      .reduce((a, b) => a + b, 0),
    baseline_value: baseline.value,
  };
  Object.assign(details, chunkDetails(baseline.calibration));
  if (config.threshold) {
    lower = config.threshold.lower ?? null;
    upper = config.threshold.upper ?? null;
    details.threshold_source = 'set on the monitor';
  } else {
    // Both directions: relations that got looser raise the error, a collapse onto fewer axes lowers it.
    const band = reconstructionBand(baseline, current.rows, alpha);
    lower = band.lower;
    upper = band.upper;
    details.threshold_source = 'baseline';
  }
  const breach = (lower !== null && value < lower) || (upper !== null && value > upper);
  results.push(
    makeResult(ctx, window, {
      metric: 'reconstruction_error',
      value,
      thresholdLower: lower,
      thresholdUpper: upper,
      bandLower: value - 1.96 * se,
      bandUpper: value + 1.96 * se,
      sampleSize: current.rows,
      status: breach ? 'alert' : 'ok',
      details,
    }),
  );

  if (config.domain_classifier) {
    const baselineColumns = asColumns(await sample(), features);
    results.push(
      domainClassifierResult(ctx, window, baseline, baselineColumns, columns, current.rows, alpha, sampling),
    );
  }
  return results;
}

function domainClassifierResult(
  ctx: EvaluationContext,
  window: EvaluationWindow,
  baseline: MultivariateBaseline,
  baselineColumns: FeatureColumns,
  current: FeatureColumns,
  currentRows: number,
  alpha: number,
  sampling: Record<string, unknown>,
): NewMonitorResult {
  // Under no drift the AUC's spread is about sqrt((n + m + 1) / (12·n·m)) (Mann–Whitney).
  const n = baseline.rows;
  const m = currentRows;
  const nullSd = Math.sqrt((n + m + 1) / (12 * n * m));
  const upper = Math.max(DOMAIN_CLASSIFIER_MIN_UPPER, 0.5 + oneSidedZ(alpha) * nullSd);
  try {
    const result = domainClassifierDrift(baselineColumns, current, {
      maxRowsPerSample: Math.max(n, m),
      lowerThreshold: 0,
      upperThreshold: upper,
    });
    return makeResult(ctx, window, {
      metric: 'domain_classifier_auc',
      value: result.auc,
      thresholdUpper: upper,
      sampleSize: result.currentRows,
      status: result.auc > upper ? 'alert' : 'ok',
      details: {
        ...sampling,
        classifier: 'L2 logistic regression on standardised features, squares and pairwise products',
        feature_importance: Object.fromEntries(
          [...(sampling.features as string[])].map((f, i) => [f, result.featureImportance[i] ?? null]),
        ),
        threshold_source: 'sampling noise of the AUC, at least 0.65',
      },
    });
  } catch (error) {
    return makeResult(ctx, window, {
      metric: 'domain_classifier_auc',
      sampleSize: currentRows,
      status: 'error',
      reason: (error as Error).message,
    });
  }
}
