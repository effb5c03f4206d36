import type { DetectorUpdate, StreamingDetector } from './types.js';

/** Parameters of {@link Adwin}; every field has a default. */
export interface AdwinOptions {
  /** Significance of the cut test; smaller means fewer false alarms. Default 0.002. */
  delta: number;
  /** Test for a change every `clock` values. Default 32. */
  clock: number;
  /** Buckets kept per size before the two oldest are merged. Default 5. */
  maxBuckets: number;
  /** Smallest sub-window considered at a cut. Default 5. */
  minWindowLength: number;
  /** No test until the window holds more than this many values. Default 10. */
  gracePeriod: number;
}

/** One row of the exponential histogram: every entry summarises `2^row` values. */
export interface AdwinRowState {
  totals: number[];
  variances: number[];
}

/**
 * Serialisable state of an ADWIN detector, bucket histogram included; pass it to `Adwin.fromState` to
 * resume.
 */
export interface AdwinState extends AdwinOptions {
  kind: 'adwin';
  total: number;
  variance: number;
  width: number;
  tick: number;
  nDetections: number;
  rows: AdwinRowState[];
  driftDetected: boolean;
}

/** What {@link Adwin.update} reports for one value: the drift flag, the window width and the window mean. */
export interface AdwinUpdate extends DetectorUpdate {
  /** Number of values in the current window. */
  width: number;
  /** Mean of the current window. */
  estimation: number;
}

const defaults: AdwinOptions = {
  delta: 0.002,
  clock: 32,
  maxBuckets: 5,
  minWindowLength: 5,
  gracePeriod: 10,
};

interface Row {
  totals: Float64Array;
  variances: Float64Array;
  size: number;
}

function newRow(maxBuckets: number): Row {
  return { totals: new Float64Array(maxBuckets + 1), variances: new Float64Array(maxBuckets + 1), size: 0 };
}

/** Drops the `count` oldest entries of a row. */
function shiftRow(row: Row, count: number): void {
  row.totals.copyWithin(0, count, row.size);
  row.variances.copyWithin(0, count, row.size);
  row.totals.fill(0, row.size - count, row.size);
  row.variances.fill(0, row.size - count, row.size);
  row.size -= count;
}

/**
 * ADWIN, adaptive windowing (Bifet & Gavaldà 2007), in its ADWIN2 form with an exponential
 * histogram of buckets and the variance-aware cut bound, following `river.drift.ADWIN`
 * operation for operation so alarms fall on the same indices. When some split of the window
 * into an older and a newer part shows means further apart than the bound, the oldest bucket is
 * dropped and a change is reported; like river, the detector then restarts empty on the next value.
 */
export class Adwin implements StreamingDetector<AdwinState, AdwinUpdate> {
  readonly options: Readonly<AdwinOptions>;
  private total = 0;
  private variance = 0;
  private width = 0;
  private tick = 0;
  private nDetections = 0;
  /** rows[i] holds buckets of 2^i values; row 0 receives new values. */
  private rows: Row[];
  private driftDetected = false;

  constructor(options: Partial<AdwinOptions> = {}) {
    this.options = { ...defaults, ...options };
    this.rows = [newRow(this.options.maxBuckets)];
  }

  /** Restores a detector from {@link Adwin.state}. */
  static fromState(state: AdwinState): Adwin {
    const { delta, clock, maxBuckets, minWindowLength, gracePeriod } = state;
    const detector = new Adwin({ delta, clock, maxBuckets, minWindowLength, gracePeriod });
    detector.total = state.total;
    detector.variance = state.variance;
    detector.width = state.width;
    detector.tick = state.tick;
    detector.nDetections = state.nDetections;
    detector.driftDetected = state.driftDetected;
    detector.rows = state.rows.map((saved) => {
      const row = newRow(maxBuckets);
      row.totals.set(saved.totals);
      row.variances.set(saved.variances);
      row.size = saved.totals.length;
      return row;
    });
    return detector;
  }

  reset(): void {
    this.total = 0;
    this.variance = 0;
    this.width = 0;
    this.tick = 0;
    this.nDetections = 0;
    this.rows = [newRow(this.options.maxBuckets)];
    this.driftDetected = false;
  }

  /** Mean of the values in the window (0 when empty). */
  get estimation(): number {
    return this.width === 0 ? 0 : this.total / this.width;
  }

  /** Window length, sum and sum of squared deviations (n times the population variance). */
  get window(): { width: number; total: number; variance: number } {
    return { width: this.width, total: this.total, variance: this.variance };
  }

  update(x: number): AdwinUpdate {
    if (this.driftDetected) this.reset();
    this.insert(x);
    this.driftDetected = this.detectChange();
    return { drift: this.driftDetected, width: this.width, estimation: this.estimation };
  }

  private insert(value: number): void {
    const first = this.rows[0]!;
    first.totals[first.size] = value;
    first.variances[first.size] = 0;
    first.size += 1;
    this.width += 1;
    if (this.width > 1) {
      const deviation = value - this.total / (this.width - 1);
      this.variance += ((this.width - 1) * deviation * deviation) / this.width;
    }
    this.total += value;
    this.compress();
  }

  /** Merges the two oldest buckets of any row that overflowed, cascading upwards. */
  private compress(): void {
    const { maxBuckets } = this.options;
    for (let index = 0; ; index++) {
      const row = this.rows[index]!;
      if (row.size !== maxBuckets + 1) return;
      const size = 2 ** index;
      const t0 = row.totals[0]!;
      const t1 = row.totals[1]!;
      const meanGap = t0 / size - t1 / size;
      const merged = row.variances[0]! + row.variances[1]! + size * 0.5 * meanGap * meanGap;
      if (index + 1 >= this.rows.length) this.rows.push(newRow(maxBuckets));
      const next = this.rows[index + 1]!;
      next.totals[next.size] = t0 + t1;
      next.variances[next.size] = merged;
      next.size += 1;
      shiftRow(row, 2);
      if (next.size <= maxBuckets) return;
    }
  }

  /** Drops the oldest bucket from the window. */
  private dropOldest(): void {
    const last = this.rows.length - 1;
    const row = this.rows[last]!;
    const size = 2 ** last;
    const bucketTotal = row.totals[0]!;
    const bucketMean = bucketTotal / size;
    this.width -= size;
    this.total -= bucketTotal;
    const windowMean = this.total / this.width;
    const gap = bucketMean - windowMean;
    this.variance -= row.variances[0]! + (size * this.width * gap * gap) / (size + this.width);
    shiftRow(row, 1);
    if (row.size === 0) this.rows.pop();
  }

  private detectChange(): boolean {
    const { clock, gracePeriod, minWindowLength } = this.options;
    let changed = false;
    this.tick += 1;
    if (this.tick % clock !== 0 || !(this.width > gracePeriod)) return false;
    let shrink = true;
    while (shrink) {
      shrink = false;
      let n0 = 0;
      let n1 = this.width;
      let u0 = 0;
      let u1 = this.total;
      // Walk cut points from the oldest bucket to the newest; stop after the first cut that fires.
      scan: for (let index = this.rows.length - 1; index >= 0; index--) {
        const row = this.rows[index]!;
        const size = 2 ** index;
        for (let k = 0; k < row.size; k++) {
          n0 += size;
          n1 -= size;
          const bucketTotal = row.totals[k]!;
          u0 += bucketTotal;
          u1 -= bucketTotal;
          if (index === 0 && k === row.size - 1) break scan;
          const meanGap = u0 / n0 - u1 / n1;
          if (n1 >= minWindowLength && n0 >= minWindowLength && this.cutFires(n0, n1, meanGap)) {
            shrink = true;
            changed = true;
            if (this.width > 0) {
              this.dropOldest();
              break scan;
            }
          }
        }
      }
    }
    if (changed) this.nDetections += 1;
    return changed;
  }

  /** Hoeffding/Bernstein-style bound on the mean gap between the two sub-windows. */
  private cutFires(n0: number, n1: number, meanGap: number): boolean {
    const { delta, minWindowLength } = this.options;
    const deltaPrime = Math.log((2 * Math.log(this.width)) / delta);
    const harmonic = 1 / (n0 - minWindowLength + 1) + 1 / (n1 - minWindowLength + 1);
    const epsilon =
      Math.sqrt(2 * harmonic * (this.variance / this.width) * deltaPrime) + (2 / 3) * deltaPrime * harmonic;
    return Math.abs(meanGap) > epsilon;
  }

  get state(): AdwinState {
    return {
      kind: 'adwin',
      ...this.options,
      total: this.total,
      variance: this.variance,
      width: this.width,
      tick: this.tick,
      nDetections: this.nDetections,
      rows: this.rows.map((row) => ({
        totals: Array.from(row.totals.subarray(0, row.size)),
        variances: Array.from(row.variances.subarray(0, row.size)),
      })),
      driftDetected: this.driftDetected,
    };
  }
}
