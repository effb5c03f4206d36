/**
 * A full disk, for real: the data folder sits on an 8 MB tmpfs that the test fills. Clients
 * get 507 (never 500), `/readyz` says not ready with the cause, a checkpoint that fails
 * (which makes DuckDB invalidate the instance) is survived by reopening the store, and once
 * space is back the server is ready again by itself with every acknowledged record.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DuckDbStore } from './storage/duckdb/store.js';
import { startTestServer, type TestServer } from './testing/index.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'vigil-full-'));
let mounted = false;
let cannotMount = '';
let server: TestServer | undefined;

beforeAll(async () => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    mounted = true;
  } catch (error) {
    cannotMount = (error as Error).message.split('\n')[0] ?? 'mount failed';
    return;
  }
  server = await startTestServer({ dataDir: join(mountPoint, 'data'), storeRecoveryProbeMs: 50 });
  await server.api('/api/v1/models', { json: { name: 'm', task: 'regression' } });
});

afterAll(async () => {
  try {
    await server?.close();
  } finally {
    if (mounted) execFileSync('umount', ['-l', mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  }
});

const filler = () => join(mountPoint, 'filler');

function fillDisk(): void {
  const fd = openSync(filler(), 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch {
    // ENOSPC: the disk is full
  } finally {
    closeSync(fd);
  }
}

const batch = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    features: { x: i, text: `some text to take room ${i} `.repeat(4) },
    prediction: i,
  }));

async function readyz(): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server!.url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

it('answers 507 on a full disk, reports not ready with the cause, survives a failed checkpoint and recovers once space is back', async (context) => {
  if (!mounted) context.skip(`needs root to mount an 8 MB tmpfs (CI runs as root): ${cannotMount}`);
  const s = server!;
  const before = await s.api('/api/v1/models/m/predictions', { json: batch('before', 500) });
  expect(before.status).toBe(200);
  expect((await readyz()).status).toBe(200);

  fillDisk();
  const full = await s.api('/api/v1/models/m/predictions', { json: batch('full', 2000) });
  expect(full.status).toBe(507);
  expect(full.headers.get('retry-after')).toBe('10');
  expect(await full.json()).toMatchObject({
    error: 'insufficient_storage',
    message: expect.stringMatching(/out of disk space/),
  });
  const notReady = await readyz();
  expect(notReady.status).toBe(503);
  expect(notReady.body).toMatchObject({
    status: 'not_ready',
    reason: 'disk_full',
    message: expect.stringMatching(/No space left on device/),
  });
  // Reads still work while only writes fail.
  expect((await s.api('/api/v1/models/m/predictions/before-1')).status).toBe(200);
  expect((await fetch(`${s.url}/healthz`)).status).toBe(200);

  // A checkpoint on a full disk makes DuckDB invalidate the instance ("database has been invalidated").
  await expect((s.store as DuckDbStore).db.writer.run('CHECKPOINT')).rejects.toThrow(/No space left/);
  const invalidated = await s.api('/api/v1/models/m/predictions', { json: batch('invalid', 10) });
  expect([503, 507]).toContain(invalidated.status);
  const read = await s.api('/api/v1/models/m/predictions/before-1');
  expect([200, 503]).toContain(read.status); // a read is never told "507: nothing was written"

  // Space comes back: the server reopens the store (replaying its log) and is ready again by itself.
  rmSync(filler());
  while ((await readyz()).status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
  const after = await s.api('/api/v1/models/m/predictions', { json: batch('after', 100) });
  expect(after.status).toBe(200);
  for (const id of ['before-0', 'before-499', 'after-99']) {
    expect((await s.api(`/api/v1/models/m/predictions/${id}`)).status).toBe(200);
  }
  expect((await s.api('/api/v1/models/m/predictions/full-0')).status).toBe(404);
}, 30_000);
