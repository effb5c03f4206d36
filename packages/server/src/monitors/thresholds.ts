/** The budgeted thresholds live in @vigil/stats, shared with the offline report. */
export {
  CHI_SQUARE_TAIL_SAFETY,
  type ChunkCalibration,
  calibrate,
  chunkDetails,
  chunkDistanceThreshold,
  metricBand,
  oneSidedZ,
  perTestAlpha,
  samplingNoiseThreshold,
} from '@vigil/stats';
