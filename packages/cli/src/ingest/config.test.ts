import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFromPath, resolveIngestConfig } from './config.js';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'vigil-config-'));
  await writeFile(join(cwd, 'admin.key'), 'from-custom-dir\n');
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const flags = { model: 'fraud', kind: 'predictions' };

describe('formatFromPath', () => {
  it('reads the extension, looking through .gz', () => {
    expect(formatFromPath('a/b.CSV')).toEqual({ format: 'csv', gzipped: false });
    expect(formatFromPath('b.jsonl.gz')).toEqual({ format: 'ndjson', gzipped: true });
    expect(formatFromPath('b.pq')).toEqual({ format: 'parquet', gzipped: false });
    expect(formatFromPath('csv')).toEqual({ format: undefined, gzipped: false });
    expect(formatFromPath('b.txt')).toEqual({ format: undefined, gzipped: false });
  });
});

describe('resolveIngestConfig', () => {
  it('applies defaults', () => {
    const config = resolveIngestConfig('in.csv', flags, {}, cwd);
    expect(config).toMatchObject({
      file: join(cwd, 'in.csv'),
      format: 'csv',
      url: 'http://localhost:4000/',
      batchSize: 5000,
      apiKey: undefined,
      apiKeySource: 'none',
    });
  });

  it('takes the API key from the option, then the environment, then the local data directory', () => {
    const env = { VIGIL_API_KEY: 'from-env', VIGIL_DATA_DIR: cwd };
    expect(resolveIngestConfig('a.csv', { ...flags, apiKey: 'opt' }, env, cwd).apiKey).toBe('opt');
    expect(resolveIngestConfig('a.csv', flags, env, cwd)).toMatchObject({
      apiKey: 'from-env',
      apiKeySource: 'environment',
    });
    expect(resolveIngestConfig('a.csv', flags, { VIGIL_DATA_DIR: cwd }, '/')).toMatchObject({
      apiKey: 'from-custom-dir',
      apiKeySource: 'data directory',
    });
    const remote = resolveIngestConfig(
      'a.csv',
      { ...flags, url: 'https://vigil.example.com' },
      { VIGIL_DATA_DIR: cwd },
      cwd,
    );
    expect(remote.apiKey).toBeUndefined();
  });

  it('rejects bad options with a message that says what to do', () => {
    expect(() => resolveIngestConfig('a.txt', flags, {}, cwd)).toThrow(/--format csv\|parquet\|ndjson\|json/);
    expect(() => resolveIngestConfig('a.csv', { ...flags, kind: 'x' }, {}, cwd)).toThrow(
      /--kind must be one of/,
    );
    expect(() => resolveIngestConfig('a.csv', { ...flags, batchSize: '0' }, {}, cwd)).toThrow(/--batch-size/);
    expect(() => resolveIngestConfig('a.csv', { ...flags, url: 'ftp://x' }, {}, cwd)).toThrow(/--url/);
    expect(() => resolveIngestConfig('a.parquet.gz', flags, {}, cwd)).toThrow(/Parquet/);
    expect(resolveIngestConfig('a.txt', { ...flags, format: 'ndjson' }, {}, cwd).format).toBe('ndjson');
  });
});
