import { type BaselineOptions, type BaselineState, collectWarmup, initialBaseline } from './baseline.js';
import type { DetectorUpdate, StreamingDetector } from './types.js';

/** Parameters of {@link Cusum}, baseline included; every field has a default (warm-up 30 values). */
export interface CusumOptions extends BaselineOptions {
  /** Allowance (reference value) in standard deviations, typically half the shift to detect. Default 0.5. */
  k: number;
  /** Decision interval in standard deviations. Default 5. */
  h: number;
}

/** Serialisable state of a CUSUM chart; pass it to `Cusum.fromState` to resume. */
export interface CusumState extends CusumOptions {
  kind: 'cusum';
  baseline: BaselineState;
  upper: number;
  lower: number;
}

/** What {@link Cusum.update} reports for one value: the signal flag and both cumulative sums. */
export interface CusumUpdate extends DetectorUpdate {
  /** Upper cumulative sum C+ (0 during warm-up). */
  upper: number;
  /** Lower cumulative sum C- (0 during warm-up). */
  lower: number;
}

const defaults: CusumOptions = { k: 0.5, h: 5, target: null, sigma: null, warmup: 30 };

/**
 * Two-sided tabular CUSUM on standardised values z = (x - target) / sigma (Page 1954; Montgomery,
 * Introduction to Statistical Quality Control, ch. 9):
 * C+ = max(0, C+ + z - k), C- = max(0, C- - z - k), signal when either exceeds h.
 * `target` and `sigma` are given, or estimated from the first `warmup` values (no signal meanwhile).
 * After a signal both sums restart at 0, and any estimated parameter is estimated again from the
 * next `warmup` values, since the process has moved. With a zero sigma any departure from the target
 * signals at once.
 */
export class Cusum implements StreamingDetector<CusumState, CusumUpdate> {
  readonly options: Readonly<CusumOptions>;
  private baseline: BaselineState;
  private upper = 0;
  private lower = 0;

  constructor(options: Partial<CusumOptions> = {}) {
    this.options = { ...defaults, ...options };
    this.baseline = initialBaseline(this.options);
  }

  /** Restores a detector from {@link Cusum.state}. */
  static fromState(state: CusumState): Cusum {
    const { k, h, target, sigma, warmup } = state;
    const detector = new Cusum({ k, h, target, sigma, warmup });
    detector.baseline = { ...state.baseline, warmupValues: [...state.baseline.warmupValues] };
    detector.upper = state.upper;
    detector.lower = state.lower;
    return detector;
  }

  reset(): void {
    this.baseline = initialBaseline(this.options);
    this.upper = 0;
    this.lower = 0;
  }

  update(x: number): CusumUpdate {
    const { mean, std } = this.baseline;
    if (mean === null || std === null) {
      collectWarmup(this.baseline, this.options, x);
      return { drift: false, upper: 0, lower: 0 };
    }
    // A constant warm-up gives std 0: then any departure from the target is an infinite shift.
    const z =
      std > 0
        ? (x - mean) / std
        : x === mean
          ? 0
          : x > mean
            ? Number.POSITIVE_INFINITY
            : Number.NEGATIVE_INFINITY;
    this.upper = Math.max(0, this.upper + z - this.options.k);
    this.lower = Math.max(0, this.lower - z - this.options.k);
    const result = { drift: false, upper: this.upper, lower: this.lower };
    if (this.upper > this.options.h || this.lower > this.options.h) {
      result.drift = true;
      this.reset();
    }
    return result;
  }

  get state(): CusumState {
    return {
      kind: 'cusum',
      ...this.options,
      baseline: { ...this.baseline, warmupValues: [...this.baseline.warmupValues] },
      upper: this.upper,
      lower: this.lower,
    };
  }
}
