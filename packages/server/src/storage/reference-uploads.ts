/**
 * Reference uploads already applied, by upload key (a digest of the body or of the client's
 * Idempotency-Key), so that re-sending an upload is a no-op that answers as the first time.
 */
export interface ReferenceUploadRepository {
  /** The answer recorded for `key` in the dataset, or null when the key is new. */
  find(datasetId: number, key: string): Promise<unknown | null>;
  /** Records the answer given to the upload of `key` (replacing any earlier one). */
  record(datasetId: number, key: string, answer: unknown): Promise<void>;
  /** Forgets every upload of the dataset (its rows were replaced or deleted). */
  forget(datasetId: number): Promise<void>;
}
