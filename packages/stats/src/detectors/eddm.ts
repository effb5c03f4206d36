import { RunningVariance } from './running-mean.js';
import type { DetectorUpdate, StreamingDetector } from './types.js';

/** Parameters of {@link Eddm}; every field has a default. */
export interface EddmOptions {
  /** Values and errors required before the test may fire. Default 30. */
  warmStart: number;
  /** Warning when the distance statistic falls below this share of its maximum. Default 0.95. */
  alpha: number;
  /** Drift when it falls below this share. Default 0.9; must not exceed `alpha`. */
  beta: number;
}

/** Serialisable state of an EDDM detector; pass it to `Eddm.fromState` to resume. */
export interface EddmState extends EddmOptions {
  kind: 'eddm';
  n: number;
  nErrors: number;
  lastError: number;
  /** Running mean, count and sum of squares of the distances between errors. */
  distanceCount: number;
  distanceMean: number;
  distanceSumSquares: number;
  maxLevel: number;
  driftDetected: boolean;
  warningDetected: boolean;
}

/** What {@link Eddm.update} reports for one value: the drift and warning flags. */
export interface EddmUpdate extends DetectorUpdate {
  warning: boolean;
}

const defaults: EddmOptions = { warmStart: 30, alpha: 0.95, beta: 0.9 };

/**
 * Early Drift Detection Method (Baena-García et al. 2006) on a 0/1 error stream, as
 * `river.drift.binary.EDDM`: it follows the mean + 2 standard deviations of the distance between
 * consecutive errors and signals when that falls well below its maximum, which catches slow
 * degradations earlier than DDM.
 */
export class Eddm implements StreamingDetector<EddmState, EddmUpdate> {
  readonly options: Readonly<EddmOptions>;
  private distances = new RunningVariance(1);
  private n = 0;
  private lastError = 0;
  private nErrors = 0;
  private maxLevel = -1;
  private driftDetected = false;
  private warningDetected = false;

  constructor(options: Partial<EddmOptions> = {}) {
    this.options = { ...defaults, ...options };
    if (this.options.alpha < this.options.beta) throw new RangeError('EDDM: alpha must be >= beta');
  }

  /** Restores a detector from {@link Eddm.state}. */
  static fromState(state: EddmState): Eddm {
    const { warmStart, alpha, beta } = state;
    const detector = new Eddm({ warmStart, alpha, beta });
    detector.distances.mean.n = state.distanceCount;
    detector.distances.mean.mean = state.distanceMean;
    detector.distances.sumSquares = state.distanceSumSquares;
    detector.n = state.n;
    detector.lastError = state.lastError;
    detector.nErrors = state.nErrors;
    detector.maxLevel = state.maxLevel;
    detector.driftDetected = state.driftDetected;
    detector.warningDetected = state.warningDetected;
    return detector;
  }

  reset(): void {
    this.distances = new RunningVariance(1);
    this.n = 0;
    this.lastError = 0;
    this.nErrors = 0;
    this.maxLevel = -1;
    this.driftDetected = false;
    this.warningDetected = false;
  }

  /** @param x 1 for an error, 0 for a correct prediction. */
  update(x: number): EddmUpdate {
    if (this.driftDetected) this.reset();
    this.n += 1;
    if (x === 1) {
      this.nErrors += 1;
      this.distances.update(this.n - this.lastError);
      if (this.n > this.options.warmStart) {
        const level = this.distances.mean.mean + 2 * Math.sqrt(this.distances.get());
        if (level > this.maxLevel) {
          this.maxLevel = level;
        } else if (this.nErrors > this.options.warmStart) {
          const ratio = level / this.maxLevel;
          if (ratio < this.options.beta) this.driftDetected = true;
          else this.warningDetected = ratio < this.options.alpha;
        }
      }
      this.lastError = this.n;
    }
    return { drift: this.driftDetected, warning: this.warningDetected };
  }

  get state(): EddmState {
    return {
      kind: 'eddm',
      ...this.options,
      n: this.n,
      nErrors: this.nErrors,
      lastError: this.lastError,
      distanceCount: this.distances.mean.n,
      distanceMean: this.distances.mean.mean,
      distanceSumSquares: this.distances.sumSquares,
      maxLevel: this.maxLevel,
      driftDetected: this.driftDetected,
      warningDetected: this.warningDetected,
    };
  }
}
