/** API keys over real HTTP: the last admin key, revocation without delay, what listings show. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../../testing/index.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface Key {
  id: number;
  name: string;
  scope: string;
  prefix: string;
  key: string;
}

async function createKey(name: string, scope: string): Promise<Key> {
  const response = await server.api('/api/v1/keys', { json: { name, scope } });
  expect(response.status).toBe(201);
  return (await response.json()) as Key;
}

async function listKeys(): Promise<Key[]> {
  return ((await (await server.api('/api/v1/keys')).json()) as { data: Key[] }).data;
}

it('refuses to revoke the last active admin key with a 409 that says what to do', async () => {
  const [admin] = (await listKeys()).filter((k) => k.scope === 'admin');
  const refused = await server.api(`/api/v1/keys/${admin!.id}`, { method: 'DELETE' });
  expect(refused.status).toBe(409);
  const body = (await refused.json()) as { error: string; message: string };
  expect(body.error).toBe('conflict');
  expect(body.message).toMatch(/last active admin key; create another admin key first/);
  expect((await server.api('/api/v1/models')).status).toBe(200);

  // With a second admin key, either may go, and the one left is then the last again.
  const second = await createKey('second-admin', 'admin');
  expect((await server.api(`/api/v1/keys/${second.id}`, { method: 'DELETE' })).status).toBe(204);
  expect((await server.api(`/api/v1/keys/${admin!.id}`, { method: 'DELETE' })).status).toBe(409);
  expect((await server.api('/api/v1/models')).status).toBe(200);
  expect((await server.api('/api/v1/models', { key: second.key })).status).toBe(401);
});

it('stops a revoked key at once on the server that revoked it', async () => {
  const reader = await createKey('reader', 'read');
  // Used once, so the server has verified and cached it.
  expect((await server.api('/api/v1/models', { key: reader.key })).status).toBe(200);
  expect((await server.api(`/api/v1/keys/${reader.id}`, { method: 'DELETE' })).status).toBe(204);
  const after = await server.api('/api/v1/models', { key: reader.key });
  expect(after.status).toBe(401);
  expect(await after.json()).toMatchObject({ message: 'The API key is not valid or has been revoked.' });
});

it('lists a prefix of generated keys and only a fingerprint of a key the operator chose', async () => {
  const generated = await createKey('ci', 'write');
  expect(generated.prefix).toBe(generated.key.slice(0, 9));
  const listed = await listKeys();
  const chosen = listed.find((k) => k.name === 'admin')!;
  const fingerprint = createHash('sha256').update(TEST_ADMIN_KEY).digest('hex').slice(0, 8);
  expect(chosen.prefix).toBe(`sha256:${fingerprint}`);
  expect(JSON.stringify(listed)).not.toContain(TEST_ADMIN_KEY.slice(0, 6));
  expect(listed.find((k) => k.id === generated.id)!.prefix).toBe(generated.key.slice(0, 9));
});
