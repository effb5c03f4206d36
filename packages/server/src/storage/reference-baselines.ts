/**
 * Reference-side statistics (histogram edges, chunk profiles, a PCA fit and its calibration),
 * serialized by the evaluator and kept per reference dataset, so that a restarted evaluator
 * reads them instead of recomputing them. The store holds opaque bytes under a key the
 * evaluator chooses (it names the computation and its format version); it guarantees that an
 * entry belongs to the dataset's rows as they were when it was computed:
 *
 * - every change of a dataset's rows (an upload, an append, clearing it) gives the dataset a
 *   new `revision` and deletes its entries in the same transaction;
 * - `put` stores only while the dataset is still at the revision the entry was computed on, so a
 *   computation that raced with an upload never leaves a stale entry behind;
 * - entries go with their model, and a dataset keeps at most `MAX_BASELINES_PER_DATASET` of
 *   them (the oldest are dropped), each at most `MAX_BASELINE_BYTES`.
 */

export const MAX_BASELINE_BYTES = 16 * 1024 * 1024;
export const MAX_BASELINES_PER_DATASET = 256;

export interface StoredBaseline {
  modelId: number;
  datasetId: number;
  /** The dataset's `revision` the entry was computed on. */
  revision: number;
  /** Chosen by the evaluator; unique per dataset (at most 200 characters). */
  key: string;
  /** What the entry holds (e.g. `edges`, `chunks`, `multivariate`), for inspection. */
  kind: string;
  body: Uint8Array;
}

export interface ReferenceBaselineRepository {
  /** The entry's bytes if it was stored for this revision of the dataset, else null. */
  get(datasetId: number, revision: number, key: string): Promise<Uint8Array | null>;
  /**
   * Stores (or replaces) an entry. Idempotent, so evaluators that compute the same entry at
   * once both succeed. Returns false, storing nothing, when the dataset is no longer at
   * `revision` or no longer exists, or the body is larger than `MAX_BASELINE_BYTES`.
   */
  put(entry: StoredBaseline): Promise<boolean>;
  /** The dataset's entries, newest first (without their bodies). */
  list(datasetId: number): Promise<{ key: string; kind: string; revision: number; bytes: number }[]>;
  /** Deletes every entry of a dataset (the next evaluation computes them again). */
  forget(datasetId: number): Promise<void>;
}
