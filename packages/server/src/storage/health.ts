/**
 * Whether the store can write, for the HTTP layer (`/readyz`, 507/503 answers) and for
 * background workers (monitors, the outbox) that should pause while it cannot.
 */
export type StoreHealth =
  | { writable: true }
  | {
      writable: false;
      /** `disk_full`: out of space; `failed`: the engine stopped after a fatal error. */
      reason: 'disk_full' | 'failed';
      /** The engine's own words, e.g. `Could not write file "…wal": No space left on device`. */
      message: string;
      /** Whether reads still work meanwhile. */
      readable: boolean;
      since: Date;
    };

export interface StoreHealthSource {
  /** The current state; cheap, call it as often as needed. */
  health(): StoreHealth;
  /** Calls `listener` on every change (unwritable, writable again); returns an unsubscribe function. */
  onHealthChange(listener: (health: StoreHealth) => void): () => void;
}
