/**
 * What the model's outputs say, as the server's performance, estimated-performance and fairness
 * monitors compute it for one window holding the whole current file: metrics from confusion counts
 * (or error sums) with a band learnt from the reference and its chunks; CBPE from binned scores
 * when the current file has scores but no labels; selection-rate and opportunity gaps between the
 * groups of a sensitive column.
 */
import {
  baselineBand,
  binaryCounts,
  CBPE_EDGES,
  type ConfusionCell,
  calibrationOnBins,
  chunkCount,
  chunkOfRow,
  classificationMetrics,
  DEFAULT_FAIRNESS_LIMITS,
  ESTIMATION_MIN_SAMPLE,
  expectedConfusion,
  fairnessReport,
  type GroupConfusionCounts,
  HIGHER_IS_BETTER,
  type MetricValue,
  MONITOR_CLASSIFICATION_METRICS,
  MONITOR_MULTICLASS_METRICS,
  MONITOR_REGRESSION_METRICS,
  metricsFromConfusion,
  oneSidedZ,
  PERFORMANCE_MIN_LABELS,
  perTestAlpha,
  positiveClassOf,
  type RegressionSums,
  regressionMetrics,
  regressionSums,
} from '@vigil/stats';
import type { CategoricalColumn, NumericColumn } from './columns.js';
import { histogramByChunks } from './profile.js';
import type { Status, Task } from './types.js';

/** A model output column as text (classes) and as numbers (regression, scores); NaN / null when missing. */
export interface OutputColumn {
  text: (string | null)[];
  numbers: Float64Array;
}

export function outputColumn(column: NumericColumn | CategoricalColumn): OutputColumn {
  const n = column.length;
  const text: (string | null)[] = new Array(n);
  const numbers = new Float64Array(n);
  if (column.storage === 'numeric') {
    for (let i = 0; i < n; i++) {
      const v = column.values[i]!;
      numbers[i] = v;
      text[i] = Number.isNaN(v) ? null : String(v);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const code = column.codes[i]!;
      const t = code < 0 ? null : column.dictionary[code]!;
      text[i] = t;
      const v = t === null || t.trim() === '' ? Number.NaN : Number(t);
      numbers[i] = Number.isFinite(v) ? v : Number.NaN;
    }
  }
  return { text, numbers };
}

export interface MetricEntry {
  metric: string;
  value: number | null;
  threshold_lower: number | null;
  threshold_upper: number | null;
  reference_value: number | null;
  status: Status;
  sample_size: number;
  reason: string | null;
}

export interface PerformanceSection {
  task: Task;
  positive_class: string | null;
  labelled_rows: number;
  label_coverage: number;
  alpha: number;
  metrics: MetricEntry[];
}

export interface EstimatedSection {
  method: 'cbpe';
  positive_class: string;
  scored_rows: number;
  alpha: number;
  metrics: MetricEntry[];
}

export interface FairnessSection {
  attribute: string;
  favourable: string;
  groups: {
    group: string;
    count: number;
    selection_rate: number;
    true_positive_rate: number | null;
    included: boolean;
  }[];
  metrics: MetricEntry[];
}

/** Rows [start, end) of a table. */
type RowRange = readonly [number, number];

/** Confusion cells of the labelled rows (of a range, when given; only those `keep` accepts). */
function confusion(
  prediction: OutputColumn,
  label: OutputColumn,
  range: RowRange | null,
  keep?: (i: number) => boolean,
): ConfusionCell[] {
  const cells = new Map<string, ConfusionCell>();
  const visit = (i: number) => {
    const l = label.text[i];
    if (l === null || l === undefined || (keep && !keep(i))) return;
    const p = prediction.text[i] ?? null;
    const key = `${p}\u0000${l}`;
    const cell = cells.get(key);
    if (cell) cell.count++;
    else cells.set(key, { prediction: p, label: l, count: 1 });
  };
  const [start, end] = range ?? [0, label.text.length];
  for (let i = start; i < end; i++) visit(i);
  return [...cells.values()];
}

function regressionSumsOf(prediction: OutputColumn, label: OutputColumn, range?: RowRange): RegressionSums {
  const [start, end] = range ?? [0, label.numbers.length];
  return regressionSums(prediction.numbers, label.numbers, start, end);
}

/** The classes the server infers from reference data: labels and predictions, sorted as text. */
export function declaredClasses(
  prediction: OutputColumn | undefined,
  label: OutputColumn | undefined,
): string[] | undefined {
  const classes = new Set<string>();
  for (const column of [label, prediction]) {
    if (!column) continue;
    for (const t of column.text) {
      if (t !== null) classes.add(t);
      if (classes.size > 1000) return undefined;
    }
  }
  return classes.size > 0 ? [...classes].sort() : undefined;
}

/** The consecutive row ranges of `rows` cut into `chunks` pieces as the server cuts a reference. */
function chunkRanges(rows: number, chunks: number): RowRange[] {
  const starts = new Array<number>(chunks + 1).fill(rows);
  for (let i = rows - 1; i >= 0; i--) starts[chunkOfRow(i, rows, chunks)] = i;
  for (let c = chunks - 1; c >= 0; c--) starts[c] = Math.min(starts[c]!, starts[c + 1]!);
  return Array.from({ length: chunks }, (_, c) => [starts[c]!, starts[c + 1]!] as const);
}

interface Inputs {
  task: Task;
  budget: number;
  windowsPerWeek: number;
  classes: string[] | undefined;
}

/** An entry for each of `names` that the current data has too few rows to measure. */
function tooFewRows(names: readonly string[], sampleSize: number, reason: string): MetricEntry[] {
  return names.map((metric) => ({
    metric,
    value: null,
    threshold_lower: null,
    threshold_upper: null,
    reference_value: null,
    status: 'insufficient_data',
    sample_size: sampleSize,
    reason,
  }));
}

function metricEntries(
  names: readonly string[],
  now: Record<string, MetricValue>,
  reference: Record<string, MetricValue>,
  chunkMetrics: Record<string, MetricValue>[],
  windowRows: number,
  z: number,
  lowerOnly: boolean,
): MetricEntry[] {
  return names.map((metric) => {
    const value = now[metric];
    const ref = reference[metric];
    if (!value || !Number.isFinite(value.value)) {
      return {
        metric,
        value: null,
        threshold_lower: null,
        threshold_upper: null,
        reference_value: ref && Number.isFinite(ref.value) ? ref.value : null,
        status: 'insufficient_data',
        sample_size: windowRows,
        reason: `${metric} is undefined in the current data (no rows it applies to).`,
      };
    }
    let lower: number | null = null;
    let upper: number | null = null;
    if (ref && Number.isFinite(ref.value)) {
      const band = baselineBand(metric, ref, chunkMetrics, value, windowRows, z);
      if (lowerOnly || HIGHER_IS_BETTER.has(metric)) lower = band.lower;
      else if (metric === 'mean_error') {
        lower = band.lower;
        upper = band.upper;
      } else upper = band.upper;
    }
    const breach = (lower !== null && value.value < lower) || (upper !== null && value.value > upper);
    return {
      metric,
      value: value.value,
      threshold_lower: lower,
      threshold_upper: upper,
      reference_value: ref && Number.isFinite(ref.value) ? ref.value : null,
      status: breach ? 'alert' : 'ok',
      sample_size: value.rows,
      reason:
        lower === null && upper === null
          ? 'No threshold: the reference has no labelled rows to learn one from.'
          : null,
    };
  });
}

/** Performance with labels, as the default performance monitor computes it. */
export function performanceSection(
  inputs: Inputs,
  reference: { prediction: OutputColumn; label: OutputColumn | undefined; rows: number },
  current: { prediction: OutputColumn; label: OutputColumn; rows: number },
): PerformanceSection {
  const regression = inputs.task === 'regression';
  const names = regression
    ? MONITOR_REGRESSION_METRICS
    : inputs.task === 'multiclass_classification'
      ? MONITOR_MULTICLASS_METRICS
      : MONITOR_CLASSIFICATION_METRICS;
  const currentCells = regression ? [] : confusion(current.prediction, current.label, null);
  const currentSums = regression ? regressionSumsOf(current.prediction, current.label) : null;
  const labelled = regression ? currentSums!.count : currentCells.reduce((a, c) => a + c.count, 0);
  let labelledRows = 0;
  for (const t of current.label.text) if (t !== null) labelledRows++;
  const section: PerformanceSection = {
    task: inputs.task,
    positive_class: null,
    labelled_rows: labelledRows,
    label_coverage: current.rows === 0 ? 0 : labelledRows / current.rows,
    alpha: perTestAlpha(inputs.budget, inputs.windowsPerWeek, names.length),
    metrics: [],
  };
  if (labelled < PERFORMANCE_MIN_LABELS) {
    section.metrics = tooFewRows(
      names,
      labelled,
      `${labelled} labelled rows in the current data; performance needs at least ${PERFORMANCE_MIN_LABELS}.`,
    );
    return section;
  }
  // The reference is cut as the server cuts it for a window of `labelled` rows.
  const ranges = chunkRanges(reference.rows, chunkCount(reference.rows, labelled));
  const z = oneSidedZ(section.alpha);
  if (regression) {
    const label = reference.label;
    const referenceMetrics = label
      ? regressionMetrics({ regression: regressionSumsOf(reference.prediction, label) })
      : {};
    const chunkMetrics = label
      ? ranges.map((r) => regressionMetrics({ regression: regressionSumsOf(reference.prediction, label, r) }))
      : [];
    section.metrics = metricEntries(
      names,
      regressionMetrics({ regression: currentSums }),
      referenceMetrics,
      chunkMetrics,
      labelled,
      z,
      false,
    );
    return section;
  }
  const referenceCells = reference.label ? confusion(reference.prediction, reference.label, null) : [];
  const positive = positiveClassOf(inputs.classes, referenceCells.length > 0 ? referenceCells : currentCells);
  section.positive_class = positive;
  const multiclass = inputs.task === 'multiclass_classification';
  const chunkMetrics = reference.label
    ? ranges.map((r) =>
        classificationMetrics(
          { confusion: confusion(reference.prediction, reference.label!, r) },
          positive,
          multiclass,
        ),
      )
    : [];
  section.metrics = metricEntries(
    names,
    classificationMetrics({ confusion: currentCells }, positive, multiclass),
    referenceCells.length > 0
      ? classificationMetrics({ confusion: referenceCells }, positive, multiclass)
      : {},
    chunkMetrics,
    labelled,
    z,
    false,
  );
  return section;
}

function scoreHistogram(score: OutputColumn, keep: (i: number) => boolean) {
  const values = new Float64Array(score.numbers.length);
  for (let i = 0; i < values.length; i++) values[i] = keep(i) ? score.numbers[i]! : Number.NaN;
  const { total } = histogramByChunks(values, CBPE_EDGES, 1);
  return { counts: Array.from(total.counts), sums: Array.from(total.sums) };
}

/** Estimated performance (binned CBPE) of a binary classifier from scores, as the server estimates it. */
export function estimatedSection(
  inputs: Inputs,
  reference: { prediction: OutputColumn; label: OutputColumn; score: OutputColumn; rows: number },
  current: { prediction: OutputColumn; score: OutputColumn; rows: number },
): EstimatedSection | null {
  const names = MONITOR_CLASSIFICATION_METRICS;
  const referenceCells = confusion(reference.prediction, reference.label, null);
  if (referenceCells.length === 0) return null;
  const positive = positiveClassOf(inputs.classes, referenceCells);
  let scored = 0;
  for (const v of current.score.numbers) if (!Number.isNaN(v)) scored++;
  const alpha = perTestAlpha(inputs.budget, inputs.windowsPerWeek, names.length);
  const section: EstimatedSection = {
    method: 'cbpe',
    positive_class: positive,
    scored_rows: scored,
    alpha,
    metrics: [],
  };
  if (scored < ESTIMATION_MIN_SAMPLE) {
    section.metrics = tooFewRows(
      names,
      scored,
      `${scored} scored rows in the current data; estimation needs at least ${ESTIMATION_MIN_SAMPLE}.`,
    );
    return section;
  }
  const calibrated = calibrationOnBins(
    scoreHistogram(reference.score, () => true),
    scoreHistogram(reference.score, (i) => reference.label.text[i] === positive),
  );
  const predictedPositive = scoreHistogram(current.score, (i) => current.prediction.text[i] === positive);
  const all = scoreHistogram(current.score, () => true);
  const negative = {
    counts: all.counts.map((c, b) => c - predictedPositive.counts[b]!),
    sums: all.sums.map((s, b) => s - predictedPositive.sums[b]!),
  };
  const estimate = metricsFromConfusion(expectedConfusion(calibrated, predictedPositive, negative));
  const ranges = chunkRanges(reference.rows, chunkCount(reference.rows, current.rows));
  const chunkMetrics = ranges.map((r) =>
    classificationMetrics(
      { confusion: confusion(reference.prediction, reference.label, r) },
      positive,
      false,
    ),
  );
  section.metrics = metricEntries(
    names,
    estimate,
    classificationMetrics({ confusion: referenceCells }, positive, false),
    chunkMetrics,
    scored,
    oneSidedZ(alpha),
    true,
  );
  return section;
}

const MAX_GROUPS = 20;

/** Fairness across the groups of a sensitive column, as the default fairness monitor measures it. */
export function fairnessSection(
  attribute: string,
  groups: OutputColumn,
  classes: string[] | undefined,
  current: { prediction: OutputColumn; label: OutputColumn | undefined },
): FairnessSection {
  const limits = DEFAULT_FAIRNESS_LIMITS;
  const sizes = new Map<string, number>();
  for (const g of groups.text) if (g !== null) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  const values = [...sizes]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, MAX_GROUPS)
    .map(([g]) => g);
  const counts: GroupConfusionCounts[] = [];
  const outcomes: GroupConfusionCounts[] = [];
  let favourable: string | undefined;
  let labelled = 0;
  for (const value of values) {
    const inGroup = (i: number) => groups.text[i] === value;
    const cells = current.label ? confusion(current.prediction, current.label, null, inGroup) : [];
    favourable ??= positiveClassOf(classes, cells);
    let predictedFavourable = 0;
    for (let i = 0; i < groups.text.length; i++)
      if (inGroup(i) && current.prediction.text[i] === favourable) predictedFavourable++;
    const { tp, fp, fn, tn } = binaryCounts(cells, favourable);
    labelled += tp + fp + fn + tn;
    outcomes.push({
      group: value,
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: fn,
      trueNegatives: tn,
    });
    counts.push({
      group: value,
      truePositives: predictedFavourable,
      falsePositives: 0,
      falseNegatives: 0,
      trueNegatives: sizes.get(value)! - predictedFavourable,
    });
  }
  const report = fairnessReport(counts, { minGroupSize: limits.minGroupSize });
  const opportunityReport = fairnessReport(outcomes, { minGroupSize: limits.minGroupSize });
  const compared = report.demographicParity.groupsCompared;
  const entry = (
    metric: string,
    value: number,
    lower: number | null,
    upper: number | null,
    sample: number,
    reason: string | null,
  ): MetricEntry => {
    const ok = Number.isFinite(value);
    return {
      metric,
      value: ok ? value : null,
      threshold_lower: lower,
      threshold_upper: upper,
      reference_value: null,
      status:
        !ok || compared < 2
          ? 'insufficient_data'
          : (lower !== null && value < lower) || (upper !== null && value > upper)
            ? 'alert'
            : 'ok',
      sample_size: sample,
      reason:
        compared < 2
          ? `Fewer than two groups of "${attribute}" with at least ${limits.minGroupSize} rows.`
          : reason,
    };
  };
  const rows = groups.text.length;
  const opportunity = opportunityReport.equalOpportunity.difference;
  return {
    attribute,
    favourable: favourable ?? '',
    groups: report.groups.map((g, k) => ({
      group: g.group as string,
      count: g.count,
      selection_rate: g.selectionRate,
      true_positive_rate: Number.isFinite(opportunityReport.groups[k]?.truePositiveRate ?? Number.NaN)
        ? opportunityReport.groups[k]!.truePositiveRate
        : null,
      included: g.included,
    })),
    metrics: [
      entry(
        'demographic_parity_difference',
        report.demographicParity.difference,
        null,
        limits.maxParityDifference,
        rows,
        null,
      ),
      entry(
        'demographic_parity_ratio',
        report.demographicParity.ratio,
        limits.minParityRatio,
        null,
        rows,
        null,
      ),
      entry(
        'equal_opportunity_difference',
        labelled > 0 ? opportunity : Number.NaN,
        null,
        limits.maxEqualOpportunityDifference,
        labelled,
        labelled === 0 ? 'No labels in the current data.' : null,
      ),
    ],
  };
}
