/**
 * Incremental mean updated as `mean += (1 / n) * (x - mean)`. The exact operation order matters:
 * river's detectors update their means this way, and matching it bit for bit keeps detection
 * indices identical on the golden streams.
 */
export class RunningMean {
  n = 0;
  mean = 0;

  update(x: number): void {
    this.n += 1;
    this.mean += (1 / this.n) * (x - this.mean);
  }
}

/** Welford variance on top of {@link RunningMean}; `get()` uses `ddof` like river's `stats.Var`. */
export class RunningVariance {
  readonly mean = new RunningMean();
  sumSquares = 0;

  constructor(readonly ddof = 1) {}

  update(x: number): void {
    const before = this.mean.mean;
    this.mean.update(x);
    this.sumSquares += (x - before) * (x - this.mean.mean);
  }

  get(): number {
    return this.mean.n > this.ddof ? this.sumSquares / (this.mean.n - this.ddof) : 0;
  }
}
