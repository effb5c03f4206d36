/**
 * Checkpoints once writes pause. DuckDB folds its write-ahead log into the database file by
 * itself, inside the commit that takes the log past `checkpoint_threshold`, with the writer
 * waiting. Each checkpoint compresses the rows written since the last one and rewrites the
 * table's last, partly filled row group; at DuckDB's default threshold (16 MiB, about 60,000
 * predictions of 25 features) that rewrite came nearly once per row group written. Vigil opens
 * the database with a larger threshold (`VIGIL_CHECKPOINT_MB`), so busy ingestion checkpoints
 * less often; the price is a longer log to replay after a crash and more rows held in memory
 * uncompressed. To pay that price only while writes keep coming, the log is checkpointed here
 * once the writer has had nothing to do for a moment, off the path of any request.
 */

/** The writer must have been idle this long. */
const IDLE_MS = 1000;
/**
 * A shorter log is left as it is: DuckDB's default threshold let it grow this long anyway, and
 * a writer that idles often (under heavy load, between requests) must not checkpoint more
 * often than that default did.
 */
const MIN_LOG_BYTES = 16 * 1024 * 1024;

export interface IdleCheckpointOptions {
  /** Runs a checkpoint between write transactions. */
  checkpoint: () => Promise<void>;
  /** The write-ahead log's current size. */
  logBytes: () => number;
  /** True while a write is running or queued. */
  writing: () => boolean;
  idleMs?: number;
}

export class IdleCheckpoint {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: IdleCheckpointOptions) {}

  /** The writer has nothing more to do: the pause starts (again). */
  wrote(): void {
    if (this.stopped) return;
    if (this.timer) {
      this.timer.refresh();
      return;
    }
    this.timer = setTimeout(() => void this.fire(), this.options.idleMs ?? IDLE_MS);
    this.timer.unref();
  }

  private async fire(): Promise<void> {
    this.timer = undefined;
    // A write that started meanwhile calls `wrote` again when the writer is idle once more.
    if (this.stopped || this.options.writing() || this.options.logBytes() < MIN_LOG_BYTES) return;
    try {
      await this.options.checkpoint();
    } catch {
      // Another connection had a write transaction open, or the store cannot write now (its
      // health says so): the next pause tries again.
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
