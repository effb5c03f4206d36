/** The user and key methods against a real Vigil server. */
import { startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigilApi } from './api.js';
import { VigilHttpError } from './errors.js';

let server: TestServer;
let api: VigilApi;

beforeAll(async () => {
  server = await startTestServer();
  api = new VigilApi({ url: server.url, apiKey: server.adminKey, maxRetries: 0 });
});
afterAll(async () => {
  await server?.close();
});

describe('users through the SDK', () => {
  it('creates, lists, changes and deletes a user', async () => {
    const created = await api.createUser({ username: 'Ada', password: 'ada-password', role: 'viewer' });
    expect(created).toMatchObject({ username: 'ada', role: 'viewer', disabled: false });
    expect((await api.listUsers()).map((u) => u.username)).toEqual(['admin', 'ada']);
    expect(await api.getUser('ada')).toEqual(created);
    const editor = await api.updateUser(created.id, { role: 'editor', disabled: true });
    expect(editor).toMatchObject({ role: 'editor', disabled: true });
    await api.deleteUser('ada');
    await expect(api.getUser(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it('reports the last-admin refusal as a 409 with its message', async () => {
    const error = await api.deleteUser('admin').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VigilHttpError);
    expect(error).toMatchObject({ status: 409, message: expect.stringMatching(/last enabled admin/) });
  });
});

describe('API keys through the SDK', () => {
  it('creates a key, shows its last use, and revokes it', async () => {
    const created = await api.createKey({ name: 'ci', scope: 'read' });
    expect(created.key).toMatch(/^vk_/);
    expect(created.created_by).toBe('api-key:1');
    const reader = new VigilApi({ url: server.url, apiKey: created.key, maxRetries: 0 });
    await reader.listModels();
    const listed = (await api.listKeys()).find((k) => k.id === created.id)!;
    expect(listed.last_used_at).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(created.key);
    await api.revokeKey(created.id);
    await expect(reader.listModels()).rejects.toMatchObject({ status: 401 });
  });
});
