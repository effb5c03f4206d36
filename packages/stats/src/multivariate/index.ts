export type { DomainClassifierOptions, DomainClassifierResult } from './domain-classifier.js';
export { domainClassifierDrift } from './domain-classifier.js';
export type { FeatureEncoding } from './encoding.js';
export type {
  DataReconstructionModel,
  DataReconstructionOptions,
  ReconstructionComplement,
  ReconstructionWindowResult,
} from './reconstruction.js';
export {
  evaluateReconstructionWindow,
  fitDataReconstruction,
  reconstructionComplement,
  reconstructionErrors,
} from './reconstruction.js';
export type { SymmetricEigen } from './symmetric-eigen.js';
export { symmetricEigen } from './symmetric-eigen.js';
export type { FeatureColumns } from './tabular.js';
