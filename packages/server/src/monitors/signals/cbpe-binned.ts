/** Binned CBPE lives in @vigil/stats, shared with the offline report. */
export {
  CBPE_BINS,
  CBPE_EDGES,
  calibrationOnBins,
  expectedConfusion,
  metricsFromConfusion,
  type ScoreHistogram,
} from '@vigil/stats';
