/**
 * One entry point for the server: fit an estimator once on reference data, store the JSON-safe model,
 * then estimate each window from the model and the window's unlabelled outputs.
 */
import { type BinaryReference, type BinaryWindow, estimateCbpeBinary, fitCbpeBinary } from './cbpe-binary.js';
import {
  estimateCbpeMulticlass,
  fitCbpeMulticlass,
  type MulticlassReference,
  type MulticlassWindow,
} from './cbpe-multiclass.js';
import type {
  CbpeBinaryModel,
  CbpeMulticlassModel,
  EstimatorFitOptions,
  PerformanceEstimatorModel,
  WindowEstimates,
} from './types.js';

/** Fits CBPE: binary when the reference has no `classes`, multiclass otherwise. */
export function fitCbpe(reference: BinaryReference, options?: EstimatorFitOptions): CbpeBinaryModel;
/** Fits multiclass CBPE when the reference lists its `classes` (one score array per class). */
export function fitCbpe(reference: MulticlassReference, options?: EstimatorFitOptions): CbpeMulticlassModel;
/** Shared implementation of the overloads: multiclass when the reference has `classes`, binary otherwise. */
export function fitCbpe(
  reference: BinaryReference | MulticlassReference,
  options: EstimatorFitOptions = {},
): CbpeBinaryModel | CbpeMulticlassModel {
  return 'classes' in reference ? fitCbpeMulticlass(reference, options) : fitCbpeBinary(reference, options);
}

/** Estimates the performance of one window with any fitted estimator. */
export function estimateWindow(
  model: PerformanceEstimatorModel,
  window: BinaryWindow | MulticlassWindow,
): WindowEstimates {
  switch (model.kind) {
    case 'cbpe_binary':
      if (!isBinaryWindow(window)) throw new TypeError('a binary CBPE model needs one score array');
      return estimateCbpeBinary(model, window);
    case 'cbpe_multiclass':
      if (isBinaryWindow(window))
        throw new TypeError('a multiclass CBPE model needs one score array per class');
      return estimateCbpeMulticlass(model, window);
    case 'dle':
      throw new Error('direct loss estimation (dle) is not implemented yet');
  }
}

function isBinaryWindow(window: BinaryWindow | MulticlassWindow): window is BinaryWindow {
  const first = window.scores[0];
  return first === undefined || typeof first === 'number';
}
