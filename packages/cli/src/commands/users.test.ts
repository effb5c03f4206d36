/** `vigil users` against a real server, the offline password reset, and what a first start prints. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  childProcessTestTimeout,
  spawnNodeScript,
  stopChild,
} from '../../../server/src/testing/child-process.js';
import { runVigil } from '../run-in-process.test-support.js';

// Tests here start child processes, whose start-up a loaded machine can make slow.
vi.setConfig({ testTimeout: childProcessTestTimeout(1) });

const mainScript = fileURLToPath(new URL('../main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vigil-users-'));
let server: TestServer;
let env: Record<string, string>;
const vigil = (argv: string[], stdin?: string) => runVigil(argv, env, dir, stdin);

beforeAll(async () => {
  server = await startTestServer({ dataDir: join(dir, 'server') });
  env = { VIGIL_URL: server.url, VIGIL_API_KEY: server.adminKey };
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function signIn(url: string, username: string, password: string) {
  return fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

describe('vigil users', () => {
  it('creates users with a printed or a piped password, lists, changes and deletes them', async () => {
    const random = await vigil(['users', 'create', 'ada', '--role', 'editor']);
    expect(random.code, random.stderr).toBe(0);
    expect(random.stderr).toMatch(/^Created user ada \(id \d+, editor\)\.\nIts password is shown once:\n$/);
    const password = random.stdout.trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await signIn(server.url, 'ada', password)).status).toBe(200);

    const piped = await vigil(
      ['users', 'create', 'bob', '--role', 'viewer', '--password-stdin'],
      'bob-password\n',
    );
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toBe('');
    expect((await signIn(server.url, 'bob', 'bob-password')).status).toBe(200);

    const list = await vigil(['users', 'list']);
    expect(list.stdout).toMatch(
      /^ID\s+USERNAME\s+ROLE\s+STATE\s+LAST SIGN-IN\n1\s+admin\s+admin\s+enabled\s+never\n/,
    );
    expect(list.stdout).toMatch(/\bbob\s+viewer\s+enabled\s+\d{4}-/);

    const promoted = await vigil(['users', 'set-role', 'bob', 'editor']);
    expect(promoted.stdout).toMatch(/^User bob \(id \d+, editor\)\.\n$/);
    const badRole = await vigil(['users', 'set-role', 'bob', 'owner']);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/Allowed choices are admin, editor, viewer/);

    const disabled = await vigil(['users', 'disable', 'bob']);
    expect(disabled.stdout).toMatch(/editor, disabled\)/);
    expect((await signIn(server.url, 'bob', 'bob-password')).status).toBe(403);
    expect((await vigil(['users', 'enable', 'bob'])).code).toBe(0);

    const reset = await vigil(['users', 'set-password', 'bob', '--password-stdin'], 'bob-new-password\n');
    expect(reset.code, reset.stderr).toBe(0);
    expect((await signIn(server.url, 'bob', 'bob-new-password')).status).toBe(200);

    expect((await vigil(['users', 'delete', 'bob'])).stdout).toBe('Deleted user bob.\n');
    const json = JSON.parse((await vigil(['users', 'list', '--json'])).stdout) as { username: string }[];
    expect(json.map((u) => u.username)).toEqual(['admin', 'ada']);
  });

  it('refuses to delete the last admin with the server’s message', async () => {
    const refused = await vigil(['users', 'delete', 'admin']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: .*last enabled admin/);
  });
});

describe('vigil users reset-password --data-dir', () => {
  // Refusal while a server holds the folder is the same check as `vigil keys create --data-dir`
  // (see operations.test.ts).
  it('sets a new admin password in a stopped server’s data folder, or creates an admin', async () => {
    const dataDir = join(dir, 'lost-password');
    let stopped = await startTestServer({ dataDir, adminPassword: 'forgotten-password' });
    await stopped.close();

    const reset = await vigil(['users', 'reset-password', 'Admin', '--data-dir', dataDir]);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stderr).toBe(
      'New password set for admin (admin); the user is enabled and their sessions ended. The password is shown once:\n',
    );
    const password = reset.stdout.trim();
    const created = await vigil(
      ['users', 'reset-password', 'rescue', '--data-dir', dataDir, '--password-stdin'],
      'rescue-password\n',
    );
    expect(created.stderr).toBe('Created admin user rescue.\n');
    const missing = await vigil(['users', 'reset-password', 'admin', '--data-dir', join(dir, 'nothing')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: No Vigil database in /);

    stopped = await startTestServer({ dataDir });
    try {
      expect((await signIn(stopped.url, 'admin', 'forgotten-password')).status).toBe(401);
      expect((await signIn(stopped.url, 'admin', password)).status).toBe(200);
      expect(await (await signIn(stopped.url, 'rescue', 'rescue-password')).json()).toMatchObject({
        user: { role: 'admin' },
      });
    } finally {
      await stopped.close();
    }
  });
});

describe('the first start', () => {
  it('prints the admin user’s random password once beside the admin key, and never logs a password', async () => {
    const dataDir = join(dir, 'first-start');
    const child = await spawnNodeScript(
      mainScript,
      ['start', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir],
      {
        VIGIL_ADMIN_KEY: '',
        VIGIL_ADMIN_PASSWORD: '',
        VIGIL_LOG_LEVEL: 'trace',
        VIGIL_LOG_FORMAT: 'json',
      },
    );
    try {
      const shown =
        /Created the user "admin" to sign in to http:\/\/[^ ]+\. Its password is shown once, here .*\n\n {2}(\S+)\n/.exec(
          child.output(),
        );
      expect(shown, child.output()).not.toBeNull();
      const password = shown![1]!;
      expect(child.output()).toMatch(/Created an admin API key/);
      const key = /\n {2}(vk_\S+)\n/.exec(child.output())![1]!;
      const session = await signIn(child.url, 'admin', password);
      expect(session.status).toBe(200);
      const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
      await signIn(child.url, 'admin', 'a-wrong-password');
      await fetch(`${child.url}/api/v1/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'cy', password: 'cy-secret-password', role: 'viewer' }),
      });
      await fetch(`${child.url}/api/v1/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'cy', password: 'short', role: 'viewer' }),
      });
      await fetch(`${child.url}/api/v1/models`, { headers: { cookie } });
      await stopChild(child.process);
      const afterStart = child.output().split(password)[1]!;
      for (const secret of [
        'a-wrong-password',
        'cy-secret-password',
        '"short"',
        password,
        cookie.split('=')[1]!,
      ]) {
        expect(afterStart, secret).not.toContain(secret);
      }
      // Trace level logs every request: the log is there, only the secrets are not.
      expect(afterStart).toMatch(/"url":"\/api\/v1\/session"/);
    } finally {
      await stopChild(child.process);
    }
  });
});
