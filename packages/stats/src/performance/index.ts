export type { Average, AveragingOptions, PrecisionRecallF } from './classification.js';
export {
  accuracyScore,
  balancedAccuracyScore,
  f1Score,
  fbetaScore,
  precisionRecallFscore,
  precisionScore,
  recallScore,
  specificityScore,
} from './classification.js';
export type { ClassCounts, ConfusionMatrix } from './confusion-matrix.js';
export { classCounts, confusionMatrix, confusionMatrixFromCounts, totalCount } from './confusion-matrix.js';
export type { HistogramAuc } from './histogram-auc.js';
export { rocAucFromHistograms } from './histogram-auc.js';
export type { BootstrapOptions, IntervalEstimate } from './interval.js';
export { bootstrapInterval, normalInterval, takeAt } from './interval.js';
export type { Label } from './labels.js';
export { sortedLabelUnion } from './labels.js';
export type { ProbabilityOptions, ReliabilityBins } from './probabilistic.js';
export { brierScore, expectedCalibrationErrorEqualWidth, logLoss, reliabilityBins } from './probabilistic.js';
export type { BinaryRankingOptions, OneVsRestOptions, ScoreMatrix } from './ranking.js';
export { averagePrecisionOneVsRest, averagePrecisionScore, rocAucOneVsRest, rocAucScore } from './ranking.js';
export {
  maxError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanError,
  meanSquaredError,
  medianAbsoluteError,
  r2Score,
  rootMeanSquaredError,
} from './regression.js';
export type {
  BinaryConfusionCounts,
  ConfusionSamplingMetric,
  RegressionSamplingMetric,
  SamplingErrorModel,
} from './sampling-error.js';
export {
  aucSamplingError,
  chunkedStandardError,
  confusionSamplingError,
  regressionSamplingError,
  samplingStandardError,
} from './sampling-error.js';
