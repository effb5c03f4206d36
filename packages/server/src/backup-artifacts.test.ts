/** A backup holds the MLflow artifacts with the database, and a restore puts both back. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { restoreDataDir } from './maintenance.js';
import { startTestServer, type TestServer } from './testing/index.js';
import { listTar } from './util/tar.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-backup-artifacts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function mlflow(server: TestServer, endpoint: string, body: unknown) {
  const answer = await server.api(`/api/2.0/mlflow/${endpoint}`, { json: body });
  expect(answer.status, endpoint).toBe(200);
  return (await answer.json()) as { experiment_id: string; run: { info: { run_id: string } } };
}

it('backs up the artifacts with the database as a tar, and restores them into a new data folder', async () => {
  const source = await startTestServer({ dataDir: join(dir, 'source') });
  const model = Buffer.from(`pickled model ${'x'.repeat(1000)}`);
  let root: string;
  let backupFile: string;
  try {
    const { experiment_id } = await mlflow(source, 'experiments/create', { name: 'churn' });
    const { run } = await mlflow(source, 'runs/create', { experiment_id, start_time: 1 });
    root = `/api/2.0/mlflow-artifacts/artifacts/${experiment_id}/${run.info.run_id}/artifacts`;
    for (const [path, body] of [
      ['model/model.pkl', model],
      ['notes.txt', Buffer.from('notes')],
    ] as const) {
      const put = await source.api(`${root}/${path}`, { method: 'PUT', body });
      expect(put.status, path).toBe(200);
    }

    // Without asking for a tar: the database alone, as before.
    const bare = await source.api('/api/v1/admin/backup', { method: 'POST' });
    expect(bare.headers.get('content-type')).toBe('application/octet-stream');
    await bare.arrayBuffer();

    const answer = await source.api('/api/v1/admin/backup', {
      method: 'POST',
      headers: { accept: 'application/x-tar' },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/x-tar');
    expect(answer.headers.get('content-disposition')).toMatch(/filename="vigil-backup-.*\.tar"/);
    backupFile = join(dir, 'backup.tar');
    writeFileSync(backupFile, Buffer.from(await answer.arrayBuffer()));
  } finally {
    await source.close();
  }

  const digest = createHash('sha256').update(model).digest('hex');
  const names = (await listTar(backupFile)).map((e) => e.name);
  expect(names[0]).toBe('vigil.duckdb');
  expect(names).toContain(`artifacts/blobs/${digest.slice(0, 2)}/${digest}`);

  const target = join(dir, 'restored');
  expect(await restoreDataDir(backupFile, target)).toEqual({ replaced: [], artifacts: 2 });
  const restored = await startTestServer({ dataDir: target });
  try {
    const download = await restored.api(`${root}/model/model.pkl`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(model)).toBe(true);
    const notes = await restored.api(`${root}/notes.txt`);
    expect(notes.status).toBe(200);
    expect(await notes.text()).toBe('notes');
  } finally {
    await restored.close();
  }
});

it('refuses an archive with a damaged artifact or a foreign entry, changing nothing', async () => {
  const { tarStream } = await import('./util/tar.js');
  const { pipeline } = await import('node:stream/promises');
  const { createWriteStream, statSync } = await import('node:fs');
  const server = await startTestServer({ dataDir: join(dir, 'plain') });
  const database = join(dir, 'plain.duckdb');
  try {
    const answer = await server.api('/api/v1/admin/backup', { method: 'POST' });
    writeFileSync(database, Buffer.from(await answer.arrayBuffer()));
  } finally {
    await server.close();
  }
  const liar = join(dir, 'liar.bin');
  writeFileSync(liar, 'not what the digest says');
  const file = (name: string, path: string) => ({ name, path, size: statSync(path).size, mtimeMs: 0 });
  const archive = async (name: string, entries: ReturnType<typeof file>[]) => {
    const path = join(dir, name);
    await pipeline(tarStream(entries), createWriteStream(path));
    return path;
  };
  const damaged = await archive('damaged.tar', [
    file('vigil.duckdb', database),
    file(`artifacts/blobs/ab/${'ab'.repeat(32)}`, liar),
  ]);
  const target = join(dir, 'untouched');
  await expect(restoreDataDir(damaged, target)).rejects.toThrow(/artifacts\/blobs\/ab\/abab.* is damaged/);
  expect(readdirSync(target).filter((f) => f.startsWith('vigil.duckdb'))).toEqual([]);
  const foreign = await archive('foreign.tar', [
    file('vigil.duckdb', database),
    file('../../etc/passwd', liar),
  ]);
  await expect(restoreDataDir(foreign, target)).rejects.toThrow(
    /entries a Vigil backup never has \(\.\.\/\.\.\/etc\/passwd\)/,
  );
});
