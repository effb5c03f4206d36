/**
 * High-precision doubles are stored raw, not with ALP-RD (see `RAW_DOUBLES` in database.ts):
 * decoding ALP-RD was most of the cost of a window's scans. Doubles of few digits keep ALP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DuckDbDatabase } from './database.js';

const folder = mkdtempSync(join(tmpdir(), 'vigil-raw-doubles-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Each column's compressions after a checkpoint of 300,000 rows (three row groups). */
async function compressions(db: DuckDbDatabase): Promise<Record<string, string[]>> {
  await db.write('CREATE TABLE t (precise DOUBLE, rounded DOUBLE)');
  // Deterministic values: a full-precision fraction per row, and the same rounded to cents.
  await db.write(
    `INSERT INTO t SELECT (hash(range) % 1000003) / 1000003.0 * pi(), round(range % 10007 / 100.0, 2)
     FROM range(300000)`,
  );
  await db.write('CHECKPOINT');
  const rows = await db.read(
    `SELECT column_name AS c, list(DISTINCT compression ORDER BY compression) AS kinds
     FROM pragma_storage_info('t') WHERE segment_type = 'DOUBLE' GROUP BY ALL ORDER BY ALL`,
  );
  return Object.fromEntries(rows.map((r) => [r.c as string, r.kinds as string[]]));
}

it('stores high-precision doubles raw and doubles of few digits with ALP', async () => {
  const db = await DuckDbDatabase.open({ path: join(folder, 'raw.duckdb') });
  try {
    expect(await compressions(db)).toEqual({ precise: ['Uncompressed'], rounded: ['ALP'] });
  } finally {
    db.close();
  }
});

it('compresses high-precision doubles with ALP-RD when asked (VIGIL_DUCKDB_COMPACT_DOUBLES)', async () => {
  const db = await DuckDbDatabase.open({ path: join(folder, 'compact.duckdb'), compactDoubles: true });
  try {
    expect(await compressions(db)).toEqual({ precise: ['ALPRD'], rounded: ['ALP'] });
  } finally {
    db.close();
  }
});
