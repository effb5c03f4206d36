import { type BaselineOptions, type BaselineState, collectWarmup, initialBaseline } from './baseline.js';
import type { DetectorUpdate, StreamingDetector } from './types.js';

/** Parameters of {@link EwmaChart}, baseline included; every field has a default (warm-up 30 values). */
export interface EwmaChartOptions extends BaselineOptions {
  /** Smoothing weight of the newest value, in (0, 1]. Default 0.2. */
  lambda: number;
  /** Width of the control limits in standard deviations of the EWMA. Default 3. */
  L: number;
}

/** Serialisable state of an EWMA chart; pass it to `EwmaChart.fromState` to resume. */
export interface EwmaChartState extends EwmaChartOptions {
  kind: 'ewma';
  baseline: BaselineState;
  /** Current EWMA, `null` before monitoring starts. */
  z: number | null;
  /** Values monitored since the last (re)start, which sets the exact limit width. */
  t: number;
}

/**
 * What {@link EwmaChart.update} reports for one value: the signal flag, the EWMA and the current control
 * limits (NaN during warm-up).
 */
export interface EwmaChartUpdate extends DetectorUpdate {
  /** EWMA after this value (NaN during warm-up). */
  z: number;
  lowerLimit: number;
  upperLimit: number;
}

const defaults: EwmaChartOptions = { lambda: 0.2, L: 3, target: null, sigma: null, warmup: 30 };

/**
 * EWMA control chart (Roberts 1959): z_t = lambda x_t + (1 - lambda) z_{t-1}, z_0 = target, with the
 * exact time-varying limits target ± L sigma sqrt(lambda / (2 - lambda) (1 - (1 - lambda)^(2t))).
 * `target` and `sigma` are given or estimated from the first `warmup` values. After a signal the
 * EWMA restarts at the target and any estimated parameter is estimated again.
 */
export class EwmaChart implements StreamingDetector<EwmaChartState, EwmaChartUpdate> {
  readonly options: Readonly<EwmaChartOptions>;
  private baseline: BaselineState;
  private z: number | null = null;
  private t = 0;

  constructor(options: Partial<EwmaChartOptions> = {}) {
    this.options = { ...defaults, ...options };
    if (!(this.options.lambda > 0 && this.options.lambda <= 1))
      throw new RangeError('EWMA: lambda must be in (0, 1]');
    this.baseline = initialBaseline(this.options);
  }

  /** Restores a detector from {@link EwmaChart.state}. */
  static fromState(state: EwmaChartState): EwmaChart {
    const { lambda, L, target, sigma, warmup } = state;
    const detector = new EwmaChart({ lambda, L, target, sigma, warmup });
    detector.baseline = { ...state.baseline, warmupValues: [...state.baseline.warmupValues] };
    detector.z = state.z;
    detector.t = state.t;
    return detector;
  }

  reset(): void {
    this.baseline = initialBaseline(this.options);
    this.z = null;
    this.t = 0;
  }

  update(x: number): EwmaChartUpdate {
    const { mean, std } = this.baseline;
    if (mean === null || std === null) {
      collectWarmup(this.baseline, this.options, x);
      return { drift: false, z: Number.NaN, lowerLimit: Number.NaN, upperLimit: Number.NaN };
    }
    const { lambda, L } = this.options;
    this.t += 1;
    const z = lambda * x + (1 - lambda) * (this.z ?? mean);
    const width = L * std * Math.sqrt((lambda / (2 - lambda)) * (1 - (1 - lambda) ** (2 * this.t)));
    const drift = Math.abs(z - mean) > width;
    this.z = z;
    if (drift) this.reset();
    return { drift, z, lowerLimit: mean - width, upperLimit: mean + width };
  }

  get state(): EwmaChartState {
    return {
      kind: 'ewma',
      ...this.options,
      baseline: { ...this.baseline, warmupValues: [...this.baseline.warmupValues] },
      z: this.z,
      t: this.t,
    };
  }
}
