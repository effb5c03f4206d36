/**
 * The window profiles of every model-window of a claimed batch, computed together: each
 * model-window's shared profile (`SharedWindowProfile`) sends its store calls here, and once
 * every model-window still evaluating waits for one (or is done), they go to the store in one
 * `Store.profileMany` call, which the engine runs as one statement per pass and shape for all
 * of them. Each caller gets exactly what `Store.profile` returns for its request (or its error).
 *
 * A barrier, not a timer: what is merged does not depend on timing.
 */
import type { ProfileBatchItem, WindowProfile } from '../storage/profiles.js';
import type { Store } from '../storage/types.js';

interface Pending {
  owner: object;
  item: ProfileBatchItem;
  resolve: (profiles: WindowProfile[]) => void;
  reject: (error: unknown) => void;
}

export class ProfileBatch {
  private active = 0;
  private pending: Pending[] = [];
  /** Store calls made, for tests and benchmarks. */
  storeCalls = 0;

  constructor(private readonly store: Store) {}

  /** Runs the evaluation of one model-window; the batch waits for it until it asks or finishes. */
  async participate<T>(evaluate: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await evaluate();
    } finally {
      this.active--;
      this.maybeRun();
    }
  }

  /** `Store.profile` for `item`, asked by the model-window `owner`. */
  profile(owner: object, item: ProfileBatchItem): Promise<WindowProfile[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ owner, item, resolve, reject });
      this.maybeRun();
    });
  }

  private maybeRun(): void {
    if (this.pending.length === 0) return;
    if (new Set(this.pending.map((p) => p.owner)).size < this.active) return;
    const batch = this.pending;
    this.pending = [];
    this.storeCalls++;
    this.store.profileMany(batch.map((p) => p.item)).then(
      (settled) =>
        settled.forEach((outcome, i) => {
          if (outcome.status === 'fulfilled') batch[i]!.resolve(outcome.value);
          else batch[i]!.reject(outcome.reason);
        }),
      (error: unknown) => {
        for (const p of batch) p.reject(error);
      },
    );
  }
}
