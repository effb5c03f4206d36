import { Adwin, type AdwinState } from './adwin.js';
import { Cusum, type CusumState } from './cusum.js';
import { Ddm, type DdmState } from './ddm.js';
import { Eddm, type EddmState } from './eddm.js';
import { EwmaChart, type EwmaChartState } from './ewma-chart.js';
import { PageHinkley, type PageHinkleyState } from './page-hinkley.js';
import { SeasonalZScore, type SeasonalZScoreState } from './seasonal-zscore.js';
import type { DetectorUpdate, StreamingDetector } from './types.js';

/** The persisted state of any detector; `kind` tells which. */
export type DetectorState =
  | AdwinState
  | CusumState
  | DdmState
  | EddmState
  | EwmaChartState
  | PageHinkleyState
  | SeasonalZScoreState;

/** Rebuilds whichever detector a stored state belongs to, so callers need not switch on `kind`. */
export function restoreDetector(state: DetectorState): StreamingDetector<DetectorState, DetectorUpdate> {
  switch (state.kind) {
    case 'adwin':
      return Adwin.fromState(state);
    case 'cusum':
      return Cusum.fromState(state);
    case 'ddm':
      return Ddm.fromState(state);
    case 'eddm':
      return Eddm.fromState(state);
    case 'ewma':
      return EwmaChart.fromState(state);
    case 'page_hinkley':
      return PageHinkley.fromState(state);
    case 'seasonal_zscore':
      return SeasonalZScore.fromState(state);
    default:
      throw new TypeError(`unknown detector kind: ${(state as { kind?: unknown }).kind}`);
  }
}
