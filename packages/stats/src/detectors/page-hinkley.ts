import { RunningMean } from './running-mean.js';
import type { DetectorUpdate, StreamingDetector } from './types.js';

/** Which direction of change the Page–Hinkley test watches. */
export type PageHinkleyMode = 'up' | 'down' | 'both';

/** Parameters of {@link PageHinkley}; every field has a default. */
export interface PageHinkleyOptions {
  /** Values seen before the test may fire. Default 30. */
  minInstances: number;
  /** Magnitude of change tolerated without alarm. Default 0.005. */
  delta: number;
  /** Alarm threshold (lambda). Default 50. */
  threshold: number;
  /** Forgetting factor applied to the cumulative sums. Default 0.9999. */
  alpha: number;
  /** Default `both`. */
  mode: PageHinkleyMode;
}

/** Serialisable state of a Page–Hinkley detector; pass it to `PageHinkley.fromState` to resume. */
export interface PageHinkleyState extends PageHinkleyOptions {
  kind: 'page_hinkley';
  n: number;
  mean: number;
  sumIncrease: number;
  sumDecrease: number;
  /** `null` stands for +Infinity (nothing seen yet). */
  minIncrease: number | null;
  maxDecrease: number;
  driftDetected: boolean;
}

/** What {@link PageHinkley.update} reports for one value: the drift flag and both test statistics. */
export interface PageHinkleyUpdate extends DetectorUpdate {
  /** Cumulative sum minus its running minimum (rise statistic). */
  increase: number;
  /** Running maximum minus cumulative sum (fall statistic). */
  decrease: number;
}

const defaults: PageHinkleyOptions = {
  minInstances: 30,
  delta: 0.005,
  threshold: 50,
  alpha: 1 - 0.0001,
  mode: 'both',
};

/**
 * Page–Hinkley test for a change in the mean (Page 1954), with a fading factor, as in
 * `river.drift.PageHinkley`: deviations from the running mean are accumulated and an alarm is
 * raised when the sum moves more than `threshold` away from its extreme. After an alarm the
 * detector starts afresh on the next value.
 */
export class PageHinkley implements StreamingDetector<PageHinkleyState, PageHinkleyUpdate> {
  readonly options: Readonly<PageHinkleyOptions>;
  private mean = new RunningMean();
  private sumIncrease = 0;
  private sumDecrease = 0;
  private minIncrease = Number.POSITIVE_INFINITY;
  // river starts the maximum at -1, not -Infinity; kept so alarms match it exactly.
  private maxDecrease = -1;
  private driftDetected = false;

  constructor(options: Partial<PageHinkleyOptions> = {}) {
    this.options = { ...defaults, ...options };
  }

  /** Restores a detector from {@link PageHinkley.state}. */
  static fromState(state: PageHinkleyState): PageHinkley {
    const { minInstances, delta, threshold, alpha, mode } = state;
    const detector = new PageHinkley({ minInstances, delta, threshold, alpha, mode });
    detector.mean.n = state.n;
    detector.mean.mean = state.mean;
    detector.sumIncrease = state.sumIncrease;
    detector.sumDecrease = state.sumDecrease;
    detector.minIncrease = state.minIncrease ?? Number.POSITIVE_INFINITY;
    detector.maxDecrease = state.maxDecrease;
    detector.driftDetected = state.driftDetected;
    return detector;
  }

  reset(): void {
    this.mean = new RunningMean();
    this.sumIncrease = 0;
    this.sumDecrease = 0;
    this.minIncrease = Number.POSITIVE_INFINITY;
    this.maxDecrease = -1;
    this.driftDetected = false;
  }

  update(x: number): PageHinkleyUpdate {
    if (this.driftDetected) this.reset();
    const { alpha, delta, threshold, minInstances, mode } = this.options;
    this.mean.update(x);
    const deviation = x - this.mean.mean;
    this.sumIncrease = alpha * this.sumIncrease + deviation - delta;
    this.sumDecrease = alpha * this.sumDecrease + deviation + delta;
    if (this.sumIncrease < this.minIncrease) this.minIncrease = this.sumIncrease;
    if (this.sumDecrease > this.maxDecrease) this.maxDecrease = this.sumDecrease;
    const increase = this.sumIncrease - this.minIncrease;
    const decrease = this.maxDecrease - this.sumDecrease;
    if (this.mean.n >= minInstances) {
      const up = increase > threshold;
      const down = decrease > threshold;
      this.driftDetected = mode === 'up' ? up : mode === 'down' ? down : up || down;
    }
    return { drift: this.driftDetected, increase, decrease };
  }

  get state(): PageHinkleyState {
    return {
      kind: 'page_hinkley',
      ...this.options,
      n: this.mean.n,
      mean: this.mean.mean,
      sumIncrease: this.sumIncrease,
      sumDecrease: this.sumDecrease,
      minIncrease: Number.isFinite(this.minIncrease) ? this.minIncrease : null,
      maxDecrease: this.maxDecrease,
      driftDetected: this.driftDetected,
    };
  }
}
