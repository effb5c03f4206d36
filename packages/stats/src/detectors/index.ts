/** Streaming change and anomaly detectors for metric time series. */

export type { AdwinOptions, AdwinRowState, AdwinState, AdwinUpdate } from './adwin.js';
export { Adwin } from './adwin.js';
export type { BaselineOptions, BaselineState } from './baseline.js';
export type { CusumOptions, CusumState, CusumUpdate } from './cusum.js';
export { Cusum } from './cusum.js';
export type { DdmOptions, DdmState, DdmUpdate } from './ddm.js';
export { Ddm } from './ddm.js';
export type { EddmOptions, EddmState, EddmUpdate } from './eddm.js';
export { Eddm } from './eddm.js';
export type { EwmaChartOptions, EwmaChartState, EwmaChartUpdate } from './ewma-chart.js';
export { EwmaChart } from './ewma-chart.js';
export type {
  PageHinkleyMode,
  PageHinkleyOptions,
  PageHinkleyState,
  PageHinkleyUpdate,
} from './page-hinkley.js';
export { PageHinkley } from './page-hinkley.js';
export type { DetectorState } from './restore.js';
export { restoreDetector } from './restore.js';
export type { SeasonalZScoreOptions, SeasonalZScoreState, SeasonalZScoreUpdate } from './seasonal-zscore.js';
export { SeasonalZScore } from './seasonal-zscore.js';
export type { DetectorUpdate, StreamingDetector } from './types.js';
