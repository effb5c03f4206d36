export type { AndersonDarlingDriftResult, AndersonDarlingResult } from './anderson-darling.js';
export {
  ANDERSON_DARLING_DEFAULT_THRESHOLD,
  ANDERSON_DARLING_SIGNIFICANCE,
  andersonDarling,
  andersonDarlingBinned,
  andersonDarlingDrift,
  andersonDarlingDriftBinned,
} from './anderson-darling.js';
export type { CategoricalDistanceOptions } from './categorical-distances.js';
export {
  hellingerCategorical,
  jensenShannonCategorical,
  lInfinityDistance,
  totalVariationDistance,
} from './categorical-distances.js';
export { psiCategorical } from './categorical-psi.js';
export type { AlignedCategories, CategoryValue } from './categories.js';
export { alignCategories, countCategories, countValues } from './categories.js';
export type { BinBounds } from './cdf-distances.js';
export {
  ENERGY_DEFAULT_THRESHOLD,
  energyDistance,
  energyDistanceBinned,
  energyDrift,
  energyDriftBinned,
  WASSERSTEIN_MIN_NORM,
  WASSERSTEIN_NORMED_DEFAULT_THRESHOLD,
  wassersteinDistance,
  wassersteinDistanceBinned,
  wassersteinDrift,
  wassersteinDriftBinned,
  wassersteinNormed,
  wassersteinNormedBinMeans,
  wassersteinNormedBinned,
} from './cdf-distances.js';
export type { ChiSquareDriftOptions, ChiSquareDriftResult, ContingencyDriftOptions } from './chi-square.js';
export {
  chiSquareContingencyDrift,
  chiSquareDrift,
  gTestContingencyDrift,
  gTestDrift,
} from './chi-square.js';
export type {
  DriftColumnKind,
  DriftColumnProfile,
  DriftMethodChoice,
  DriftMethodName,
  DriftPolicy,
} from './choose-method.js';
export {
  chooseDriftMethod,
  DEFAULT_DRIFT_POLICY,
  DEFAULT_DRIFT_THRESHOLDS,
  describeMethodChoice,
  isPValueMethod,
  resolveDriftPolicy,
} from './choose-method.js';
export type {
  ColumnDriftInput,
  ColumnDriftOptions,
  ColumnDriftResult,
  ModelDriftOptions,
  ModelDriftResult,
} from './column-drift.js';
export { detectColumnDrift, detectModelDrift } from './column-drift.js';
export type { CramerVonMisesDriftResult, CramerVonMisesResult } from './cramer-von-mises.js';
export {
  CRAMER_VON_MISES_DEFAULT_THRESHOLD,
  CRAMER_VON_MISES_EXACT_MAX_SIZE,
  cramerVonMises,
  cramerVonMisesBinned,
  cramerVonMisesDrift,
  cramerVonMisesDriftBinned,
  cramerVonMisesExactSf,
} from './cramer-von-mises.js';
export type { EffectSizeCheck, MonitoredDriftResult } from './effect-size-floor.js';
export { DEFAULT_EFFECT_SIZE_FLOORS, decideDrift, withEffectSizeFloor } from './effect-size-floor.js';
export type { FisherExactDriftOptions, FisherExactResult } from './fisher-exact.js';
export { fisherExactDrift, fisherExactTest } from './fisher-exact.js';
export type { HistogramDriftOptions, HistogramOptions } from './histogram-distances.js';
export {
  HELLINGER_DEFAULT_THRESHOLD,
  HISTOGRAM_EPSILON,
  hellingerDistance,
  hellingerDistanceBinned,
  hellingerDrift,
  hellingerDriftBinned,
  JENSEN_SHANNON_DEFAULT_THRESHOLD,
  jensenShannonDistance,
  jensenShannonDistanceBinned,
  jensenShannonDrift,
  jensenShannonDriftBinned,
  KL_DEFAULT_THRESHOLD,
  klDivergence,
  klDivergenceBinned,
  klDivergenceDrift,
  klDivergenceDriftBinned,
  PSI_DEFAULT_THRESHOLD,
  psi,
  psiBinned,
  psiDrift,
  psiDriftBinned,
} from './histogram-distances.js';
export type { KsDriftOptions, KsDriftResult, KsMethod, KsOptions, KsResult } from './ks.js';
export {
  KS_DEFAULT_THRESHOLD,
  KS_EXACT_MAX_SIZE,
  ksDrift,
  ksDriftBinned,
  ksTwoSample,
  ksTwoSampleBinned,
} from './ks.js';
export { ksExactTwoSided } from './ks-exact.js';
export type {
  MannWhitneyDriftResult,
  MannWhitneyMethod,
  MannWhitneyOptions,
  MannWhitneyResult,
} from './mann-whitney.js';
export {
  MANN_WHITNEY_DEFAULT_THRESHOLD,
  MANN_WHITNEY_EXACT_MAX_PRODUCT,
  mannWhitneyDrift,
  mannWhitneyDriftBinned,
  mannWhitneyExactSf,
  mannWhitneyU,
  mannWhitneyUBinned,
} from './mann-whitney.js';
export type { MultipleTestingCorrection } from './multiple-testing.js';
export { adjustDriftResults, benjaminiHochberg, bonferroni } from './multiple-testing.js';
export {
  binIndex,
  binMidpoints,
  binnedCountsFromSamples,
  countIntoBins,
  countSortedIntoBins,
  DEFAULT_BIN_COUNT,
  quantileBinEdges,
} from './numeric-bins.js';
export type { NumericSample } from './numeric-sample.js';
export { PreparedSample, prepareSample } from './numeric-sample.js';
export type { TTestDriftOptions, TTestDriftResult, TTestResult } from './t-test.js';
export {
  studentTTest,
  T_TEST_DEFAULT_THRESHOLD,
  tTestBinned,
  tTestDrift,
  tTestDriftBinned,
  welchTTest,
} from './t-test.js';
export type { BinnedCounts, CategoryCounts, DriftResult, ThresholdKind } from './types.js';
export type { ZTestDriftOptions } from './z-test.js';
export { zTestDrift } from './z-test.js';
