/** The data folder and its files are private to the user running Vigil. */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startTestServer } from './testing/index.js';

const parent = mkdtempSync(join(tmpdir(), 'vigil-modes-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

it('creates the data folder 0700 and the database, its log and the key file 0600', async () => {
  const dataDir = join(parent, 'data');
  const server = await startTestServer({ dataDir });
  try {
    expect((await server.api('/api/v1/models', { json: { name: 'm', task: 'regression' } })).status).toBe(
      201,
    );
    const files = readdirSync(dataDir).sort();
    expect(files).toEqual(expect.arrayContaining(['vigil.duckdb', 'vigil.duckdb.wal']));
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const file of files)
      expect([file, statSync(join(dataDir, file)).mode & 0o777]).toEqual([file, 0o600]);
  } finally {
    await server.close();
  }
});
