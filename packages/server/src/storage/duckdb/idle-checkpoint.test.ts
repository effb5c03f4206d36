/**
 * The write-ahead log is folded into the database file once the writer idles, so a larger
 * checkpoint threshold costs a long replay only while writes keep coming.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DuckDbDatabase } from './database.js';

const folder = mkdtempSync(join(tmpdir(), 'vigil-idle-checkpoint-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function logBytes(path: string): number {
  try {
    return statSync(`${path}.wal`).size;
  } catch {
    return 0;
  }
}

it('opens with the configured checkpoint threshold, 128 MiB unless told', async () => {
  const first = await DuckDbDatabase.open({ path: join(folder, 'default.duckdb') });
  const second = await DuckDbDatabase.open({ path: join(folder, 'small.duckdb'), checkpointThresholdMb: 32 });
  try {
    const setting = async (db: DuckDbDatabase) =>
      (await db.read("SELECT current_setting('checkpoint_threshold') AS value"))[0]!.value;
    expect(await setting(first)).toBe('128.0 MiB');
    expect(await setting(second)).toBe('32.0 MiB');
  } finally {
    first.close();
    second.close();
  }
});

it('checkpoints the log once the writer idles, and every committed row stays', async () => {
  const path = join(folder, 'idle.duckdb');
  const db = await DuckDbDatabase.open({ path, idleCheckpointMs: 20 });
  try {
    // About 25 MB of log: more than is left as it is, less than the threshold at which
    // DuckDB would checkpoint by itself. Each commit stays below a row group (122,880 rows),
    // which DuckDB would write to the database file rather than to the log.
    await db.write('CREATE TABLE t (i INTEGER, s VARCHAR)');
    for (let start = 0; start < 120_000; start += 40_000) {
      await db.write(
        `INSERT INTO t SELECT range, repeat('x', 200) || range FROM range(${start}, ${start + 40_000})`,
      );
    }
    expect(logBytes(path)).toBeGreaterThan(16 * 1024 * 1024);
    while (logBytes(path) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    db.close();
  }
  const reopened = await DuckDbDatabase.open({ path });
  try {
    expect(await reopened.read('SELECT count(*)::INTEGER AS n, max(i)::INTEGER AS last FROM t')).toEqual([
      { n: 120_000, last: 119_999 },
    ]);
  } finally {
    reopened.close();
  }
});
