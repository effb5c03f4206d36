import { RunningMean } from './running-mean.js';
import type { DetectorUpdate, StreamingDetector } from './types.js';

/** Parameters of {@link Ddm}; every field has a default. */
export interface DdmOptions {
  /** Values seen before the test may fire. Default 30. */
  warmStart: number;
  /** Warning when p + s exceeds p_min + warningThreshold * s_min. Default 2. */
  warningThreshold: number;
  /** Drift when p + s exceeds p_min + driftThreshold * s_min. Default 3. */
  driftThreshold: number;
}

/** Serialisable state of a DDM detector; pass it to `Ddm.fromState` to resume. */
export interface DdmState extends DdmOptions {
  kind: 'ddm';
  n: number;
  errorRate: number;
  /** Error rate and its standard deviation at the minimum of p + s; `null` before warm-up. */
  pMin: number | null;
  sMin: number | null;
  driftDetected: boolean;
  warningDetected: boolean;
}

/** What {@link Ddm.update} reports for one value: the drift and warning flags and the running error rate. */
export interface DdmUpdate extends DetectorUpdate {
  warning: boolean;
  /** Running error rate p. */
  errorRate: number;
}

const defaults: DdmOptions = { warmStart: 30, warningThreshold: 2, driftThreshold: 3 };

/**
 * Drift Detection Method (Gama et al. 2004) on a 0/1 error stream, as `river.drift.binary.DDM`:
 * the error rate p and its binomial standard deviation s = sqrt(p(1-p)/n) are tracked, and the
 * detector warns or alarms when p + s rises a set number of s_min above the best p_min + s_min seen.
 */
export class Ddm implements StreamingDetector<DdmState, DdmUpdate> {
  readonly options: Readonly<DdmOptions>;
  private rate = new RunningMean();
  private pMin: number | null = null;
  private sMin: number | null = null;
  private psMin = Number.POSITIVE_INFINITY;
  private driftDetected = false;
  private warningDetected = false;

  constructor(options: Partial<DdmOptions> = {}) {
    this.options = { ...defaults, ...options };
  }

  /** Restores a detector from {@link Ddm.state}. */
  static fromState(state: DdmState): Ddm {
    const { warmStart, warningThreshold, driftThreshold } = state;
    const detector = new Ddm({ warmStart, warningThreshold, driftThreshold });
    detector.rate.n = state.n;
    detector.rate.mean = state.errorRate;
    detector.pMin = state.pMin;
    detector.sMin = state.sMin;
    detector.psMin =
      state.pMin === null || state.sMin === null ? Number.POSITIVE_INFINITY : state.pMin + state.sMin;
    detector.driftDetected = state.driftDetected;
    detector.warningDetected = state.warningDetected;
    return detector;
  }

  reset(): void {
    this.rate = new RunningMean();
    this.pMin = null;
    this.sMin = null;
    this.psMin = Number.POSITIVE_INFINITY;
    this.driftDetected = false;
    this.warningDetected = false;
  }

  /** @param x 1 for an error, 0 for a correct prediction. */
  update(x: number): DdmUpdate {
    if (this.driftDetected) this.reset();
    this.rate.update(x);
    const p = this.rate.mean;
    const n = this.rate.n;
    const s = Math.sqrt((p * (1 - p)) / n);
    if (n > this.options.warmStart) {
      if (p + s <= this.psMin) {
        this.pMin = p;
        this.sMin = s;
        this.psMin = p + s;
      }
      const pMin = this.pMin!;
      const sMin = this.sMin!;
      this.warningDetected = p + s > pMin + this.options.warningThreshold * sMin;
      if (p + s > pMin + this.options.driftThreshold * sMin) {
        this.driftDetected = true;
        this.warningDetected = false;
      }
    }
    return { drift: this.driftDetected, warning: this.warningDetected, errorRate: p };
  }

  get state(): DdmState {
    return {
      kind: 'ddm',
      ...this.options,
      n: this.rate.n,
      errorRate: this.rate.mean,
      pMin: this.pMin,
      sMin: this.sMin,
      driftDetected: this.driftDetected,
      warningDetected: this.warningDetected,
    };
  }
}
