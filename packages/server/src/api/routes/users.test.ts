/** Users over real HTTP: the admin API, the last admin, what a password change ends, the first admin. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { startServer } from '../../server.js';
import { startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from '../../testing/index.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface UserBody {
  id: number;
  username: string;
  role: string;
  disabled: boolean;
  created_by: string;
  last_sign_in_at: string | null;
}

async function createUser(username: string, role: string, password = `${username}-password`) {
  const response = await server.api('/api/v1/users', { json: { username, password, role } });
  expect(response.status).toBe(201);
  return (await response.json()) as UserBody;
}

function patchUser(id: number | string, json: unknown) {
  return server.api(`/api/v1/users/${id}`, { method: 'PATCH', json });
}

describe('the users API', () => {
  it('creates, lists, changes and deletes users, and never answers a password or its hash', async () => {
    const created = await createUser('Grace', 'editor', 'grace-secret-1');
    expect(created).toMatchObject({
      username: 'grace',
      role: 'editor',
      disabled: false,
      created_by: 'api-key:1',
    });
    const listed = await server.api('/api/v1/users');
    const text = await listed.text();
    expect(JSON.parse(text).data.map((u: UserBody) => u.username)).toEqual(['admin', 'grace']);
    expect(text).not.toMatch(/password|argon2|grace-secret/);
    expect(JSON.parse(text).data[0]).toMatchObject({
      username: 'admin',
      role: 'admin',
      created_by: 'first-start',
    });

    const byName = await server.api('/api/v1/users/GRACE');
    expect(await byName.json()).toMatchObject({ id: created.id });
    const promoted = await patchUser(created.id, { role: 'admin' });
    expect(promoted.status).toBe(200);
    expect(await promoted.json()).toMatchObject({ role: 'admin' });

    const taken = await server.api('/api/v1/users', {
      json: { username: 'GRACE', password: 'whatever-1', role: 'viewer' },
    });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ message: 'A user named "grace" already exists.' });

    expect((await server.api(`/api/v1/users/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await server.api(`/api/v1/users/${created.id}`)).status).toBe(404);
    expect((await server.api('/api/v1/users/999999999999', { method: 'DELETE' })).status).toBe(404);
  });

  it('says which field is wrong', async () => {
    const cases: [unknown, RegExp][] = [
      [{ username: 'ok-name', password: 'short', role: 'viewer' }, /body\.password: at least 8 characters/],
      [{ username: '1abc', password: 'long-enough', role: 'viewer' }, /body\.username: use letters/],
      [{ username: 'ok-name', password: 'long-enough', role: 'owner' }, /body\.role/],
      [{ username: 'ok-name', password: 'long-enough', role: 'viewer', extra: 1 }, /extra/],
    ];
    for (const [json, message] of cases) {
      const response = await server.api('/api/v1/users', { json });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(message);
    }
    const empty = await patchUser('admin', {});
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { message: string }).message).toMatch(
      /give at least one of role, password, disabled/,
    );
  });

  it('never removes, demotes or disables the last enabled admin (409)', async () => {
    const expectLastAdmin = async (response: Response) => {
      expect(response.status).toBe(409);
      expect(((await response.json()) as { message: string }).message).toBe(
        'User "admin" is the last enabled admin; make another user an admin first (PATCH /api/v1/users/{id} with role "admin").',
      );
    };
    await expectLastAdmin(await server.api('/api/v1/users/admin', { method: 'DELETE' }));
    await expectLastAdmin(await patchUser('admin', { role: 'editor' }));
    await expectLastAdmin(await patchUser('admin', { disabled: true }));
    // With a second admin, the first may step down; the second is then the last.
    const second = await createUser('second-admin', 'admin');
    expect((await patchUser('admin', { role: 'viewer' })).status).toBe(200);
    expect((await patchUser(second.id, { role: 'viewer' })).status).toBe(409);
    expect((await patchUser('admin', { role: 'admin' })).status).toBe(200);
    expect((await server.api(`/api/v1/users/${second.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('ends other sessions on a password change and all of them on disabling; a role change applies at once', async () => {
    const user = await createUser('hopper', 'editor', 'hopper-password');
    const first = await server.signIn('hopper', 'hopper-password');
    const second = await server.signIn('hopper', 'hopper-password');
    expect((await first.api('/api/v1/models')).status).toBe(200);

    expect((await patchUser(user.id, { role: 'viewer' })).status).toBe(200);
    const demoted = await first.api('/api/v1/silences', {
      json: { matchers: [{ label: 'model', value: 'x' }], ends_at: '2030-01-01T00:00:00Z' },
    });
    expect(demoted.status).toBe(403);

    expect((await patchUser(user.id, { password: 'hopper-new-password' })).status).toBe(200);
    expect((await first.api('/api/v1/models')).status).toBe(401);
    expect((await second.api('/api/v1/models')).status).toBe(401);
    const again = await server.signIn('hopper', 'hopper-new-password');
    expect((await again.api('/api/v1/models')).status).toBe(200);

    expect((await patchUser(user.id, { disabled: true })).status).toBe(200);
    expect((await again.api('/api/v1/models')).status).toBe(401);
    const refused = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'hopper', password: 'hopper-new-password' }),
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ message: /disabled/ });
  });

  it('keeps the own session of an admin who changes their own password', async () => {
    const me = await server.signIn();
    const changed = await me.api('/api/v1/users/admin', {
      method: 'PATCH',
      json: { password: 'a-new-admin-pw' },
    });
    expect(changed.status).toBe(200);
    expect((await me.api('/api/v1/users')).status).toBe(200);
    await expect(server.signIn('admin', TEST_ADMIN_PASSWORD)).rejects.toThrow(/401/);
    const back = await me.api('/api/v1/users/admin', {
      method: 'PATCH',
      json: { password: TEST_ADMIN_PASSWORD },
    });
    expect(back.status).toBe(200);
  });

  it('records who created a key and when each key was last used', async () => {
    const me = await server.signIn();
    const created = await me.api('/api/v1/keys', { json: { name: 'from-dashboard', scope: 'read' } });
    expect(created.status).toBe(201);
    const key = (await created.json()) as { id: number; key: string; created_by: string; last_used_at: null };
    expect(key).toMatchObject({ created_by: 'user:admin', last_used_at: null });
    expect((await server.api('/api/v1/models', { key: key.key })).status).toBe(200);
    const listed = ((await (await server.api('/api/v1/keys')).json()) as { data: Record<string, unknown>[] })
      .data;
    const used = listed.find((k) => k.id === key.id)!;
    expect(Date.parse(used.last_used_at as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(listed.find((k) => k.name === 'admin')).toMatchObject({ created_by: 'first-start' });
  });
});

describe('the first admin', () => {
  it('is created on the first start with VIGIL_ADMIN_PASSWORD, and never replaced by a later one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-first-admin-'));
    const config = (password: string) =>
      loadConfig(
        { VIGIL_ADMIN_PASSWORD: password },
        { host: '127.0.0.1', port: 0, dataDir, logLevel: 'silent', printAdminKey: false },
      );
    try {
      const first = await startServer(config('first-password'));
      expect(first.adminPassword).toBe('first-password');
      await first.close();
      const second = await startServer(config('second-password'));
      expect(second.adminPassword).toBeUndefined();
      const signIn = (password: string) =>
        fetch(`${second.url}/api/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password }),
        });
      expect((await signIn('second-password')).status).toBe(401);
      const response = await signIn('first-password');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ user: { username: 'admin', role: 'admin' } });
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('gets a random password when none is set', async () => {
    const random = await startTestServer({ adminPassword: undefined });
    try {
      expect(random.adminPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
      const session = await random.signIn();
      expect(session.user.role).toBe('admin');
    } finally {
      await random.close();
    }
  });
});
