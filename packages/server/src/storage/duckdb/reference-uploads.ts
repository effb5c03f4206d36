import type { ReferenceUploadRepository } from '../reference-uploads.js';
import { type DuckDbDatabase, parseJson } from './database.js';

export class DuckDbReferenceUploads implements ReferenceUploadRepository {
  constructor(private readonly db: DuckDbDatabase) {}

  async find(datasetId: number, key: string): Promise<unknown | null> {
    const [row] = await this.db.read(
      'SELECT answer FROM reference_uploads WHERE dataset_id = $1 AND upload_key = $2',
      [datasetId, key],
    );
    return row ? parseJson<unknown>(row.answer, null) : null;
  }

  async record(datasetId: number, key: string, answer: unknown): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.writer.run('DELETE FROM reference_uploads WHERE dataset_id = $1 AND upload_key = $2', [
        datasetId,
        key,
      ]);
      await this.db.writer.run(
        'INSERT INTO reference_uploads (dataset_id, upload_key, answer, created_at) VALUES ($1, $2, $3, now())',
        [datasetId, key, JSON.stringify(answer)],
      );
    });
  }

  async forget(datasetId: number): Promise<void> {
    await this.db.write('DELETE FROM reference_uploads WHERE dataset_id = $1', [datasetId]);
  }
}
