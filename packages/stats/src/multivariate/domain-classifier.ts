/**
 * Domain-classifier drift: how well can a classifier tell current rows from reference rows? Its
 * cross-validated ROC AUC is 0.5 when the two samples are alike and approaches 1 as they separate.
 *
 * NannyML trains LightGBM for this. Here the classifier is an L2-penalised logistic regression on
 * standardised features, their squares and (for up to 8 features) their pairwise products: exact,
 * deterministic and dependency-free, and the quadratic terms let it see changes of spread and of
 * correlation, not only shifts of the mean. It will miss drift that only a non-quadratic boundary
 * separates; PCA reconstruction drift complements it.
 */

import { mulberry32, shuffleInPlace } from '../math/random.js';
import { rocAuc } from '../math/roc-auc.js';
import { encodeFeatures, fitFeatureEncoding } from './encoding.js';
import { fitLogistic, logisticScore } from './logistic-regression.js';
import { type FeatureColumns, rowCount } from './tabular.js';

/** Options of {@link domainClassifierDrift}; every field has a default. */
export interface DomainClassifierOptions {
  /** Cross-validation folds (default 5). */
  folds?: number;
  /** Seed of subsampling and fold assignment (default 1). */
  seed?: number;
  /** Rows drawn at most from each sample (default 5,000): the AUC needs no more, and cost stays bounded. */
  maxRowsPerSample?: number;
  /** L2 penalty strength (default 1). */
  penalty?: number;
  /** No-drift band of the AUC (defaults 0.45 and 0.65, NannyML's `ConstantThreshold` for this method). */
  lowerThreshold?: number;
  upperThreshold?: number;
}

/**
 * Result of {@link domainClassifierDrift}: the cross-validated AUC, its no-drift band, per-column importance
 * and the rows used.
 */
export interface DomainClassifierResult {
  method: 'domain_classifier';
  /** Cross-validated ROC AUC of "current" against "reference". */
  auc: number;
  lowerThreshold: number;
  upperThreshold: number;
  /** The AUC lies outside [lowerThreshold, upperThreshold]. */
  drifted: boolean;
  /**
   * Share of the classifier's absolute standardised coefficients attributable to each input column
   * (numeric columns first, then categorical), averaged over folds; sums to 1.
   */
  featureImportance: number[];
  /** Rows used from each sample after subsampling. */
  referenceRows: number;
  currentRows: number;
}

// products of every feature pair are added only up to this many features (cost grows quadratically)
const MAX_FEATURES_WITH_PRODUCTS = 8;

/** Measures drift between two samples with a cross-validated domain classifier. */
export function domainClassifierDrift(
  reference: FeatureColumns,
  current: FeatureColumns,
  options: DomainClassifierOptions = {},
): DomainClassifierResult {
  const folds = options.folds ?? 5;
  const seed = options.seed ?? 1;
  const maxRows = options.maxRowsPerSample ?? 5000;
  const lowerThreshold = options.lowerThreshold ?? 0.45;
  const upperThreshold = options.upperThreshold ?? 0.65;
  const refPicked = pickRows(rowCount(reference), maxRows, seed);
  const curPicked = pickRows(rowCount(current), maxRows, seed);
  if (refPicked.length < folds || curPicked.length < folds) {
    throw new RangeError(`each sample needs at least ${folds} rows`);
  }

  // one encoding and one standardisation for both samples, so that swapping them changes nothing
  const combined = concatColumns(reference, refPicked, current, curPicked);
  const n = refPicked.length + curPicked.length;
  const encoded = encodeFeatures(fitFeatureEncoding(combined), combined, n);
  const inputs = encoded.length / n;
  const { matrix, width, owners } = expandFeatures(encoded, inputs, n);

  const targets = new Float64Array(n);
  targets.fill(1, refPicked.length);
  // each sample gets its own fold assignment, derived only from its size and the seed
  const fold = new Uint8Array(n);
  fold.set(foldAssignment(refPicked.length, folds, seed), 0);
  fold.set(foldAssignment(curPicked.length, folds, seed), refPicked.length);

  const scores = new Float64Array(n);
  const importance = new Float64Array(inputs);
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
    const model = fitLogistic(matrix, width, targets, train, options.penalty ?? 1);
    for (const i of test) scores[i] = logisticScore(model, matrix, width, i);
    for (let t = 0; t < width; t++) {
      const share = Math.abs(model.weights[t + 1]!) / owners[t]!.length;
      for (const owner of owners[t]!) importance[owner]! += share;
    }
  }
  const totalImportance = importance.reduce((a, b) => a + b, 0);
  const auc = rocAuc(targets, scores);
  return {
    method: 'domain_classifier',
    auc,
    lowerThreshold,
    upperThreshold,
    drifted: auc < lowerThreshold || auc > upperThreshold,
    featureImportance: Array.from(importance, (v) => (totalImportance > 0 ? v / totalImportance : 0)),
    referenceRows: refPicked.length,
    currentRows: curPicked.length,
  };
}

/** Up to `max` distinct row indices of `count`, seeded by the seed and `count` only. */
function pickRows(count: number, max: number, seed: number): Uint32Array {
  const all = new Uint32Array(count);
  for (let i = 0; i < count; i++) all[i] = i;
  if (count <= max) return all;
  const random = mulberry32(seed ^ Math.imul(count, 0x9e3779b1));
  return shuffleInPlace(all, random).slice(0, max).sort();
}

/** Balanced fold numbers in random order for `count` rows. */
function foldAssignment(count: number, folds: number, seed: number): Uint8Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  shuffleInPlace(order, mulberry32((seed + 0x51ed27) ^ Math.imul(count, 0x85ebca6b)));
  const fold = new Uint8Array(count);
  for (let k = 0; k < count; k++) fold[order[k]!] = k % folds;
  return fold;
}

function concatColumns(
  a: FeatureColumns,
  aRows: Uint32Array,
  b: FeatureColumns,
  bRows: Uint32Array,
): FeatureColumns {
  if (
    a.numeric.length !== b.numeric.length ||
    (a.categorical ?? []).length !== (b.categorical ?? []).length
  ) {
    throw new RangeError('reference and current must have the same columns');
  }
  const join = <T>(x: ArrayLike<T>, y: ArrayLike<T>): T[] => [
    ...Array.from(aRows, (i) => x[i]!),
    ...Array.from(bRows, (i) => y[i]!),
  ];
  return {
    numeric: a.numeric.map((col, j) => Float64Array.from(join(col, b.numeric[j]!))),
    categorical: (a.categorical ?? []).map((col, j) => join(col, b.categorical![j]!)),
  };
}

/**
 * Standardised inputs, their squares and (for few inputs) pairwise products, each term standardised.
 * `owners[t]` lists the input columns term t is built from.
 */
function expandFeatures(
  encoded: Float64Array,
  inputs: number,
  n: number,
): { matrix: Float64Array; width: number; owners: number[][] } {
  const owners: number[][] = [];
  for (let j = 0; j < inputs; j++) owners.push([j]);
  for (let j = 0; j < inputs; j++) owners.push([j, j]);
  if (inputs <= MAX_FEATURES_WITH_PRODUCTS) {
    for (let j = 0; j < inputs; j++) for (let k = j + 1; k < inputs; k++) owners.push([j, k]);
  }
  const width = owners.length;
  const base = standardiseColumns(encoded, inputs, n);
  const matrix = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < width; t++) {
      const term = owners[t]!;
      matrix[i * width + t] =
        term.length === 1
          ? base[i * inputs + term[0]!]!
          : base[i * inputs + term[0]!]! * base[i * inputs + term[1]!]!;
    }
  }
  return { matrix: standardiseColumns(matrix, width, n), width, owners: owners.map((o) => [...new Set(o)]) };
}

/** Column-wise (x − mean) / std; constant columns become 0. */
function standardiseColumns(x: Float64Array, width: number, n: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let j = 0; j < width; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[i * width + j]!;
    const mean = sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += (x[i * width + j]! - mean) ** 2;
    const std = Math.sqrt(squares / n);
    for (let i = 0; i < n; i++) out[i * width + j] = std > 1e-12 ? (x[i * width + j]! - mean) / std : 0;
  }
  return out;
}
