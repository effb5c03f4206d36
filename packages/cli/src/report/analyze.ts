/**
 * Turns a reference and a current table into the report's numbers, with the choices of the
 * server's default monitors (@vigil/stats `monitoring`): decile edges of the reference, the
 * reference cut into chunks to calibrate thresholds, the false-alarm budget shared as the server
 * shares it between a model's monitors, one window holding the whole current file.
 */
import {
  BUDGETED_KINDS,
  chunkCount,
  compareDistributions,
  DEFAULT_FALSE_ALARMS_PER_WEEK,
  DEFAULT_MONITOR_DRIFT_METHOD,
  DEFAULT_QUALITY_LIMITS,
  DEFAULT_WINDOW_MICROS,
  DRIFT_MIN_SAMPLE,
  type DriftComparison,
  defaultMonitorKinds,
  driftEdgesOfSorted,
  MULTIVARIATE_MAX_SAMPLE_ROWS,
  monitorBudget,
  perTestAlpha,
  QUALITY_MIN_SAMPLE,
  sortFloat64,
  windowsPerWeekOf,
} from '@vigil/stats';
import { CliError } from '../io.js';
import {
  type CategoricalColumn,
  type Column,
  type ColumnType,
  inferColumnType,
  type NumericColumn,
  normalizeBoolean,
} from './columns.js';
import { multivariateSection, type SampledFeature, sampleColumn } from './multivariate.js';
import {
  declaredClasses,
  estimatedSection,
  fairnessSection,
  outputColumn,
  performanceSection,
} from './outcomes.js';
import { CATEGORY_LIMIT, categoryCountsByChunks, histogramByChunks, summarizeNumeric } from './profile.js';
import { requireColumn, type Table } from './read.js';
import type {
  ColumnInfo,
  ColumnStats,
  DriftEntry,
  LookFirst,
  QualityEntry,
  ReportData,
  Task,
} from './types.js';
import { REPORT_SCHEMA_VERSION } from './types.js';

export interface ReportRoles {
  target?: string;
  prediction?: string;
  score?: string;
  segment?: string;
  /** Columns left out of the report (ids, timestamps). */
  ignore?: string[];
  task?: Task;
}

export interface AnalyzeOptions extends ReportRoles {
  /** Dataset drift when at least this share of features drifted (Evidently's default, 0.5). */
  driftShare?: number;
  now?: Date;
}

/** A column in the reference's type: the current side converted so both share one representation. */
interface PairedColumn {
  name: string;
  type: ColumnType;
  reference: Column;
  current: Column;
}

function toCategorical(column: Column): CategoricalColumn {
  if (column.storage === 'categorical') return column;
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(column.length);
  for (let i = 0; i < column.length; i++) {
    const v = column.values[i]!;
    if (Number.isNaN(v)) {
      codes[i] = -1;
      continue;
    }
    const text = String(v);
    let code = index.get(text);
    if (code === undefined) {
      code = dictionary.length;
      dictionary.push(text);
      index.set(text, code);
    }
    codes[i] = code;
  }
  return { name: column.name, storage: 'categorical', codes, dictionary, length: column.length };
}

/**
 * Memory the analysis reuses from column to column (one column of each file and the sort of the
 * reference's values), so analysing a hundred columns allocates it once, not a hundred times.
 */
class Scratch {
  #buffers = new Map<string, ArrayBuffer>();

  buffer(key: string, bytes: number): ArrayBuffer {
    let buffer = this.#buffers.get(key);
    if (!buffer || buffer.byteLength < bytes) {
      buffer = new ArrayBuffer(bytes);
      this.#buffers.set(key, buffer);
    }
    return buffer;
  }

  /** The present (non-NaN) values of `values`, sorted ascending, in reused memory. */
  sorted(values: Float64Array): Float64Array {
    const bytes = values.length * 8;
    const out = new Float64Array(this.buffer('sorted', bytes), 0, values.length);
    let kept = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isNaN(v)) out[kept++] = v;
    }
    const present = out.subarray(0, kept);
    return sortFloat64(present, new Float64Array(this.buffer('sort-scratch', bytes), 0, kept));
  }
}

/** Loads one column of both files, in the reference's type (into `scratch`'s memory when given). */
function pairColumn(
  reference: Table,
  current: Table,
  name: string,
  role: string,
  scratch?: Scratch,
): PairedColumn {
  const load = (table: Table, key: string) =>
    requireColumn(table, name, role).load(scratch?.buffer(key, table.rows * 8));
  const ref = load(reference, 'reference');
  const cur = load(current, 'current');
  let type = inferColumnType(ref);
  if (type === 'numeric') {
    if (cur.storage !== 'numeric') {
      const first = current.firstNonNumeric.get(name);
      throw new CliError(
        `${current.file}, ${current.positionName} ${first?.position ?? '?'}: column '${name}' holds '${first?.value ?? ''}', which is not a number (the column is numeric in ${reference.file})`,
      );
    }
    return { name, type, reference: ref, current: cur };
  }
  if (ref.storage === 'numeric' && type === 'categorical') {
    // Entirely missing in the reference: categorical, as the server infers it.
    type = 'categorical';
  }
  let refCat = toCategorical(ref);
  let curCat = toCategorical(cur);
  if (type === 'boolean') {
    refCat = normalizeBoolean(refCat);
    curCat = normalizeBoolean(curCat);
  }
  return { name, type, reference: refCat, current: curCat };
}

function inferTask(prediction: PairedColumn | undefined, score: PairedColumn | undefined): Task {
  if (score) return 'binary_classification';
  if (!prediction) return 'binary_classification';
  if (prediction.type === 'numeric') {
    const values = (prediction.reference as NumericColumn).values;
    const distinct = new Set<number>();
    for (let i = 0; i < values.length && distinct.size <= 20; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) continue;
      if (!Number.isInteger(v)) return 'regression';
      distinct.add(v);
    }
    if (distinct.size > 20) return 'regression';
    return distinct.size <= 2 ? 'binary_classification' : 'multiclass_classification';
  }
  const classes = (prediction.reference as CategoricalColumn).dictionary.length;
  return classes <= 2 ? 'binary_classification' : 'multiclass_classification';
}

function distinctCount(column: Column): number | null {
  if (column.storage === 'numeric') return null;
  const seen = new Uint8Array(column.dictionary.length);
  let n = 0;
  for (let i = 0; i < column.length; i++) {
    const code = column.codes[i]!;
    if (code >= 0 && seen[code] === 0) {
      seen[code] = 1;
      n++;
    }
  }
  return n;
}

function columnStats(column: PairedColumn): ColumnStats {
  const side = (c: Column) => {
    if (c.storage === 'numeric') {
      const s = summarizeNumeric(c.values);
      return { missing: s.missing, distinct: null, min: s.min, max: s.max, mean: s.mean, std: s.std };
    }
    let missing = 0;
    for (let i = 0; i < c.length; i++) if (c.codes[i]! < 0) missing++;
    return { missing, distinct: distinctCount(c), min: null, max: null, mean: null, std: null };
  };
  return {
    column: column.name,
    type: column.type,
    reference: side(column.reference),
    current: side(column.current),
  };
}

/** What the drift decision of one column needs, measured once and shared by drift and quality. */
interface ColumnMeasure {
  /** The column's name and type (its values are not kept: one column pair is loaded at a time). */
  column: { name: string; type: ColumnType };
  kind: 'numeric' | 'categorical';
  referenceMissing: number;
  currentMissing: number;
  currentPresent: number;
  numeric?: {
    edges: number[];
    reference: ReturnType<typeof histogramByChunks>;
    current: ReturnType<typeof histogramByChunks>;
    referenceSummary: ReturnType<typeof summarizeNumeric>;
    currentSummary: ReturnType<typeof summarizeNumeric>;
  };
  categorical?: {
    reference: ReturnType<typeof categoryCountsByChunks>;
    current: ReturnType<typeof categoryCountsByChunks>;
  };
}

function measure(column: PairedColumn, chunks: number, scratch: Scratch = new Scratch()): ColumnMeasure {
  if (column.type === 'numeric') {
    const ref = column.reference as NumericColumn;
    const cur = column.current as NumericColumn;
    // The reference's deciles: the one sort of the column, in @vigil/stats.
    const edges = driftEdgesOfSorted(scratch.sorted(ref.values));
    const referenceSummary = summarizeNumeric(ref.values);
    const currentSummary = summarizeNumeric(cur.values);
    const reference = histogramByChunks(ref.values, edges, chunks);
    const current = histogramByChunks(cur.values, edges, 1);
    reference.total.mean = referenceSummary.mean;
    reference.total.std = referenceSummary.std;
    current.total.mean = currentSummary.mean;
    current.total.std = currentSummary.std;
    return {
      column: { name: column.name, type: column.type },
      kind: 'numeric',
      referenceMissing: referenceSummary.missing,
      currentMissing: currentSummary.missing,
      currentPresent: currentSummary.present,
      numeric: { edges, reference, current, referenceSummary, currentSummary },
    };
  }
  const reference = categoryCountsByChunks(column.reference as CategoricalColumn, chunks);
  const current = categoryCountsByChunks(column.current as CategoricalColumn, 1);
  let present = 0;
  for (const n of Object.values(current.total)) present += n;
  return {
    column: { name: column.name, type: column.type },
    kind: 'categorical',
    referenceMissing: reference.missing,
    currentMissing: current.missing,
    currentPresent: present,
    categorical: { reference, current },
  };
}

function driftEntry(
  m: ColumnMeasure,
  monitor: DriftEntry['monitor'],
  alpha: number,
  label: string,
): DriftEntry {
  const method = DEFAULT_MONITOR_DRIFT_METHOD;
  const base: DriftEntry = {
    column: label,
    monitor,
    type: m.kind,
    method,
    value: null,
    threshold: null,
    threshold_direction: 'upper',
    threshold_source: null,
    status: 'insufficient_data',
    reason: null,
    alpha,
    reference_size: 0,
    current_size: m.currentPresent,
    reference_mean: m.numeric?.referenceSummary.mean ?? null,
    current_mean: m.numeric?.currentSummary.mean ?? null,
    histogram: null,
  };
  if (m.currentPresent < DRIFT_MIN_SAMPLE) {
    base.reason = `${m.currentPresent} values in the current data; drift needs at least ${DRIFT_MIN_SAMPLE}.`;
    return base;
  }
  let comparison: DriftComparison;
  try {
    comparison = m.numeric
      ? compareDistributions(
          {
            kind: 'numeric',
            edges: m.numeric.edges,
            reference: m.numeric.reference.total,
            current: m.numeric.current.total,
            chunks: m.numeric.reference.chunks,
          },
          { method, alpha },
        )
      : compareDistributions(
          {
            kind: 'categorical',
            reference: m.categorical!.reference.total,
            current: m.categorical!.current.total,
            chunks: m.categorical!.reference.chunks,
          },
          { method, alpha },
        );
  } catch (error) {
    return { ...base, status: 'error', reason: (error as Error).message };
  }
  const d = comparison.details;
  return {
    ...base,
    value: comparison.value,
    threshold: comparison.thresholdUpper ?? comparison.thresholdLower,
    threshold_direction: comparison.thresholdUpper !== null ? 'upper' : 'lower',
    threshold_source: (d.threshold_source as string | undefined) ?? null,
    status: comparison.status,
    reference_size: d.reference_size as number,
    current_size: d.current_size as number,
    histogram: m.numeric
      ? {
          edges: d.edges as (number | null)[],
          reference: d.reference_counts as number[],
          current: d.current_counts as number[],
        }
      : {
          categories: d.categories as string[],
          reference: d.reference_counts as number[],
          current: d.current_counts as number[],
        },
  };
}

function qualityEntries(
  m: ColumnMeasure,
  current: Column,
  referenceRows: number,
  currentRows: number,
): QualityEntry[] {
  const limits = DEFAULT_QUALITY_LIMITS;
  const insufficient = currentRows < QUALITY_MIN_SAMPLE;
  const entry = (
    metric: QualityEntry['metric'],
    value: number,
    threshold: number,
    referenceValue: number | null,
    details: Record<string, unknown>,
  ): QualityEntry => ({
    column: m.column.name,
    metric,
    value: insufficient ? null : value,
    threshold,
    reference_value: referenceValue,
    status: insufficient ? 'insufficient_data' : value > threshold ? 'alert' : 'ok',
    details,
  });
  const referenceMissing = m.referenceMissing / Math.max(1, referenceRows);
  const out = [
    entry(
      'missing_rate',
      currentRows === 0 ? 0 : m.currentMissing / currentRows,
      Math.min(1, referenceMissing + limits.maxMissingRateIncrease),
      referenceMissing,
      { missing: m.currentMissing },
    ),
  ];
  if (m.numeric && m.currentPresent > 0) {
    const { min, max } = m.numeric.referenceSummary;
    if (min !== null && max !== null) {
      const values = (current as NumericColumn).values;
      let below = 0;
      let above = 0;
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (v < min) below++;
        else if (v > max) above++;
      }
      out.push(
        entry('out_of_range_rate', (below + above) / m.currentPresent, limits.maxOutOfRangeRate, null, {
          reference_min: min,
          reference_max: max,
          below,
          above,
        }),
      );
    }
  }
  if (m.categorical && m.currentPresent > 0) {
    const ref = m.categorical.reference.total;
    if (Object.keys(ref).length > 0) {
      const unseen = Object.entries(m.categorical.current.total).filter(([c]) => ref[c] === undefined);
      const count = unseen.reduce((a, [, n]) => a + n, 0);
      out.push(
        entry('unseen_category_rate', count / m.currentPresent, limits.maxUnseenCategoryRate, null, {
          unseen_categories: unseen
            .sort((a, b) => b[1] - a[1])
            .slice(0, 10)
            .map(([category, n]) => ({ category, count: n })),
        }),
      );
    }
  }
  return out;
}

function ratio(entry: DriftEntry): number {
  if (entry.value === null || entry.threshold === null || entry.threshold === 0) return 0;
  return entry.threshold_direction === 'upper'
    ? entry.value / entry.threshold
    : entry.threshold / Math.max(entry.value, 1e-300);
}

export function analyze(reference: Table, current: Table, options: AnalyzeOptions = {}): ReportData {
  const roles = new Map<string, ColumnInfo['role']>();
  const named: [keyof ReportRoles, ColumnInfo['role']][] = [
    ['target', 'target'],
    ['prediction', 'prediction'],
    ['score', 'score'],
    ['segment', 'segment'],
  ];
  for (const [option, role] of named) {
    const name = options[option] as string | undefined;
    if (name === undefined) continue;
    requireColumn(reference, name, `--${option}`);
    if (role !== 'target') requireColumn(current, name, `--${option}`);
    roles.set(name, role);
  }
  for (const name of options.ignore ?? []) {
    requireColumn(reference, name, '--ignore');
    roles.set(name, 'ignored');
  }
  const featureNames = [...reference.columns.keys()].filter((name) => !roles.has(name));
  for (const name of featureNames) requireColumn(current, name, 'a feature of the reference');
  const pair = (option: 'prediction' | 'score' | 'target') =>
    options[option] !== undefined && current.columns.has(options[option]!)
      ? pairColumn(reference, current, options[option]!, `--${option}`)
      : undefined;
  const prediction = pair('prediction');
  const score = pair('score');
  const target = pair('target');

  const task = options.task ?? inferTask(prediction, score);
  const chunks = chunkCount(reference.rows, current.rows);

  // One feature at a time: both files' values of one column in memory, measured, sampled for
  // multivariate drift, then freed.
  const types = new Map<string, ColumnType>();
  const stats: ColumnStats[] = [];
  const measures: ColumnMeasure[] = [];
  const quality: QualityEntry[] = [];
  const samples: SampledFeature[] = [];
  const sampleLimit = MULTIVARIATE_MAX_SAMPLE_ROWS;
  const scratch = new Scratch();
  for (const name of featureNames) {
    const feature = pairColumn(reference, current, name, 'a feature of the reference', scratch);
    types.set(name, feature.type);
    stats.push(columnStats(feature));
    if (feature.type === 'numeric' || feature.type === 'categorical' || feature.type === 'boolean') {
      const m = measure(feature, chunks, scratch);
      measures.push(m);
      quality.push(...qualityEntries(m, feature.current, reference.rows, current.rows));
      samples.push({
        name,
        type: feature.type,
        reference: sampleColumn(feature.reference, reference.rows, sampleLimit),
        current: sampleColumn(feature.current, current.rows, sampleLimit),
      });
    }
    reference.columns.get(name)!.discard();
    current.columns.get(name)!.discard();
  }
  const numericFeatures = measures.filter((m) => m.column.type === 'numeric').length;
  const kinds = defaultMonitorKinds({
    task,
    numericFeatures,
    sensitiveAttributes: options.segment !== undefined ? 1 : 0,
  });
  const budgeted = kinds.filter((k) => BUDGETED_KINDS.has(k)).length;
  const budget = monitorBudget(DEFAULT_FALSE_ALARMS_PER_WEEK, budgeted);
  const windowsPerWeek = windowsPerWeekOf(DEFAULT_WINDOW_MICROS);

  const featureAlpha = perTestAlpha(budget, windowsPerWeek, measures.length);
  const featureDrift = measures.map((m) => driftEntry(m, 'feature_drift', featureAlpha, m.column.name));

  // Output drift as the prediction-drift and label-drift monitors watch it.
  const outputs: DriftEntry[] = [];
  const outputColumns: { column: PairedColumn; label: string; kind: 'numeric' | 'categorical' }[] = [];
  if (prediction) {
    outputColumns.push({
      column:
        task === 'regression'
          ? prediction
          : {
              ...prediction,
              type: 'categorical',
              reference: toCategorical(prediction.reference),
              current: toCategorical(prediction.current),
            },
      label: 'prediction',
      kind: task === 'regression' ? 'numeric' : 'categorical',
    });
  }
  if (score && task === 'binary_classification' && score.type === 'numeric') {
    outputColumns.push({ column: score, label: 'score', kind: 'numeric' });
  }
  // The prediction-drift monitor watches the prediction, and for binary classifiers the score too.
  const predictionAlpha = perTestAlpha(budget, windowsPerWeek, task === 'binary_classification' ? 2 : 1);
  for (const o of outputColumns) {
    if (o.kind === 'numeric' && o.column.type !== 'numeric') continue;
    outputs.push(driftEntry(measure(o.column, chunks), 'prediction_drift', predictionAlpha, o.label));
  }
  if (target) {
    const column =
      task === 'regression'
        ? target
        : {
            ...target,
            type: 'categorical' as const,
            reference: toCategorical(target.reference),
            current: toCategorical(target.current),
          };
    if (task !== 'regression' || target.type === 'numeric') {
      outputs.push(
        driftEntry(measure(column, chunks), 'label_drift', perTestAlpha(budget, windowsPerWeek, 1), 'label'),
      );
    }
  }

  // Performance, estimated performance and fairness, from the output columns as they are.
  const output = (table: Table, name: string | undefined) => {
    const column = name === undefined ? undefined : table.columns.get(name);
    return column ? outputColumn(column.load()) : undefined;
  };
  const refPrediction = output(reference, options.prediction);
  const curPrediction = output(current, options.prediction);
  const refLabel = output(reference, options.target);
  const curLabel = output(current, options.target);
  const refScore = output(reference, options.score);
  const curScore = output(current, options.score);
  const classes = task === 'regression' ? undefined : declaredClasses(refPrediction, refLabel);
  const inputs = { task, budget, windowsPerWeek, classes };
  const performance =
    refPrediction && curPrediction && curLabel
      ? performanceSection(
          inputs,
          { prediction: refPrediction, label: refLabel, rows: reference.rows },
          { prediction: curPrediction, label: curLabel, rows: current.rows },
        )
      : null;
  const estimated =
    task === 'binary_classification' && refPrediction && curPrediction && refLabel && refScore && curScore
      ? estimatedSection(
          inputs,
          { prediction: refPrediction, label: refLabel, score: refScore, rows: reference.rows },
          { prediction: curPrediction, score: curScore, rows: current.rows },
        )
      : null;
  const segment = output(current, options.segment);
  const fairness =
    segment && curPrediction && task !== 'regression'
      ? fairnessSection(options.segment!, segment, classes, { prediction: curPrediction, label: curLabel })
      : null;
  const multivariate = kinds.includes('multivariate_drift')
    ? multivariateSection(samples, reference.rows, current.rows, budget, windowsPerWeek)
    : null;
  const approximations: string[] = [];
  if (multivariate?.sampled) {
    approximations.push(
      `Multivariate drift is measured on an evenly spaced sample of at most ${MULTIVARIATE_MAX_SAMPLE_ROWS.toLocaleString('en-US')} rows of each file, as the server's monitor samples its windows.`,
    );
  }
  // Labels decide performance; without them the estimate stands in.
  const performanceMetrics = performance?.metrics ?? estimated?.metrics ?? null;
  const performanceAlerts = (performanceMetrics ?? []).filter((m) => m.status === 'alert');
  const evaluated = featureDrift.filter((d) => d.status === 'alert' || d.status === 'ok');
  const drifted = featureDrift.filter((d) => d.status === 'alert');
  const driftShare = evaluated.length === 0 ? 0 : drifted.length / evaluated.length;
  const shareThreshold = options.driftShare ?? 0.5;
  const qualityAlerts = quality.filter((q) => q.status === 'alert');
  const fairnessAlerts = (fairness?.metrics ?? []).filter((m) => m.status === 'alert');

  const lookFirst: LookFirst[] = [];
  const byRatio = [...drifted, ...outputs.filter((o) => o.status === 'alert')].sort(
    (a, b) => ratio(b) - ratio(a),
  );
  for (const d of byRatio.slice(0, 3)) {
    lookFirst.push({
      section: 'drift',
      column: d.column,
      message: `${d.column}: ${d.method.replaceAll('_', '-')} ${format(d.value)} is ${ratio(d).toFixed(1)}× its threshold ${format(d.threshold)}`,
    });
  }
  if (multivariate?.section.status === 'alert') {
    const m = multivariate.section;
    lookFirst.push({
      section: 'multivariate',
      column: null,
      message: `Multivariate: reconstruction error ${format(m.value)} is outside ${format(m.threshold_lower)}–${format(m.threshold_upper)}: how features relate to each other changed`,
    });
  }
  for (const p of performanceAlerts.slice(0, 2)) {
    lookFirst.push({
      section: performance ? 'performance' : 'estimated_performance',
      column: null,
      message: `${performance ? '' : 'estimated '}${p.metric.replaceAll('_', ' ')} ${format(p.value)} is outside its band (reference ${format(p.reference_value)}, threshold ${format(p.threshold_lower ?? p.threshold_upper)})`,
    });
  }
  for (const f of fairnessAlerts) {
    lookFirst.push({
      section: 'fairness',
      column: fairness!.attribute,
      message: `${fairness!.attribute}: ${f.metric.replaceAll('_', ' ')} ${format(f.value)} (limit ${format(f.threshold_lower ?? f.threshold_upper)})`,
    });
  }
  for (const q of qualityAlerts.slice(0, 3)) {
    lookFirst.push({
      section: 'quality',
      column: q.column,
      message: `${q.column}: ${q.metric.replaceAll('_', ' ')} ${percent(q.value)} (limit ${percent(q.threshold)})`,
    });
  }

  const columns: ColumnInfo[] = [...reference.columns.keys()].map((name) => ({
    name,
    role: roles.get(name) ?? 'feature',
    type: types.get(name) ?? inferColumnType(reference.columns.get(name)!.load()),
  }));

  return {
    schema_version: REPORT_SCHEMA_VERSION,
    generated_at: (options.now ?? new Date()).toISOString(),
    generator: 'vigil report 0.1.0',
    reference: summaryOf(reference),
    current: summaryOf(current),
    settings: {
      task,
      task_source: options.task ? 'option' : 'inferred',
      false_alarms_per_week: DEFAULT_FALSE_ALARMS_PER_WEEK,
      window: '1h',
      budgeted_monitors: budgeted,
      drift_share_threshold: shareThreshold,
      category_limit: CATEGORY_LIMIT,
    },
    columns,
    approximations,
    summary: {
      drifted_features: drifted.map((d) => d.column),
      evaluated_features: evaluated.length,
      drift_share: driftShare,
      dataset_drift: evaluated.length > 0 && driftShare >= shareThreshold,
      quality_alerts: qualityAlerts.length,
      performance_alerts: performanceAlerts.length,
      fairness_alerts: fairnessAlerts.length,
      look_first: lookFirst,
      checks: {
        drift: drifted.length > 0 ? 'fail' : 'pass',
        quality: qualityAlerts.length > 0 ? 'fail' : 'pass',
        performance:
          performanceMetrics === null ? 'not_evaluated' : performanceAlerts.length > 0 ? 'fail' : 'pass',
        fairness: fairness === null ? 'not_evaluated' : fairnessAlerts.length > 0 ? 'fail' : 'pass',
      },
    },
    quality: {
      rows: { reference: reference.rows, current: current.rows },
      entries: quality,
      columns: stats,
    },
    drift: { features: featureDrift, outputs },
    multivariate: multivariate?.section ?? null,
    performance,
    estimated_performance: estimated,
    fairness,
  };
}

function summaryOf(table: Table) {
  return {
    file: table.file,
    format: table.format,
    gzipped: table.gzipped,
    rows: table.rows,
    columns: table.columns.size,
  };
}

export function format(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const a = Math.abs(value);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return value.toExponential(2);
  return Number(value.toPrecision(3)).toString();
}

export function percent(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return `${(value * 100).toFixed(value < 0.01 && value > 0 ? 2 : 1)}%`;
}
