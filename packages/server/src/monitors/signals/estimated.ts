/**
 * Performance estimated before labels arrive (confidence-based performance estimation, CBPE, as
 * NannyML does it) for binary classifiers: with calibrated scores, a row predicted positive is a
 * true positive with probability equal to its calibrated score, so the expected confusion matrix,
 * and every metric of it, follows from the window's scores alone.
 *
 * Computed from aggregates, not rows: the engine returns fine score histograms (1,000 bins with
 * per-bin sums) split by prediction; calibration is an isotonic fit of the reference's positive
 * rate per bin (weighted by the bin's rows), applied to each bin's mean score, so the estimate
 * differs from a row-level one with the same calibration only by the spread of scores within a
 * bin of width 0.001. Unlike NannyML, the calibration is always applied (NannyML first checks by
 * cross-validation on rows that it lowers the calibration error); `cbpe-binned.test.ts` holds the
 * estimate against NannyML's own numbers.
 */
import { ESTIMATION_MIN_SAMPLE } from '@vigil/stats';
import type { NewMonitorResult } from '../../domain/index.js';
import {
  baselineAndCurrent,
  type EvaluationContext,
  loadBaseline,
  type Measures,
  makeResult,
} from '../context.js';
import { chunkDetails, oneSidedZ, perTestAlpha } from '../thresholds.js';
import { type EvaluationWindow, windowsPerWeek } from '../windows.js';
import {
  calibrationOnBins,
  CBPE_EDGES as EDGES,
  expectedConfusion,
  metricsFromConfusion,
} from './cbpe-binned.js';
import { baselineBand, classificationMetrics, metricCalibration, positiveClass } from './performance.js';

const METRICS = ['accuracy', 'precision', 'recall', 'f1'] as const;

export { ESTIMATION_MIN_SAMPLE };

/** The scores of the baseline's rows labelled `label`. */
const positiveScores = (label: string) => ({
  key: `positive:${label}`,
  target: { field: 'score' as const },
  edges: EDGES,
  where: { field: 'label' as const, equals: label },
});

/**
 * The baseline: its score histogram, that of its rows labelled positive, and its realized
 * confusion (for thresholds). Which label is positive is known before any data when the
 * schema declares the classes; otherwise the conventional names are tried at once and any
 * other label costs one more pass in `evaluateEstimated`.
 */
function estimatedBaselineMeasures(ctx: EvaluationContext): Measures {
  const declared = ctx.model.schema?.classes?.at(-1);
  const candidates = declared !== undefined ? [declared] : ['1', 'true'];
  return {
    numeric: [{ key: 'all', target: { field: 'score' }, edges: EDGES }, ...candidates.map(positiveScores)],
    confusion: true,
  };
}

/** Computes the baseline statistics `evaluateEstimated` reads, for windows of each of `rows` rows. */
export async function warmEstimated(
  ctx: EvaluationContext,
  window: EvaluationWindow,
  rows: number[],
): Promise<void> {
  if (ctx.config.kind !== 'estimated_performance') return;
  const measures = estimatedBaselineMeasures(ctx);
  for (const n of rows) await loadBaseline(ctx, window, measures, n);
}

export async function evaluateEstimated(
  ctx: EvaluationContext,
  window: EvaluationWindow,
): Promise<NewMonitorResult[]> {
  const config = ctx.config;
  if (config.kind !== 'estimated_performance') return [];
  const names = config.metrics ?? [...METRICS];
  const baselineMeasures = estimatedBaselineMeasures(ctx);
  const { baseline, current } = await baselineAndCurrent(ctx, window, baselineMeasures, (base) => ({
    numeric: [
      {
        key: 'predicted_positive',
        target: { field: 'score' },
        edges: EDGES,
        where: { field: 'prediction', equals: positiveClass(ctx, base.total) },
      },
      { key: 'all', target: { field: 'score' }, edges: EDGES },
    ],
  }));
  const positiveLabel = positiveClass(ctx, baseline.total);
  const minSample = config.min_sample_size ?? ESTIMATION_MIN_SAMPLE;
  const all = current.numeric.all;
  const scored = all ? all.counts.reduce((a, b) => a + b, 0) : 0;
  const insufficient = (reason: string) =>
    names.map((metric) =>
      makeResult(ctx, window, { metric, sampleSize: scored, status: 'insufficient_data', reason }),
    );
  if (scored < minSample)
    return insufficient(
      `${scored} scored predictions in the window; estimation needs at least ${minSample}.`,
    );

  const ref = baseline.total.numeric;
  const refAll = ref.all;
  let refPositive = ref[`positive:${positiveLabel}`];
  if (!refPositive && baseline.total.confusion.length > 0) {
    const again = await loadBaseline(ctx, window, { numeric: [positiveScores(positiveLabel)] }, current.rows);
    refPositive = again.total.numeric[`positive:${positiveLabel}`];
  }
  // A reference without scores still profiles the score column, with no values in any bin.
  const refScored = (refAll?.counts ?? []).reduce((a, b) => a + b, 0) > 0;
  if (!refAll || !refScored || !refPositive || baseline.total.confusion.length === 0) {
    return insufficient(
      `The baseline (${baseline.description}) has no labelled, scored rows to calibrate scores on.`,
    );
  }
  const calibrated = calibrationOnBins(refAll, refPositive);
  const positive = current.numeric.predicted_positive!;
  const negative = {
    counts: all!.counts.map((c, b) => c - positive.counts[b]!),
    sums: all!.sums.map((s, b) => s - positive.sums[b]!),
  };
  const estimate = metricsFromConfusion(expectedConfusion(calibrated, positive, negative));
  const realized = classificationMetrics(baseline.total, positiveLabel, false);
  const chunkMetrics = baseline.chunks.map((c) => classificationMetrics(c, positiveLabel, false));
  const alpha = perTestAlpha(ctx.budgetPerWeek, windowsPerWeek(config.window), names.length);
  const z = oneSidedZ(alpha);
  return names.map((metric) => {
    const value = estimate[metric]!;
    const reference = realized[metric];
    const fixed = config.thresholds?.[metric];
    let lower: number | null = null;
    let upper: number | null = null;
    if (fixed) {
      lower = fixed.lower ?? null;
      upper = fixed.upper ?? null;
    } else if (reference && Number.isFinite(reference.value)) {
      const band = baselineBand(metric, reference, chunkMetrics, value, scored, z);
      lower = band.lower;
    }
    if (!Number.isFinite(value.value)) {
      return makeResult(ctx, window, {
        metric,
        sampleSize: scored,
        status: 'insufficient_data',
        reason: `${metric} is undefined in this window (no rows it applies to).`,
      });
    }
    const se = Math.sqrt(value.rowVariance / Math.max(1, value.rows));
    const breach = (lower !== null && value.value < lower) || (upper !== null && value.value > upper);
    return makeResult(ctx, window, {
      metric,
      value: value.value,
      thresholdLower: lower,
      thresholdUpper: upper,
      bandLower: value.value - 1.96 * se,
      bandUpper: value.value + 1.96 * se,
      sampleSize: scored,
      status: breach ? 'alert' : 'ok',
      details: {
        method: 'cbpe',
        positive_class: positiveLabel,
        baseline_value: reference?.value ?? null,
        ...chunkDetails(metricCalibration(metric, chunkMetrics)),
        baseline: baseline.description,
      },
    });
  });
}
