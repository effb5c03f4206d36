import type { DetectorUpdate, StreamingDetector } from './types.js';

/** Parameters of {@link SeasonalZScore}; `period` is required, the others have defaults. */
export interface SeasonalZScoreOptions {
  /** Number of slots in a season, e.g. 24 for hourly values with a daily pattern. */
  period: number;
  /** Past values kept per slot (the trailing seasons compared against). Default 8. */
  history: number;
  /** Anomaly when |score| exceeds this. Default 3.5. */
  threshold: number;
  /** Past values a slot needs before it is scored. Default 3. */
  minHistory: number;
}

/** Serialisable state of a seasonal z-score detector; pass it to `SeasonalZScore.fromState` to resume. */
export interface SeasonalZScoreState extends SeasonalZScoreOptions {
  kind: 'seasonal_zscore';
  /** Values seen so far; the next value falls in slot `count % period`. */
  count: number;
  /** Trailing values per slot, oldest first. */
  slots: number[][];
}

/**
 * What {@link SeasonalZScore.update} reports for one value: the anomaly flag and the robust score (0 while
 * the slot has too little history).
 */
export interface SeasonalZScoreUpdate extends DetectorUpdate {
  /** Robust z-score; ±Infinity when the slot's MAD is 0 and the value differs from its median. */
  score: number;
}

const defaults: Omit<SeasonalZScoreOptions, 'period'> = { history: 8, threshold: 3.5, minHistory: 3 };

/** Scales the MAD to the standard deviation under normality (1 / Phi^-1(3/4)). */
const MAD_TO_SIGMA = 1.4826;

/** Median of the first `n` entries of `scratch`, which it sorts in place. */
function medianInPlace(scratch: Float64Array, n: number): number {
  const view = scratch.subarray(0, n).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? view[mid]! : (view[mid - 1]! + view[mid]!) / 2;
}

/**
 * Robust seasonal anomaly score: each value is compared with the trailing values of the same
 * season slot (same hour of day, same weekday, ...) through (x - median) / (1.4826 MAD), which a
 * few earlier outliers cannot inflate. Every value, anomalous or not, then joins its slot's history.
 */
export class SeasonalZScore implements StreamingDetector<SeasonalZScoreState, SeasonalZScoreUpdate> {
  readonly options: Readonly<SeasonalZScoreOptions>;
  private count = 0;
  private slots: number[][];
  private readonly scratch: Float64Array;

  constructor(options: Partial<SeasonalZScoreOptions> & Pick<SeasonalZScoreOptions, 'period'>) {
    this.options = { ...defaults, ...options };
    const { period, history, minHistory } = this.options;
    if (!(Number.isInteger(period) && period >= 1))
      throw new RangeError('seasonal z-score: period must be >= 1');
    if (!(history >= minHistory && minHistory >= 1)) {
      throw new RangeError('seasonal z-score: need history >= minHistory >= 1');
    }
    this.slots = Array.from({ length: period }, () => []);
    this.scratch = new Float64Array(history);
  }

  /** Restores a detector from {@link SeasonalZScore.state}. */
  static fromState(state: SeasonalZScoreState): SeasonalZScore {
    const { period, history, threshold, minHistory } = state;
    const detector = new SeasonalZScore({ period, history, threshold, minHistory });
    detector.count = state.count;
    detector.slots = state.slots.map((slot) => [...slot]);
    return detector;
  }

  reset(): void {
    this.count = 0;
    this.slots = Array.from({ length: this.options.period }, () => []);
  }

  update(x: number): SeasonalZScoreUpdate {
    const past = this.slots[this.count % this.options.period]!;
    const score = past.length >= this.options.minHistory ? this.score(past, x) : 0;
    past.push(x);
    if (past.length > this.options.history) past.shift();
    this.count += 1;
    return { drift: Math.abs(score) > this.options.threshold, score };
  }

  private score(past: number[], x: number): number {
    const n = past.length;
    for (let i = 0; i < n; i++) this.scratch[i] = past[i]!;
    const median = medianInPlace(this.scratch, n);
    for (let i = 0; i < n; i++) this.scratch[i] = Math.abs(past[i]! - median);
    const mad = medianInPlace(this.scratch, n);
    if (mad > 0) return (x - median) / (MAD_TO_SIGMA * mad);
    if (x === median) return 0;
    return x > median ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  get state(): SeasonalZScoreState {
    return {
      kind: 'seasonal_zscore',
      ...this.options,
      count: this.count,
      slots: this.slots.map((s) => [...s]),
    };
  }
}
