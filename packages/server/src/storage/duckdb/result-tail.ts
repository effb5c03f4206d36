/**
 * The newest monitor results as stored, so that alerting follows evaluation without reading back
 * what was just written (`ResultRepository.listAfter`). The process is the store's only user:
 * the replacements of windows are applied here once they commit, exactly as the table changed
 * (the replaced windows' results leave, the new rows arrive in `seq` order), and every other
 * write that deletes results forgets the tail at its start and at its end. A read the tail
 * cannot answer (before what it holds, or after it forgot) goes to the table.
 */
import type { MonitorResult } from '../../domain/index.js';
import { forgettingAround } from './forgetting.js';

/** Beyond this many results nobody follows the tail (alerting is stopped): it is forgotten. */
const MAX_RESULTS = 100_000;

const windowKey = (monitorId: number, windowStartMicros: number) => `${monitorId}:${windowStartMicros}`;

export class ResultTail {
  /** Every stored result with a `seq` above this is in `results`; null when unknown. */
  private floor: number | null = null;
  private results: MonitorResult[] = [];
  private epoch = 0;

  forget(): void {
    this.epoch++;
    this.floor = null;
    this.results = [];
  }

  /** Runs a write whose effect on the results is not tracked. */
  untracked<T>(write: () => Promise<T>): Promise<T> {
    return forgettingAround(() => this.forget(), write);
  }

  /**
   * Runs a replacement of windows; `write` resolves, once committed, to the rows it inserted.
   * A failure forgets the tail (it may or may not have committed).
   */
  async replacing(
    windows: { monitorId: number; windowStartMicros: number }[],
    write: () => Promise<MonitorResult[]>,
  ): Promise<void> {
    const epoch = this.epoch;
    let inserted: MonitorResult[];
    try {
      inserted = await write();
    } catch (error) {
      this.forget();
      throw error;
    }
    if (epoch !== this.epoch) return this.forget();
    inserted.sort((a, b) => a.seq - b.seq);
    if (this.floor === null) {
      if (inserted.length === 0) return;
      this.floor = inserted[0]!.seq - 1;
    }
    const replaced = new Set(windows.map((w) => windowKey(w.monitorId, w.windowStartMicros)));
    this.results = this.results.filter((r) => !replaced.has(windowKey(r.monitorId, r.windowStartMicros)));
    const last = this.results.at(-1)?.seq ?? this.floor;
    if (inserted.length > 0 && inserted[0]!.seq <= last) return this.forget();
    this.results.push(...inserted);
    if (this.results.length > MAX_RESULTS) this.forget();
  }

  /**
   * The results after `afterSeq` (at most `limit`), or null when the tail cannot tell. Results
   * up to `afterSeq` are dropped: the one follower has them.
   */
  after(afterSeq: number, limit: number): MonitorResult[] | null {
    if (this.floor === null || afterSeq < this.floor) return null;
    const first = this.results.findIndex((r) => r.seq > afterSeq);
    this.results = first < 0 ? [] : this.results.slice(first);
    this.floor = afterSeq;
    return this.results.slice(0, limit).map((r) => ({ ...r }));
  }
}
