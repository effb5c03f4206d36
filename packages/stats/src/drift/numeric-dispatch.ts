/**
 * Runs a numeric drift method by name on raw (pre-sorted) samples or on histogram counts, so the
 * column entry point can treat every numeric method alike.
 */
import { andersonDarlingDrift, andersonDarlingDriftBinned } from './anderson-darling.js';
import {
  type BinBounds,
  energyDrift,
  energyDriftBinned,
  wassersteinDrift,
  wassersteinDriftBinned,
  wassersteinNormed,
  wassersteinNormedBinned,
} from './cdf-distances.js';
import type { DriftMethodName } from './choose-method.js';
import { cramerVonMisesDrift, cramerVonMisesDriftBinned } from './cramer-von-mises.js';
import {
  hellingerDrift,
  hellingerDriftBinned,
  jensenShannonDrift,
  jensenShannonDriftBinned,
  klDivergenceDrift,
  klDivergenceDriftBinned,
  psiDrift,
  psiDriftBinned,
} from './histogram-distances.js';
import { ksDrift, ksDriftBinned } from './ks.js';
import { mannWhitneyDrift, mannWhitneyDriftBinned } from './mann-whitney.js';
import type { PreparedSample } from './numeric-sample.js';
import { tTestDrift, tTestDriftBinned } from './t-test.js';
import type { BinnedCounts, DriftResult } from './types.js';

/** Numeric input of the dispatcher: sorted raw samples, or histogram counts with optional bounds. */
export type NumericInput =
  | { reference: PreparedSample; current: PreparedSample }
  | { binned: BinnedCounts; bounds?: BinBounds & { referenceStd?: number } };

type NumericRunner = (input: NumericInput, threshold: number) => DriftResult;

function method(
  raw: (reference: PreparedSample, current: PreparedSample, options: { threshold: number }) => DriftResult,
  binned: (
    counts: BinnedCounts,
    options: BinBounds & { referenceStd?: number; threshold: number },
  ) => DriftResult,
): NumericRunner {
  return (input, threshold) =>
    'binned' in input
      ? binned(input.binned, { ...input.bounds, threshold })
      : raw(input.reference, input.current, { threshold });
}

/** The numeric methods by name. */
export const NUMERIC_METHODS: Partial<Record<DriftMethodName, NumericRunner>> = {
  ks: method(ksDrift, ksDriftBinned),
  wasserstein_normed: method(wassersteinDrift, wassersteinDriftBinned),
  energy_distance: method(energyDrift, energyDriftBinned),
  psi: method(psiDrift, psiDriftBinned),
  jensen_shannon: method(jensenShannonDrift, jensenShannonDriftBinned),
  hellinger: method(hellingerDrift, hellingerDriftBinned),
  kl_divergence: method(klDivergenceDrift, klDivergenceDriftBinned),
  anderson_darling: method(andersonDarlingDrift, andersonDarlingDriftBinned),
  cramer_von_mises: method(cramerVonMisesDrift, cramerVonMisesDriftBinned),
  mann_whitney: method(mannWhitneyDrift, mannWhitneyDriftBinned),
  welch_t: method(tTestDrift, tTestDriftBinned),
  student_t: method(
    (reference, current, options) => tTestDrift(reference, current, { ...options, equalVariances: true }),
    (counts, options) => tTestDriftBinned(counts, { ...options, equalVariances: true }),
  ),
};

/** Normed Wasserstein distance of the input: the effect size behind the numeric floor. */
export function numericEffectSize(input: NumericInput): number {
  return 'binned' in input
    ? wassersteinNormedBinned(input.binned, input.bounds)
    : wassersteinNormed(input.reference, input.current);
}
