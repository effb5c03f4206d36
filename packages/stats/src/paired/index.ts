export type { DeLongOptions, DeLongResult } from './delong.js';
export { delongTest } from './delong.js';
export type {
  McNemarOptions,
  McNemarResult,
  PairedAccuracyDifference,
  PairedDifference,
  PairedOutcomeTable,
} from './mcnemar.js';
export {
  mcnemarTest,
  pairedAccuracyDifference,
  pairedOutcomeTable,
  pairedOutcomeTableFromPredictions,
} from './mcnemar.js';
export type { IndexedMetric, PairedBootstrapOptions, PairedBootstrapResult } from './paired-bootstrap.js';
export { pairedBootstrap } from './paired-bootstrap.js';
