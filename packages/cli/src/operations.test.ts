/**
 * Operator tasks end to end: recovering admin access from the data folder, and start-up
 * failures told in one line. Servers run as child processes, as an operator runs them.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  unlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  CHILD_SERVER_SCRIPT,
  childProcessTestTimeout,
  childServerEnv,
  spawnNodeScript,
  stopChild,
} from '../../server/src/testing/child-process.js';
import { runVigil } from './run-in-process.test-support.js';

// Tests here start child processes, whose start-up a loaded machine can make slow.
vi.setConfig({ testTimeout: childProcessTestTimeout(3) });

const mainScript = fileURLToPath(new URL('./main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vigil-ops-'));
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const ADMIN = 'vk_operations_test_admin_0123456789';

const serverEnv = (dataDir: string) => childServerEnv(dataDir, ADMIN);

const get = (url: string, path: string, key: string) =>
  fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });

describe('vigil keys create --data-dir', () => {
  it('gives admin access back from the data folder of a stopped server, and refuses while it runs', async () => {
    const dataDir = join(dir, 'lost-admin');
    let server = await spawnNodeScript(CHILD_SERVER_SCRIPT, [], serverEnv(dataDir));
    try {
      // While the server runs, the database is held: the command says so in one line.
      const refused = await runVigil(['keys', 'create', '--admin', '--data-dir', dataDir], {}, dir);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        /^error: The database .* is in use by .*a Vigil server is running on this data folder; stop it first/,
      );
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await stopChild(server.process);
    }
    // The operator lost the admin key: the key file is gone.
    unlinkSync(join(dataDir, 'admin.key'));
    const created = await runVigil(
      ['keys', 'create', '--admin', '--data-dir', dataDir, '--name', 'ops'],
      {},
      dir,
    );
    expect(created.stderr).toMatch(/Created admin key \d+ \("ops"\)/);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^vk_[\w-]{43}$/);

    server = await spawnNodeScript(CHILD_SERVER_SCRIPT, [], serverEnv(dataDir));
    try {
      const keys = await get(server.url, '/api/v1/keys', key);
      expect(keys.status).toBe(200);
      const listed = ((await keys.json()) as { data: { name: string; scope: string }[] }).data;
      expect(listed.map((k) => [k.name, k.scope])).toEqual([
        ['admin', 'admin'],
        ['ops', 'admin'],
      ]);
    } finally {
      await stopChild(server.process);
    }
  });

  it('refuses a folder without a database', async () => {
    const result = await runVigil(
      ['keys', 'create', '--admin', '--data-dir', join(dir, 'nothing-here')],
      {},
      dir,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: No Vigil database in .*nothing-here/);
  });
});

describe('vigil start with a data folder it cannot create', () => {
  it('says in one line what is wrong and what to do, without a stack trace', async (context) => {
    const parent = join(dir, 'read-only');
    mkdirSync(parent);
    if (process.getuid?.() === 0) {
      // root writes through permission bits: a read-only mount is what refuses it.
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', parent], { stdio: 'pipe' });
      } catch (error) {
        context.skip(`root without the right to mount a read-only tmpfs: ${(error as Error).message}`);
      }
      cleanups.push(() => execFileSync('umount', [parent]));
    } else {
      chmodSync(parent, 0o555);
    }
    const dataDir = join(parent, 'vigil-data');
    const start = spawnNodeScript(mainScript, ['start', '--port', '0', '--data-dir', dataDir], {
      VIGIL_ADMIN_KEY: '',
      VIGIL_LOG_LEVEL: 'warn',
    });
    const error = await start.then(
      () => new Error('started'),
      (e: Error) => e,
    );
    const output = error.message.split('before it was ready:\n')[1] ?? error.message;
    expect(error.message).toMatch(/exited with 2 before it was ready/);
    const lines = output
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('Creating data folder'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^error: Cannot create the data folder ${dataDir}: (${parent} is on a read-only file system|this user may not write in ${parent}); set VIGIL_DATA_DIR \\(or --data-dir\\) to a writable folder`,
      ),
    );
  });
});

describe('vigil backup and vigil restore', () => {
  it('backs up a running server, refuses a damaged database in one line, and restores the data', async () => {
    const dataDir = join(dir, 'backed-up');
    const backups = join(dir, 'backups');
    mkdirSync(backups);
    const post = (url: string, path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const records = Array.from({ length: 3000 }, (_, i) => ({
      id: `r${i}`,
      features: { x: i, city: `city number ${i % 50}` },
      prediction: i % 2,
    }));

    let server = await spawnNodeScript(CHILD_SERVER_SCRIPT, [], serverEnv(dataDir));
    try {
      expect(
        (await post(server.url, '/api/v1/models', { name: 'kept', task: 'binary_classification' })).status,
      ).toBe(201);
      expect((await post(server.url, '/api/v1/models/kept/predictions', records)).status).toBe(200);
      const backup = await runVigil(['backup', backups, '--url', server.url, '--api-key', ADMIN], {}, dir);
      expect(backup.stderr).toBe('');
      expect(backup.code).toBe(0);
      expect(backup.stdout).toMatch(/^Backup written to .*vigil-backup-.*\.tar \(\d+ bytes\)\.\n$/);
      // Written after the backup: not in it.
      expect(
        (
          await post(server.url, '/api/v1/models/kept/predictions', [
            { id: 'late', prediction: 1, features: { x: 1 } },
          ])
        ).status,
      ).toBe(200);
    } finally {
      await stopChild(server.process);
    }
    const [backupFile] = readdirSync(backups).map((f) => join(backups, f));
    expect(statSync(backupFile!).mode & 0o777).toBe(0o600);

    // The disk damages the database: half of it is gone.
    const database = join(dataDir, 'vigil.duckdb');
    truncateSync(database, Math.floor(statSync(database).size / 2));
    const refused = await spawnNodeScript(
      mainScript,
      ['start', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir],
      {
        VIGIL_ADMIN_KEY: '',
        VIGIL_LOG_LEVEL: 'warn',
      },
    ).then(
      () => new Error('started'),
      (e: Error) => e,
    );
    expect(refused.message).toMatch(/exited with 2 before it was ready/);
    const said = (refused.message.split('before it was ready:\n')[1] ?? '').trim().split('\n');
    expect(said).toHaveLength(1);
    // Depending on where the cut falls, the damage shows when the file is opened or when it is checked.
    expect(said[0]).toMatch(
      /^error: (The database \S+vigil\.duckdb is damaged: .*|Cannot open the database \S+vigil\.duckdb: .*)[Rr]estore the latest backup with `vigil restore <backup> --data-dir /,
    );

    const restored = await runVigil(['restore', backupFile!, '--data-dir', dataDir], {}, dir);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/Restored .* The replaced files are kept: .*vigil\.duckdb\.replaced-/);

    server = await spawnNodeScript(CHILD_SERVER_SCRIPT, [], serverEnv(dataDir));
    try {
      const traffic = await get(server.url, '/api/v1/models/kept/traffic?bucket=week', ADMIN);
      const windows = ((await traffic.json()) as { data: { predictions: number }[] }).data;
      expect(windows.reduce((n, w) => n + w.predictions, 0)).toBe(records.length);
      expect((await get(server.url, '/api/v1/models/kept/predictions/r2999', ADMIN)).status).toBe(200);
      expect((await get(server.url, '/api/v1/models/kept/predictions/late', ADMIN)).status).toBe(404);
    } finally {
      await stopChild(server.process);
    }
  });

  it('refuses to restore while a server runs on the data folder', async () => {
    const dataDir = join(dir, 'busy');
    const server = await spawnNodeScript(CHILD_SERVER_SCRIPT, [], serverEnv(dataDir));
    try {
      const result = await runVigil(
        ['restore', join(dataDir, 'vigil.duckdb'), '--data-dir', dataDir],
        {},
        dir,
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /is in use: a Vigil server is running on this data folder; stop it before restoring/,
      );
    } finally {
      await stopChild(server.process);
    }
  });
});
