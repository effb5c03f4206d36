/** Reference-side statistics per reference dataset in DuckDB (see `storage/reference-baselines.ts`). */
import { blobValue } from '@duckdb/node-api';
import {
  MAX_BASELINE_BYTES,
  MAX_BASELINES_PER_DATASET,
  type ReferenceBaselineRepository,
  type StoredBaseline,
} from '../reference-baselines.js';
import { type DuckDbDatabase, toNumber } from './database.js';

/**
 * Statements that give a dataset a new revision and drop its baselines; run in the transaction
 * that changes the dataset's rows, with the dataset id as `$1`.
 */
export const NEW_REFERENCE_REVISION_STATEMENTS = [
  `INSERT INTO reference_revisions (dataset_id, revision) VALUES ($1, nextval('seq_reference_revisions'))
   ON CONFLICT (dataset_id) DO UPDATE SET revision = excluded.revision`,
  'DELETE FROM reference_baselines WHERE dataset_id = $1',
];

/** Statements that delete a model's baselines and revisions; `$1` is the model id. */
export const DELETE_MODEL_BASELINES_STATEMENTS = [
  'DELETE FROM reference_revisions WHERE dataset_id IN (SELECT id FROM reference_datasets WHERE model_id = $1)',
  'DELETE FROM reference_baselines WHERE model_id = $1',
];

/** The revision column of a dataset row (`d` is `reference_datasets`). */
export const REVISION_SQL =
  'coalesce((SELECT v.revision FROM reference_revisions v WHERE v.dataset_id = d.id), 0)';

function bytesOf(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  // The client returns BLOBs as objects that hold their bytes.
  const bytes = (value as { bytes?: Uint8Array }).bytes;
  if (bytes instanceof Uint8Array) return bytes;
  throw new Error('Unexpected BLOB value.');
}

export class DuckDbReferenceBaselines implements ReferenceBaselineRepository {
  constructor(private readonly db: DuckDbDatabase) {}

  async get(datasetId: number, revision: number, key: string): Promise<Uint8Array | null> {
    const [row] = await this.db.read(
      'SELECT body FROM reference_baselines WHERE dataset_id = $1 AND key = $2 AND revision = $3',
      [datasetId, key, revision],
    );
    return row ? bytesOf(row.body) : null;
  }

  async put(entry: StoredBaseline): Promise<boolean> {
    if (entry.body.byteLength > MAX_BASELINE_BYTES) return false;
    if (entry.key.length > 200) throw new Error('A baseline key is at most 200 characters.');
    return this.db.transaction(async () => {
      const stored = await this.db.rows(
        this.db.writer,
        `INSERT INTO reference_baselines (dataset_id, model_id, revision, key, kind, body, created_at)
         SELECT d.id, d.model_id, $2, $3, $4, $5, now() FROM reference_datasets d
         WHERE d.id = $1 AND d.model_id = $6 AND ${REVISION_SQL} = $2
         ON CONFLICT (dataset_id, key) DO UPDATE SET
           revision = excluded.revision, kind = excluded.kind, body = excluded.body, created_at = excluded.created_at
         RETURNING key`,
        [entry.datasetId, entry.revision, entry.key, entry.kind, blobValue(entry.body), entry.modelId],
      );
      if (stored.length === 0) return false;
      await this.db.writer.run(
        `DELETE FROM reference_baselines WHERE dataset_id = $1 AND key IN (
           SELECT key FROM reference_baselines WHERE dataset_id = $1
           ORDER BY created_at DESC, key OFFSET ${MAX_BASELINES_PER_DATASET})`,
        [entry.datasetId],
      );
      return true;
    });
  }

  async list(datasetId: number): Promise<{ key: string; kind: string; revision: number; bytes: number }[]> {
    const rows = await this.db.read(
      `SELECT key, kind, revision, octet_length(body) AS bytes FROM reference_baselines
       WHERE dataset_id = $1 ORDER BY created_at DESC, key`,
      [datasetId],
    );
    return rows.map((r) => ({
      key: r.key as string,
      kind: r.kind as string,
      revision: toNumber(r.revision),
      bytes: toNumber(r.bytes),
    }));
  }

  async forget(datasetId: number): Promise<void> {
    await this.db.write('DELETE FROM reference_baselines WHERE dataset_id = $1', [datasetId]);
  }
}
