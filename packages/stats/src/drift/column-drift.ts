/**
 * One entry point for a column's drift: picks the method (or takes the caller's), runs it on raw or
 * aggregated inputs, and applies the effect-size floor. `detectModelDrift` then adjusts a model's
 * p-values for multiple testing.
 */
import {
  hellingerCategorical,
  jensenShannonCategorical,
  lInfinityDistance,
  totalVariationDistance,
} from './categorical-distances.js';
import { psiCategorical } from './categorical-psi.js';
import {
  type AlignedCategories,
  alignCategories,
  type CategoryValue,
  countCategories,
} from './categories.js';
import type { BinBounds } from './cdf-distances.js';
import {
  chiSquareContingencyDrift,
  chiSquareDrift,
  gTestContingencyDrift,
  gTestDrift,
} from './chi-square.js';
import {
  CATEGORY_COUNT_TESTS,
  chooseDriftMethod,
  type DriftColumnKind,
  type DriftColumnProfile,
  type DriftMethodChoice,
  type DriftMethodName,
  type DriftPolicy,
  describeMethodChoice,
  resolveDriftPolicy,
} from './choose-method.js';
import { type MonitoredDriftResult, withEffectSizeFloor } from './effect-size-floor.js';
import { fisherExactDrift } from './fisher-exact.js';
import { adjustDriftResults, type MultipleTestingCorrection } from './multiple-testing.js';
import { NUMERIC_METHODS, type NumericInput, numericEffectSize } from './numeric-dispatch.js';
import { prepareSample } from './numeric-sample.js';
import type { BinnedCounts, CategoryCounts, DriftResult } from './types.js';
import { zTestDrift } from './z-test.js';

/**
 * A column's two windows, raw or aggregated. Missing values (`null`, `undefined`, `NaN`) are ignored.
 * Binned numeric input whose outer edges are infinite needs `bounds` (the observed minimum and
 * maximum) for the normed Wasserstein distance, used on large windows and for the effect-size floor.
 */
export type ColumnDriftInput =
  | { kind: 'numeric'; reference: ArrayLike<number>; current: ArrayLike<number> }
  | { kind: 'numeric'; binned: BinnedCounts; bounds?: BinBounds & { referenceStd?: number } }
  | {
      kind: 'categorical' | 'boolean';
      reference: ArrayLike<CategoryValue>;
      current: ArrayLike<CategoryValue>;
    }
  | { kind: 'categorical' | 'boolean'; counts: CategoryCounts };

/** Options of {@link detectColumnDrift}. */
export interface ColumnDriftOptions {
  /** Use this method instead of the automatic choice. */
  method?: DriftMethodName;
  /**
   * Threshold of the method used, instead of the policy's: a p-value or a distance depending on the
   * method, so set it together with `method`; per-method thresholds belong in `policy.thresholds`.
   */
  threshold?: number;
  /** Overrides of the default policy (thresholds per method, sample-size cut-off, floors). */
  policy?: Partial<DriftPolicy>;
}

/** A column's drift result with the method choice that produced it. */
export interface ColumnDriftResult extends MonitoredDriftResult {
  kind: DriftColumnKind;
  choice: DriftMethodChoice;
  /** Categories seen only in the current window (categorical comparisons). */
  unseenInReference?: string[];
  /** Reference categories absent from the current window (categorical comparisons). */
  missingInCurrent?: string[];
}

type CategoricalRunner = (aligned: AlignedCategories, threshold: number) => DriftResult;

const CATEGORICAL_METHODS: Partial<Record<DriftMethodName, CategoricalRunner>> = {
  chi_square: (a, threshold) => chiSquareDrift(a, { threshold }),
  chi_square_contingency: (a, threshold) => chiSquareContingencyDrift(a, { threshold }),
  g_test: (a, threshold) => gTestDrift(a, { threshold }),
  g_test_contingency: (a, threshold) => gTestContingencyDrift(a, { threshold }),
  z_test: (a, threshold) => zTestDrift(a, { threshold }),
  fisher_exact: (a, threshold) => fisherExactDrift(a, { threshold }),
  jensen_shannon: (a, threshold) => jensenShannonCategorical(a, { threshold }),
  hellinger: (a, threshold) => hellingerCategorical(a, { threshold }),
  psi: (a, threshold) => psiCategorical(a, { threshold }),
  l_infinity: (a, threshold) => lInfinityDistance(a, { threshold }),
  total_variation: (a, threshold) => totalVariationDistance(a, { threshold }),
};

/** Number of distinct non-NaN values, counted only up to `limit + 1` (all the choice needs). */
function distinctUpTo(values: ArrayLike<number>, limit: number): number {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    seen.add(v);
    if (seen.size > limit) break;
  }
  return seen.size;
}

function binnedTotal(counts: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i]!;
  return n;
}

/** The smallest expected cell of the 2 x k table of reference and current counts under no drift. */
function smallestExpectedCount(a: AlignedCategories): number {
  const total = a.referenceTotal + a.currentTotal;
  let smallest = Number.POSITIVE_INFINITY;
  for (let j = 0; j < a.categories.length; j++) {
    const column = a.reference[j]! + a.current[j]!;
    smallest = Math.min(smallest, (column * Math.min(a.referenceTotal, a.currentTotal)) / total);
  }
  return smallest;
}

/** The methods for one way of comparing a column, and the distance its effect-size floor checks. */
interface MethodFamily<Input> {
  compareAs: 'numeric' | 'categorical';
  methods: Partial<Record<DriftMethodName, (input: Input, threshold: number) => DriftResult>>;
  effectSize: (input: Input) => number;
}

const CATEGORICAL: MethodFamily<AlignedCategories> = {
  compareAs: 'categorical',
  methods: CATEGORICAL_METHODS,
  effectSize: (aligned) => totalVariationDistance(aligned).statistic,
};

const NUMERIC: MethodFamily<NumericInput> = {
  compareAs: 'numeric',
  methods: NUMERIC_METHODS,
  effectSize: numericEffectSize,
};

/**
 * Takes the caller's method or chooses one from the column's profile (built only when needed), runs
 * it, and applies the effect-size floor the choice asks for.
 */
function runMethod<Input>(
  family: MethodFamily<Input>,
  input: Input,
  profile: () => DriftColumnProfile,
  policy: DriftPolicy,
  options: ColumnDriftOptions,
): { result: MonitoredDriftResult; choice: DriftMethodChoice } {
  const choice = options.method
    ? describeMethodChoice(
        options.method,
        family.compareAs,
        'method set by the caller',
        policy,
        options.threshold,
      )
    : chooseDriftMethod(profile(), policy);
  if (options.threshold !== undefined) choice.threshold = options.threshold;
  const run = family.methods[choice.method];
  if (!run) throw new RangeError(`method '${choice.method}' does not apply to ${family.compareAs} columns`);
  const result = run(input, choice.threshold);
  if (!choice.effectSizeFloor) return { result, choice };
  const floored = withEffectSizeFloor(result, {
    method: choice.effectSizeFloor.method,
    value: family.effectSize(input),
    floor: choice.effectSizeFloor.floor,
  });
  return { result: floored, choice };
}

function categoricalColumnDrift(
  kind: DriftColumnKind,
  aligned: AlignedCategories,
  policy: DriftPolicy,
  options: ColumnDriftOptions,
  numericDistinct?: number,
): ColumnDriftResult {
  const profile = (): DriftColumnProfile => ({
    kind,
    referenceSize: aligned.referenceTotal,
    currentSize: aligned.currentTotal,
    categories: aligned.categories.length,
    smallestExpectedCount: smallestExpectedCount(aligned),
    ...(numericDistinct === undefined ? {} : { distinctValues: numericDistinct }),
  });
  const { result, choice } = runMethod(CATEGORICAL, aligned, profile, policy, options);
  return {
    ...result,
    kind,
    choice,
    unseenInReference: aligned.unseenInReference,
    missingInCurrent: aligned.missingInCurrent,
  };
}

function numericColumnDrift(
  input: NumericInput,
  sizes: { reference: number; current: number },
  policy: DriftPolicy,
  options: ColumnDriftOptions,
): ColumnDriftResult {
  const profile = (): DriftColumnProfile => ({
    kind: 'numeric',
    referenceSize: sizes.reference,
    currentSize: sizes.current,
  });
  const { result, choice } = runMethod(NUMERIC, input, profile, policy, options);
  return { ...result, kind: 'numeric', choice };
}

/** Methods that only compare category counts; on a numeric column they compare the values as categories. */
const CATEGORY_ONLY = new Set<DriftMethodName>([...CATEGORY_COUNT_TESTS, 'l_infinity', 'total_variation']);

/**
 * Drift of one column between a reference and a current window. Without `options.method` the
 * method follows {@link chooseDriftMethod}; p-value tests also need the effect-size floor to
 * report drift. Raw numeric columns with few distinct values are compared as categories.
 * Throws a `RangeError` when a window has no non-missing values or the method does not fit the column.
 */
export function detectColumnDrift(
  input: ColumnDriftInput,
  options: ColumnDriftOptions = {},
): ColumnDriftResult {
  const policy = resolveDriftPolicy(options.policy);
  if (input.kind !== 'numeric') {
    const counts = 'counts' in input ? input.counts : countCategories(input.reference, input.current);
    return categoricalColumnDrift(input.kind, alignCategories(counts), policy, options);
  }
  if ('binned' in input) {
    const sizes = {
      reference: binnedTotal(input.binned.reference),
      current: binnedTotal(input.binned.current),
    };
    const binned: NumericInput = input.bounds
      ? { binned: input.binned, bounds: input.bounds }
      : { binned: input.binned };
    return numericColumnDrift(binned, sizes, policy, options);
  }
  const distinct = distinctUpTo(input.reference, policy.maxDistinctForCategorical);
  const forcedCategorical = options.method !== undefined && CATEGORY_ONLY.has(options.method);
  if (forcedCategorical || (options.method === undefined && distinct <= policy.maxDistinctForCategorical)) {
    const aligned = alignCategories(countCategories(input.reference, input.current));
    return { ...categoricalColumnDrift('numeric', aligned, policy, options, distinct), kind: 'numeric' };
  }
  // Sorted once, shared by the method and the effect-size floor.
  const reference = prepareSample(input.reference);
  const current = prepareSample(input.current);
  if (reference.size === 0) throw new RangeError('reference sample has no non-missing values');
  if (current.size === 0) throw new RangeError('current sample has no non-missing values');
  const sizes = { reference: reference.size, current: current.size };
  return numericColumnDrift({ reference, current }, sizes, policy, options);
}

/** Options of {@link detectModelDrift}. */
export interface ModelDriftOptions {
  /** Multiple-testing correction across the model's p-value tests. Default `benjamini_hochberg`. */
  correction?: MultipleTestingCorrection;
  /** Policy overrides shared by all columns. */
  policy?: Partial<DriftPolicy>;
  /** Per-column method and threshold overrides. */
  columns?: Record<string, Omit<ColumnDriftOptions, 'policy'>>;
}

/** Drift of every column of a model, with p-values adjusted across columns. */
export interface ModelDriftResult {
  columns: Record<string, ColumnDriftResult>;
  /** Names of the drifted columns, in input order. */
  driftedColumns: string[];
}

/**
 * The default monitor: {@link detectColumnDrift} on every column, then p-values adjusted across the
 * columns (Benjamini–Hochberg by default) and `drifted` re-decided, so a model with many features
 * does not raise an alarm on most windows by chance.
 */
export function detectModelDrift(
  columns: Record<string, ColumnDriftInput>,
  options: ModelDriftOptions = {},
): ModelDriftResult {
  const names = Object.keys(columns);
  const perColumn = names.map((name) =>
    detectColumnDrift(columns[name]!, { ...options.columns?.[name], policy: options.policy ?? {} }),
  );
  const adjusted = adjustDriftResults(perColumn, options.correction ?? 'benjamini_hochberg');
  const result: ModelDriftResult = { columns: {}, driftedColumns: [] };
  names.forEach((name, i) => {
    const column = adjusted[i]!;
    result.columns[name] = column;
    if (column.drifted) result.driftedColumns.push(name);
  });
  return result;
}
