/** A database cut short must not start as ready: the start-up check names the damage. */
import { mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { StartupError } from './data-dir.js';
import { openStore } from './server.js';
import { DuckDbDatabase } from './storage/duckdb/database.js';

const dataDir = mkdtempSync(join(tmpdir(), 'vigil-damaged-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('refuses a truncated database at start with what is damaged and how to recover', async () => {
  const path = join(dataDir, 'vigil.duckdb');
  const db = await DuckDbDatabase.open({ path });
  await db.write('CREATE TABLE filler (id INTEGER, s VARCHAR)');
  await db.write(`INSERT INTO filler SELECT range, repeat('x', 100) || range::VARCHAR FROM range(100000)`);
  await db.write('CHECKPOINT');
  db.close();
  truncateSync(path, Math.floor(statSync(path).size / 2));

  const opening = openStore(loadConfig({}, { dataDir }));
  await expect(opening).rejects.toBeInstanceOf(StartupError);
  await expect(opening).rejects.toThrow(
    /^The database \S+ is damaged: the file is \d+ bytes but holds \d+ blocks of \d+ bytes \(\d+ bytes\): it was truncated\. Restore the latest backup with `vigil restore <backup> --data-dir /,
  );
});
