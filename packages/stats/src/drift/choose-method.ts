/**
 * Vigil's automatic choice of a drift method per column. Small windows use hypothesis tests,
 * which are well calibrated there; large windows use distances, because with many rows every
 * test flags shifts too small to matter.
 */
import { ANDERSON_DARLING_DEFAULT_THRESHOLD } from './anderson-darling.js';
import { ENERGY_DEFAULT_THRESHOLD, WASSERSTEIN_NORMED_DEFAULT_THRESHOLD } from './cdf-distances.js';
import { CRAMER_VON_MISES_DEFAULT_THRESHOLD } from './cramer-von-mises.js';
import { DEFAULT_EFFECT_SIZE_FLOORS } from './effect-size-floor.js';
import {
  HELLINGER_DEFAULT_THRESHOLD,
  JENSEN_SHANNON_DEFAULT_THRESHOLD,
  KL_DEFAULT_THRESHOLD,
  PSI_DEFAULT_THRESHOLD,
} from './histogram-distances.js';
import { KS_DEFAULT_THRESHOLD } from './ks.js';
import { MANN_WHITNEY_DEFAULT_THRESHOLD } from './mann-whitney.js';
import { T_TEST_DEFAULT_THRESHOLD } from './t-test.js';
import type { ThresholdKind } from './types.js';

/** The declared type of a column. */
export type DriftColumnKind = 'numeric' | 'categorical' | 'boolean';

/** The methods the automatic choice (and {@link DriftPolicy} thresholds) know about. */
export type DriftMethodName =
  | 'ks'
  | 'wasserstein_normed'
  | 'psi'
  | 'jensen_shannon'
  | 'hellinger'
  | 'chi_square'
  | 'chi_square_contingency'
  | 'g_test'
  | 'g_test_contingency'
  | 'z_test'
  | 'fisher_exact'
  | 'l_infinity'
  | 'total_variation'
  | 'energy_distance'
  | 'kl_divergence'
  | 'anderson_darling'
  | 'cramer_von_mises'
  | 'mann_whitney'
  | 'welch_t'
  | 'student_t';

/** What the choice needs to know about a column. */
export interface DriftColumnProfile {
  kind: DriftColumnKind;
  /** Non-missing rows in the reference window. */
  referenceSize: number;
  /** Non-missing rows in the current window. */
  currentSize: number;
  /** Distinct non-missing values in the reference, when known (numeric columns from raw values). */
  distinctValues?: number;
  /** Number of categories in the union of both windows (categorical and boolean columns). */
  categories?: number;
  /** Smallest expected cell of the 2 x 2 table under no drift (two-category columns). */
  smallestExpectedCount?: number;
}

/** The knobs of the automatic choice. Every field has a default in {@link DEFAULT_DRIFT_POLICY}. */
export interface DriftPolicy {
  /** Windows are "large" when both have more rows than this; then distances replace tests. */
  largeSampleSize: number;
  /** Numeric columns with at most this many distinct reference values are compared as categories. */
  maxDistinctForCategorical: number;
  /** Two-category columns use Fisher's exact test instead of the z-test below this expected count. */
  fisherBelowExpectedCount: number;
  /** Threshold of each method: a p-value for tests, a distance for distances. */
  thresholds: Record<DriftMethodName, number>;
  /** Effect-size floors for p-value tests, or `false` to switch the floor off. */
  effectSizeFloors: { numeric: number; categorical: number } | false;
}

/**
 * Default thresholds; p-values for tests (drift below), distances otherwise (drift at or above).
 * The numeric methods' defaults come from their own modules, so there is one source for each.
 */
export const DEFAULT_DRIFT_THRESHOLDS: Readonly<Record<DriftMethodName, number>> = {
  ks: KS_DEFAULT_THRESHOLD,
  chi_square: 0.05,
  chi_square_contingency: 0.05,
  g_test: 0.05,
  g_test_contingency: 0.05,
  z_test: 0.05,
  fisher_exact: 0.05,
  anderson_darling: ANDERSON_DARLING_DEFAULT_THRESHOLD,
  cramer_von_mises: CRAMER_VON_MISES_DEFAULT_THRESHOLD,
  mann_whitney: MANN_WHITNEY_DEFAULT_THRESHOLD,
  welch_t: T_TEST_DEFAULT_THRESHOLD,
  student_t: T_TEST_DEFAULT_THRESHOLD,
  wasserstein_normed: WASSERSTEIN_NORMED_DEFAULT_THRESHOLD,
  energy_distance: ENERGY_DEFAULT_THRESHOLD,
  jensen_shannon: JENSEN_SHANNON_DEFAULT_THRESHOLD,
  hellinger: HELLINGER_DEFAULT_THRESHOLD,
  kl_divergence: KL_DEFAULT_THRESHOLD,
  psi: PSI_DEFAULT_THRESHOLD,
  l_infinity: 0.1,
  total_variation: 0.1,
};

/** Vigil's default policy (see docs/drift-methods.md). */
export const DEFAULT_DRIFT_POLICY: Readonly<DriftPolicy> = {
  largeSampleSize: 1000,
  maxDistinctForCategorical: 5,
  fisherBelowExpectedCount: 5,
  thresholds: DEFAULT_DRIFT_THRESHOLDS,
  effectSizeFloors: DEFAULT_EFFECT_SIZE_FLOORS,
};

/** The hypothesis tests on category counts. */
export const CATEGORY_COUNT_TESTS: readonly DriftMethodName[] = [
  'chi_square',
  'chi_square_contingency',
  'g_test',
  'g_test_contingency',
  'z_test',
  'fisher_exact',
];

const P_VALUE_METHODS: ReadonlySet<DriftMethodName> = new Set<DriftMethodName>([
  'ks',
  ...CATEGORY_COUNT_TESTS,
  'anderson_darling',
  'cramer_von_mises',
  'mann_whitney',
  'welch_t',
  'student_t',
]);

/** Whether a method is a hypothesis test (thresholded on its p-value). */
export function isPValueMethod(method: DriftMethodName): boolean {
  return P_VALUE_METHODS.has(method);
}

/** The method chosen for a column, with everything needed to run and explain it. */
export interface DriftMethodChoice {
  method: DriftMethodName;
  /** Whether the values are compared as numbers or as category counts. */
  compareAs: 'numeric' | 'categorical';
  threshold: number;
  thresholdKind: ThresholdKind;
  /** For p-value tests: the distance that must also reach `floor`. */
  effectSizeFloor?: { method: 'wasserstein_normed' | 'total_variation'; floor: number };
  /** One sentence on why this method was chosen, for logs and the dashboard. */
  reason: string;
}

/** Merges a partial policy over the defaults (thresholds merged per method). */
export function resolveDriftPolicy(overrides: Partial<DriftPolicy> = {}): DriftPolicy {
  return {
    ...DEFAULT_DRIFT_POLICY,
    ...overrides,
    thresholds: { ...DEFAULT_DRIFT_THRESHOLDS, ...overrides.thresholds },
  };
}

/**
 * Completes a method into a choice: threshold from the policy (or `threshold`), and the
 * effect-size floor for tests.
 */
export function describeMethodChoice(
  method: DriftMethodName,
  compareAs: 'numeric' | 'categorical',
  reason: string,
  policy: DriftPolicy = DEFAULT_DRIFT_POLICY,
  threshold?: number,
): DriftMethodChoice {
  const test = isPValueMethod(method);
  const choice: DriftMethodChoice = {
    method,
    compareAs,
    threshold: threshold ?? policy.thresholds[method],
    thresholdKind: test ? 'p_value' : 'distance',
    reason,
  };
  if (test && policy.effectSizeFloors !== false) {
    choice.effectSizeFloor =
      compareAs === 'numeric'
        ? { method: 'wasserstein_normed', floor: policy.effectSizeFloors.numeric }
        : { method: 'total_variation', floor: policy.effectSizeFloors.categorical };
  }
  return choice;
}

/**
 * Chooses the drift method of a column:
 * - boolean or two-category columns: two-proportion z-test, or Fisher's exact test when an expected
 *   cell is below 5; on large windows the Jensen–Shannon distance;
 * - numeric columns with more than 5 distinct reference values: Kolmogorov–Smirnov test, or the
 *   normed Wasserstein distance on large windows; fewer distinct values are compared as categories;
 * - categorical columns: chi-square test of homogeneity, or the Jensen–Shannon distance on large
 *   windows.
 * Windows are large when both have more than `largeSampleSize` rows (default 1000): the smaller
 * sample limits a test's power, so it decides.
 */
export function chooseDriftMethod(
  profile: DriftColumnProfile,
  overrides: Partial<DriftPolicy> = {},
): DriftMethodChoice {
  const policy = resolveDriftPolicy(overrides);
  const smaller = Math.min(profile.referenceSize, profile.currentSize);
  const large = smaller > policy.largeSampleSize;
  const size = `${profile.referenceSize} reference and ${profile.currentSize} current rows`;
  const regime = large
    ? `both windows above ${policy.largeSampleSize} rows, so a distance`
    : `a window of at most ${policy.largeSampleSize} rows, so a test`;

  const numericAsCategories =
    profile.kind === 'numeric' &&
    profile.distinctValues !== undefined &&
    profile.distinctValues <= policy.maxDistinctForCategorical;
  if (profile.kind === 'numeric' && !numericAsCategories) {
    return describeMethodChoice(
      large ? 'wasserstein_normed' : 'ks',
      'numeric',
      `numeric column, ${size}: ${regime}`,
      policy,
    );
  }

  // The union of both windows decides; a boolean column with a third value is no longer binary.
  const categoryCount = profile.categories ?? (numericAsCategories ? profile.distinctValues : undefined);
  const binary = categoryCount !== undefined ? categoryCount <= 2 : profile.kind === 'boolean';
  const what = numericAsCategories
    ? `numeric column with ${profile.distinctValues} distinct values compared as categories`
    : binary
      ? 'two-category column'
      : 'categorical column';
  if (large)
    return describeMethodChoice('jensen_shannon', 'categorical', `${what}, ${size}: ${regime}`, policy);
  if (!binary) {
    return describeMethodChoice(
      'chi_square_contingency',
      'categorical',
      `${what}, ${size}: ${regime}`,
      policy,
    );
  }
  const sparse =
    profile.smallestExpectedCount !== undefined &&
    profile.smallestExpectedCount < policy.fisherBelowExpectedCount;
  return describeMethodChoice(
    sparse ? 'fisher_exact' : 'z_test',
    'categorical',
    `${what}, ${size}: ${regime}${sparse ? `, exact because an expected count is below ${policy.fisherBelowExpectedCount}` : ''}`,
    policy,
  );
}
