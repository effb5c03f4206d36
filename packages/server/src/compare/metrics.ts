/**
 * The paired comparison of one performance metric of two versions on the same labelled rows:
 * McNemar's exact test with Newcombe's interval for accuracy (from the full 2 × 2 table counted in
 * SQL), DeLong for ROC AUC and a paired bootstrap for the others (on the bounded sample). Every
 * difference is b − a, so the stats functions (which give first − second) get B first.
 */
import {
  delongTest,
  mcnemarTest,
  type PairedDifference,
  pairedAccuracyDifference,
  pairedBootstrap,
} from '@vigil/stats';
import type { ComparisonMetric, MetricComparison } from '../api/schemas/compare.js';
import type { PairedCounts, PairedSampleRow } from '../storage/comparison.js';

/** Fewer labelled pairs than this give `insufficient_data`. */
export const MIN_LABELLED_PAIRS = 10;

export const GREATER_IS_BETTER: Record<ComparisonMetric, boolean> = {
  accuracy: true,
  precision: true,
  recall: true,
  f1: true,
  roc_auc: true,
  macro_recall: true,
  mae: false,
  rmse: false,
};

const TEST: Record<ComparisonMetric, MetricComparison['test']> = {
  accuracy: 'mcnemar',
  roc_auc: 'delong',
  precision: 'paired_bootstrap',
  recall: 'paired_bootstrap',
  f1: 'paired_bootstrap',
  macro_recall: 'paired_bootstrap',
  mae: 'paired_bootstrap',
  rmse: 'paired_bootstrap',
};

const finite = (x: number) => (Number.isFinite(x) ? x : null);

function insufficient(metric: ComparisonMetric, reason: string, sampleSize: number, sampled: boolean) {
  return {
    metric,
    greater_is_better: GREATER_IS_BETTER[metric],
    test: TEST[metric],
    status: 'insufficient_data' as const,
    reason,
    a: null,
    b: null,
    difference: null,
    lower: null,
    upper: null,
    p_value: null,
    sample_size: sampleSize,
    sampled,
    better: null,
  };
}

/** `result` holds B's value as `a` and A's as `b` (B was passed first, see the header). */
function fromDifference(
  metric: ComparisonMetric,
  result: PairedDifference,
  pValue: number,
  sampleSize: number,
  sampled: boolean,
): MetricComparison {
  if (!Number.isFinite(result.difference)) {
    return insufficient(
      metric,
      `${metric} is undefined on these pairs (e.g. one class only).`,
      sampleSize,
      sampled,
    );
  }
  const greaterIsBetter = GREATER_IS_BETTER[metric];
  const lower = finite(result.lower);
  const upper = finite(result.upper);
  // B is better when the whole interval of b − a lies on B's better side.
  let better: 'a' | 'b' | null = null;
  if (lower !== null && lower > 0) better = greaterIsBetter ? 'b' : 'a';
  else if (upper !== null && upper < 0) better = greaterIsBetter ? 'a' : 'b';
  return {
    metric,
    greater_is_better: greaterIsBetter,
    test: TEST[metric],
    status: 'ok',
    reason: null,
    a: finite(result.b),
    b: finite(result.a),
    difference: finite(result.difference),
    lower,
    upper,
    p_value: finite(pValue),
    sample_size: sampleSize,
    sampled,
    better,
  };
}

export function compareAccuracy(counts: PairedCounts, confidence: number): MetricComparison {
  if (counts.labelled < MIN_LABELLED_PAIRS) {
    return insufficient(
      'accuracy',
      `${counts.labelled} labelled pairs; the comparison needs at least ${MIN_LABELLED_PAIRS}.`,
      counts.labelled,
      false,
    );
  }
  // B first: its right-only rows are the table's `onlyA`.
  const table = {
    bothCorrect: counts.bothRight,
    onlyA: counts.onlyB,
    onlyB: counts.onlyA,
    bothWrong: counts.bothWrong,
  };
  const difference = pairedAccuracyDifference(table, confidence);
  const test = mcnemarTest(table);
  // With no discordant pair the exact test's p is 1: the two never disagree on a labelled row.
  return fromDifference('accuracy', difference, test.pValue, counts.labelled, false);
}

export interface SampleMetricOptions {
  confidence: number;
  resamples: number;
  positiveClass: string | null;
  /** True when the rows are a sample of more labelled pairs. */
  sampled: boolean;
}

type RowMetric = (rows: Uint32Array) => number;

/** Per row: 2 when predicted positive, plus 1 when labelled positive (typed, for fast resampling). */
function binaryCodes(predictions: (string | null)[], labels: string[], positive: string): Uint8Array {
  return Uint8Array.from(
    labels,
    (label, i) => (predictions[i] === positive ? 2 : 0) + (label === positive ? 1 : 0),
  );
}

function classificationMetric(metric: 'precision' | 'recall' | 'f1', codes: Uint8Array): RowMetric {
  const cells = new Float64Array(4);
  return (rows) => {
    cells.fill(0);
    for (let k = 0; k < rows.length; k++) cells[codes[rows[k]!]!]!++;
    const tp = cells[3]!;
    const fp = cells[2]!;
    const fn = cells[1]!;
    if (metric === 'precision') return tp + fp === 0 ? Number.NaN : tp / (tp + fp);
    if (metric === 'recall') return tp + fn === 0 ? Number.NaN : tp / (tp + fn);
    return 2 * tp + fp + fn === 0 ? Number.NaN : (2 * tp) / (2 * tp + fp + fn);
  };
}

function macroRecall(predictions: (string | null)[], labels: string[]): RowMetric {
  const classes = [...new Set(labels)].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const labelIndex = Int32Array.from(labels, (l) => index.get(l)!);
  const hit = Uint8Array.from(labels, (l, i) => (predictions[i] === l ? 1 : 0));
  const support = new Float64Array(classes.length);
  const hits = new Float64Array(classes.length);
  return (rows) => {
    support.fill(0);
    hits.fill(0);
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      support[labelIndex[i]!]!++;
      hits[labelIndex[i]!]! += hit[i]!;
    }
    let sum = 0;
    let present = 0;
    for (let c = 0; c < classes.length; c++) {
      if (support[c]! === 0) continue;
      sum += hits[c]! / support[c]!;
      present++;
    }
    return present === 0 ? Number.NaN : sum / present;
  };
}

/** Per row its absolute or squared error; NaN where the prediction or label is not a number. */
function regressionMetric(metric: 'mae' | 'rmse', predictions: (number | null)[], labels: (number | null)[]) {
  const errors = Float64Array.from(labels, (y, i) => {
    const p = predictions[i];
    if (p === null || p === undefined || y === null) return Number.NaN;
    return metric === 'mae' ? Math.abs(p - y) : (p - y) ** 2;
  });
  return (rows: Uint32Array) => {
    let sum = 0;
    let n = 0;
    for (let k = 0; k < rows.length; k++) {
      const e = errors[rows[k]!]!;
      if (Number.isNaN(e)) continue;
      sum += e;
      n++;
    }
    if (n === 0) return Number.NaN;
    return metric === 'mae' ? sum / n : Math.sqrt(sum / n);
  };
}

/** A metric compared on the sampled labelled pairs (DeLong for ROC AUC, else the paired bootstrap). */
export function compareOnSample(
  metric: Exclude<ComparisonMetric, 'accuracy'>,
  rows: PairedSampleRow[],
  options: SampleMetricOptions,
): MetricComparison {
  const { confidence, sampled } = options;
  if (metric === 'roc_auc') {
    const scored = rows.filter((r) => Number.isFinite(r.scoreA) && Number.isFinite(r.scoreB));
    if (scored.length < MIN_LABELLED_PAIRS) {
      return insufficient(
        metric,
        `${scored.length} labelled pairs with a score from both versions; ROC AUC needs at least ${MIN_LABELLED_PAIRS}.`,
        scored.length,
        sampled,
      );
    }
    const positive = options.positiveClass ?? '1';
    const labels = scored.map((r) => (r.label === positive ? 1 : 0));
    const result = delongTest(
      labels,
      scored.map((r) => r.scoreB!),
      scored.map((r) => r.scoreA!),
      { posLabel: 1, confidence },
    );
    if (result.positives < 2 || result.negatives < 2) {
      return insufficient(
        metric,
        `ROC AUC needs at least 2 positive and 2 negative labelled pairs; there are ${result.positives} and ${result.negatives}.`,
        scored.length,
        sampled,
      );
    }
    return fromDifference(
      metric,
      {
        a: result.aucA,
        b: result.aucB,
        difference: result.difference,
        lower: result.lower,
        upper: result.upper,
        confidence,
      },
      result.pValue,
      scored.length,
      sampled,
    );
  }
  if (rows.length < MIN_LABELLED_PAIRS) {
    return insufficient(
      metric,
      `${rows.length} labelled pairs; the comparison needs at least ${MIN_LABELLED_PAIRS}.`,
      rows.length,
      sampled,
    );
  }
  const labels = rows.map((r) => r.label);
  let onA: RowMetric;
  let onB: RowMetric;
  if (metric === 'mae' || metric === 'rmse') {
    const y = rows.map((r) => r.labelNumber);
    onA = regressionMetric(
      metric,
      rows.map((r) => r.numberA),
      y,
    );
    onB = regressionMetric(
      metric,
      rows.map((r) => r.numberB),
      y,
    );
  } else if (metric === 'macro_recall') {
    onA = macroRecall(
      rows.map((r) => r.predictionA),
      labels,
    );
    onB = macroRecall(
      rows.map((r) => r.predictionB),
      labels,
    );
  } else {
    const positive = options.positiveClass ?? '1';
    onA = classificationMetric(
      metric,
      binaryCodes(
        rows.map((r) => r.predictionA),
        labels,
        positive,
      ),
    );
    onB = classificationMetric(
      metric,
      binaryCodes(
        rows.map((r) => r.predictionB),
        labels,
        positive,
      ),
    );
  }
  // A fixed seed: the same data give the same interval on every request.
  const result = pairedBootstrap(rows.length, onB, onA, {
    confidence,
    resamples: options.resamples,
    seed: 20260105,
  });
  return fromDifference(metric, result, result.pValue, rows.length, sampled);
}
