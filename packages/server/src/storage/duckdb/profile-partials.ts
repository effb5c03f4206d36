import { DOUBLE, INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import type { ProfilePartial, ProfilePartialRepository, ProfilePartialWindow } from '../profile-partials.js';
import { type DuckDbDatabase, toNumber } from './database.js';

const WINDOW =
  'model_id = $1 AND window_start_us = CAST($2 AS BIGINT) AND window_end_us = CAST($3 AS BIGINT)';
const WINDOW_TYPES = [INTEGER, DOUBLE, DOUBLE];
const windowParams = (w: ProfilePartialWindow) => [w.modelId, w.windowStartMicros, w.windowEndMicros];

export class DuckDbProfilePartials implements ProfilePartialRepository {
  constructor(private readonly db: DuckDbDatabase) {}

  async read(window: ProfilePartialWindow, shapes: string[]): Promise<ProfilePartial[]> {
    if (shapes.length === 0) return [];
    const rows = await this.db.read(
      `SELECT shape, bucket_us, rows, payload FROM profile_partials
       WHERE ${WINDOW} AND list_contains($4, shape) ORDER BY shape, bucket_us`,
      [...windowParams(window), listValue(shapes)],
    );
    return rows.map((row) => ({
      shape: row.shape as string,
      bucketMicros: toNumber(row.bucket_us),
      rows: toNumber(row.rows),
      payload: row.payload as string,
    }));
  }

  async write(
    window: ProfilePartialWindow,
    partials: ProfilePartial[],
    pruneEndedBeforeMicros?: number,
  ): Promise<void> {
    if (partials.length === 0 && pruneEndedBeforeMicros === undefined) return;
    // One list parameter per column, whatever the number of partials.
    const lists = [
      listValue(partials.map((p) => p.shape)),
      listValue(partials.map((p) => p.bucketMicros)),
      listValue(partials.map((p) => p.rows)),
      listValue(partials.map((p) => p.payload)),
    ];
    const types = [...WINDOW_TYPES, LIST(VARCHAR), LIST(DOUBLE), LIST(DOUBLE), LIST(VARCHAR)];
    await this.db.transaction(async () => {
      if (pruneEndedBeforeMicros !== undefined) {
        await this.db.writer.run(
          'DELETE FROM profile_partials WHERE model_id = $1 AND window_end_us < CAST($2 AS BIGINT)',
          [window.modelId, pruneEndedBeforeMicros],
          [INTEGER, DOUBLE],
        );
      }
      if (partials.length === 0) return;
      await this.db.writer.run(
        `DELETE FROM profile_partials USING (SELECT unnest($4) AS s, CAST(unnest($5) AS BIGINT) AS b) k
         WHERE ${WINDOW} AND shape = k.s AND bucket_us = k.b`,
        [...windowParams(window), lists[0]!, lists[1]!],
        [...WINDOW_TYPES, LIST(VARCHAR), LIST(DOUBLE)],
      );
      await this.db.writer.run(
        `INSERT INTO profile_partials (model_id, window_start_us, window_end_us, shape, bucket_us, rows, payload)
         SELECT $1, CAST($2 AS BIGINT), CAST($3 AS BIGINT), unnest($4), CAST(unnest($5) AS BIGINT),
           CAST(unnest($6) AS BIGINT), unnest($7)`,
        [...windowParams(window), ...lists],
        types,
      );
    });
  }

  async prune(modelId: number, endedBeforeMicros: number): Promise<number> {
    const rows = await this.db.write(
      'DELETE FROM profile_partials WHERE model_id = $1 AND window_end_us < CAST($2 AS BIGINT) RETURNING 1',
      [modelId, endedBeforeMicros],
    );
    return rows.length;
  }
}
