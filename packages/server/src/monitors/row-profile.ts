/**
 * Window profiles of a small window computed in-process from its rows: exactly what
 * `Store.profile` returns for the same request (see `storage/profiles.ts`), for a window whose
 * rows were read once (`Store.readWindowRows`).
 *
 * Why: at a few thousand rows a window's profile costs the engine little data but many
 * statements (each pass plans dozens of histograms, category counts, quantiles and a label
 * join), and the multivariate sample of such a window is the whole window anyway. Reading the
 * rows once and counting them here costs one statement. Large windows keep the engine path:
 * heavy aggregation runs in the engine, and only a bounded read travels.
 *
 * Every measure follows the engine's conventions: a value's bin is the number of inner edges at
 * or below it; histograms of more than 65 bins find it by arithmetic and a one-step correction,
 * as the engine does; absent values (NaN here, as read) are nulls, and a `where` turns the other
 * rows into nulls; quantiles interpolate linearly between order statistics (numpy's default);
 * the sample standard deviation uses Welford's updates; categories rank by count, then by their
 * text in byte order. Non-finite values are never stored (ingestion stores them as absent).
 */
import { regressionSums } from '@vigil/stats';
import {
  type CategoricalProfile,
  emptyWindowProfile,
  evenlySpacedEdges,
  type NumericProfile,
  type ProfileRequest,
  type ProfileTarget,
  profileUsesLabels,
  type RegressionSums,
  strictlyIncreasing,
  type WindowProfile,
} from '../storage/profiles.js';
import type { RowSample, WindowRows, WindowRowsRequest } from '../storage/samples.js';
import { compareText } from '../util/text-order.js';

type Measures = Omit<ProfileRequest, 'source' | 'bucketMicros'>;
type NumericSpec = NonNullable<Measures['numeric']>[number];

const DEFAULT_CATEGORY_LIMIT = 1000;
/** Histograms with more inner edges are binned by arithmetic in the engine (as `MAX_INLINE_EDGES`). */
const MAX_INLINE_EDGES = 64;

const LABEL: ProfileTarget = { field: 'label' };
const LABEL_NUM: ProfileTarget = { field: 'label_num' };
const PREDICTION: ProfileTarget = { field: 'prediction' };
const PREDICTION_NUM: ProfileTarget = { field: 'prediction_num' };

function targetId(target: ProfileTarget): string {
  return 'column' in target ? `c:${target.column}` : `f:${target.field}`;
}

/** The columns a set of measures reads: one row read serves them all. */
export class RowTargets {
  private readonly numericIds = new Map<string, ProfileTarget>();
  private readonly textIds = new Map<string, ProfileTarget>();
  labels = false;
  violations = false;

  numeric(target: ProfileTarget): void {
    this.numericIds.set(targetId(target), target);
  }

  text(target: ProfileTarget): void {
    this.textIds.set(targetId(target), target);
  }

  /** Adds what `measures` read. */
  add(measures: Measures): void {
    for (const spec of measures.numeric ?? []) {
      this.numeric(spec.target);
      if (spec.where) this.text({ field: spec.where.field });
    }
    for (const spec of measures.categorical ?? []) this.text(spec.target);
    if (profileUsesLabels(measures)) {
      this.labels = true;
      this.text(LABEL);
    }
    if (measures.confusion) this.text(PREDICTION);
    if (measures.regression) {
      this.numeric(PREDICTION_NUM);
      this.numeric(LABEL_NUM);
    }
    if (measures.violations) this.violations = true;
  }

  /** Whether `rows` holds every column these targets read. */
  coveredBy(rows: RowColumns): boolean {
    return (
      [...this.numericIds.keys()].every((id) => rows.hasNumeric(id)) &&
      [...this.textIds.keys()].every((id) => rows.hasText(id)) &&
      (!this.labels || rows.labels) &&
      (!this.violations || rows.violations !== undefined)
    );
  }

  /** Adds what `other` reads. */
  addAll(other: RowTargets): void {
    for (const [id, target] of other.numericIds) this.numericIds.set(id, target);
    for (const [id, target] of other.textIds) this.textIds.set(id, target);
    this.labels ||= other.labels;
    this.violations ||= other.violations;
  }

  /** The read of these targets. */
  request(source: WindowRowsRequest['source'], limit: number): WindowRowsRequest {
    return {
      source,
      numeric: [...this.numericIds.values()],
      text: [...this.textIds.values()],
      labels: this.labels,
      violations: this.violations,
      limit,
    };
  }
}

/** A window's rows as read, looked up by target. */
export class RowColumns {
  private readonly numericById = new Map<string, Float64Array>();
  private readonly textById = new Map<string, (string | null)[]>();
  readonly rows: number;
  readonly timestamps: Float64Array;
  readonly labels: boolean;
  readonly violations: string[][] | undefined;

  constructor(request: WindowRowsRequest, read: WindowRows) {
    this.rows = read.rows;
    this.timestamps = read.timestamps;
    this.labels = request.labels;
    this.violations = read.violations;
    request.numeric.forEach((target, i) => {
      this.numericById.set(targetId(target), read.numeric[i]!);
    });
    request.text.forEach((target, i) => {
      this.textById.set(targetId(target), read.text[i]!);
    });
  }

  hasNumeric(id: string): boolean {
    return this.numericById.has(id);
  }

  hasText(id: string): boolean {
    return this.textById.has(id);
  }

  numeric(target: ProfileTarget): Float64Array {
    const column = this.numericById.get(targetId(target));
    if (!column) throw new Error(`Not read as numbers: ${targetId(target)}.`);
    return column;
  }

  text(target: ProfileTarget): (string | null)[] {
    const column = this.textById.get(targetId(target));
    if (!column) throw new Error(`Not read as text: ${targetId(target)}.`);
    return column;
  }
}

/**
 * How a spec finds a value's bin (the number of inner edges at or below it, as the engine):
 * given to `numericProfile`'s loop as data, not as a function, so that no value is boxed into a
 * heap number to be passed to one (a thousand rows times eighty specs a window).
 */
interface Binning {
  mode: 'none' | 'sorted' | 'unsorted' | 'arithmetic';
  inner: number[];
  /** `arithmetic`: the first inner edge and the step between edges. */
  first: number;
  step: number;
}

function binningOf(inner: number[], wide: boolean): Binning {
  const binning: Binning = { mode: 'none', inner, first: 0, step: 0 };
  if (inner.length === 0) return binning;
  if (wide) {
    // The engine's arithmetic bin for evenly spaced edges: a guess, corrected by one step.
    const first = inner[0]!;
    const step = (inner.at(-1)! - first) / Math.max(1, inner.length - 1);
    if (!evenlySpacedEdges(inner))
      throw new Error(`Histograms of more than ${MAX_INLINE_EDGES + 1} bins need evenly spaced edges.`);
    return { mode: 'arithmetic', inner, first, step };
  }
  binning.mode = inner.every((e, k) => k === 0 || inner[k - 1]! <= e) ? 'sorted' : 'unsorted';
  return binning;
}

/** The bin of `v` (see `Binning`); small enough to be inlined into the loop that calls it. */
function binOf(v: number, binning: Binning): number {
  const inner = binning.inner;
  const n = inner.length;
  if (binning.mode === 'sorted') {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v < inner[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
  if (binning.mode === 'arithmetic') {
    const k = Math.min(Math.max(Math.floor((v - binning.first) / binning.step) + 1, 0), n);
    if (k < n && v >= inner[k]!) return k + 1;
    if (k > 0 && v < inner[k - 1]!) return k - 1;
    return k;
  }
  let k = 0;
  for (let e = 0; e < n; e++) if (v >= inner[e]!) k++;
  return k;
}

function quantile(sorted: Float64Array, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const position = (n - 1) * q;
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  if (lo === hi) return sorted[lo]!;
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (position - lo);
}

function numericProfile(rows: RowColumns, spec: NumericSpec): NumericProfile {
  const n = rows.rows;
  const values = rows.numeric(spec.target);
  const filter = spec.where ? rows.text({ field: spec.where.field }) : null;
  const equals = spec.where?.equals;
  const inner = spec.edges.slice(1, -1);
  for (const e of inner) if (!Number.isFinite(e)) throw new Error(`Inner bin edges must be finite.`);
  const bins = spec.edges.length - 1;
  const countsOnly = spec.countsOnly === true;
  const result: NumericProfile = {
    counts: new Array<number>(bins).fill(0),
    sums: new Array<number>(bins).fill(countsOnly ? Number.NaN : 0),
    nulls: 0,
    min: null,
    max: null,
    mean: null,
    std: null,
  };
  // Which engine pass bins this spec decides whether its per-bin sums are filled.
  const wide = inner.length > MAX_INLINE_EDGES;
  const counted = !wide && inner.length > 0 && countsOnly && strictlyIncreasing(inner);
  const binning = binningOf(inner, wide);
  const binned = binning.mode !== 'none';
  const counts = result.counts;
  const binSums = !counted && inner.length > 0 ? new Array<number>(bins).fill(0) : null;
  let present = 0;
  let sum = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let mean = 0;
  let squares = 0;
  const kept = spec.quantiles && spec.quantiles.length > 0 ? new Float64Array(n) : null;
  for (let r = 0; r < n; r++) {
    const v = values[r]!;
    if (Number.isNaN(v) || (filter !== null && filter[r] !== equals)) continue;
    present++;
    sum += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    // Welford's updates, as the engine's stddev_samp.
    const step = (v - mean) / present;
    const next = mean + step;
    squares += (v - next) * (v - mean);
    mean = next;
    if (kept) kept[present - 1] = v;
    if (binned) {
      const k = binOf(v, binning);
      counts[k]!++;
      if (binSums) binSums[k]! += v;
    }
  }
  result.nulls = n - present;
  result.mean = present > 0 ? sum / present : null;
  if (!countsOnly) {
    result.min = present > 0 ? lo : null;
    result.max = present > 0 ? hi : null;
    result.std = present > 1 ? Math.sqrt(squares / (present - 1)) : null;
  }
  if (bins === 1) {
    result.counts[0] = present;
    if (!countsOnly) result.sums[0] = sum;
  }
  if (binSums) {
    // The engine returns sums only for the bins that have values; the others keep their default.
    binSums.forEach((s, k) => {
      if (result.counts[k]! > 0) result.sums[k] = s;
    });
  }
  if (kept) {
    const ordered = kept.subarray(0, present).sort();
    result.quantiles = spec.quantiles!.map((q) => quantile(ordered, q));
  }
  return result;
}

function categoricalProfile(rows: RowColumns, target: ProfileTarget, limit: number): CategoricalProfile {
  const values = rows.text(target);
  const counts = new Map<string, number>();
  let nulls = 0;
  for (let r = 0; r < rows.rows; r++) {
    const v = values[r];
    if (v === null || v === undefined) nulls++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const ranked = [...counts].sort(([a, x], [b, y]) => y - x || compareText(a, b));
  const profile: CategoricalProfile = { counts: {}, nulls, otherCount: 0 };
  ranked.forEach(([value, count], i) => {
    if (i < limit) profile.counts[value] = count;
    else profile.otherCount += count;
  });
  return profile;
}

function confusionOf(rows: RowColumns): WindowProfile['confusion'] {
  const predictions = rows.text(PREDICTION);
  const labels = rows.text(LABEL);
  const cells = new Map<string, { prediction: string | null; label: string; count: number }>();
  for (let r = 0; r < rows.rows; r++) {
    const label = labels[r];
    if (label === null || label === undefined) continue;
    const prediction = predictions[r] ?? null;
    const key = JSON.stringify([prediction, label]);
    const cell = cells.get(key);
    if (cell) cell.count++;
    else cells.set(key, { prediction, label, count: 1 });
  }
  // The engine orders by prediction (nulls last), then label.
  return [...cells.values()].sort(
    (a, b) =>
      (a.prediction === null ? 1 : 0) - (b.prediction === null ? 1 : 0) ||
      (a.prediction !== null && b.prediction !== null ? compareText(a.prediction, b.prediction) : 0) ||
      compareText(a.label, b.label),
  );
}

function regressionOf(rows: RowColumns): RegressionSums | null {
  const sums = regressionSums(rows.numeric(PREDICTION_NUM), rows.numeric(LABEL_NUM), 0, rows.rows);
  return sums.count > 0 ? sums : null;
}

/**
 * `Store.profile` of one window (no buckets) from its rows: undefined when it has none, as the
 * engine returns no profile then.
 */
export function profileFromRows(rows: RowColumns, measures: Measures): WindowProfile | undefined {
  if (rows.rows === 0) return undefined;
  const profile = emptyWindowProfile(null);
  profile.rows = rows.rows;
  profile.firstMicros = rows.timestamps[0]!;
  profile.lastMicros = rows.timestamps[rows.rows - 1]!;
  if (profileUsesLabels(measures)) {
    const labels = rows.text(LABEL);
    for (let r = 0; r < rows.rows; r++) if (labels[r] !== null && labels[r] !== undefined) profile.labeled++;
  }
  for (const spec of measures.numeric ?? []) profile.numeric[spec.key] = numericProfile(rows, spec);
  for (const spec of measures.categorical ?? [])
    profile.categorical[spec.key] = categoricalProfile(
      rows,
      spec.target,
      spec.limit ?? DEFAULT_CATEGORY_LIMIT,
    );
  if (measures.confusion) profile.confusion = confusionOf(rows);
  if (measures.regression) profile.regression = regressionOf(rows);
  if (measures.violations) {
    for (const list of rows.violations ?? [])
      for (const v of list) profile.violations[v] = (profile.violations[v] ?? 0) + 1;
  }
  return profile;
}

/** The targets of a sample of these features (numbers and text, as `Store.sampleRows` reads them). */
export function sampleTargets(features: { numeric: string[]; categorical: string[] }): RowTargets {
  const targets = new RowTargets();
  for (const name of features.numeric) targets.numeric({ column: name });
  for (const name of features.categorical) targets.text({ column: name });
  return targets;
}

/**
 * `Store.sampleRows` of a window no larger than the sample's limit: the sample of such a window
 * is all of it, in recorded order, which is the order rows are read in.
 */
export function sampleFromRows(
  rows: RowColumns,
  features: { numeric: string[]; categorical: string[] },
): RowSample {
  const sample: RowSample = { totalRows: rows.rows, rows: rows.rows, numeric: {}, categorical: {} };
  for (const name of features.numeric) sample.numeric[name] = rows.numeric({ column: name });
  for (const name of features.categorical) sample.categorical[name] = rows.text({ column: name });
  return sample;
}
