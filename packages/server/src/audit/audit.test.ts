/** The audit trail over real HTTP: what each change records, who may read it, and that nothing edits it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/index.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface Entry {
  id: number;
  at: string;
  actor: { type: string; id: string; name: string | null; ref: string };
  entity_type: string;
  entity_id: string;
  model: string | null;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  secrets_changed: boolean;
  request_id: string | null;
}

async function audit(query = '', key?: string): Promise<{ data: Entry[]; next_cursor: string | null }> {
  const response = await server.api(`/api/v1/audit${query}`, key === undefined ? {} : { key });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as { data: Entry[]; next_cursor: string | null };
}

async function ok(response: Promise<Response>): Promise<Record<string, unknown>> {
  const answer = await response;
  expect(answer.status, await answer.clone().text()).toBeLessThan(300);
  return answer.status === 204 ? {} : ((await answer.json()) as Record<string, unknown>);
}

async function newKey(name: string, scope: string): Promise<{ id: number; key: string }> {
  return (await ok(server.api('/api/v1/keys', { json: { name, scope } }))) as { id: number; key: string };
}

describe('what a change records', () => {
  it('records a model created, changed and deleted, with who did it and the model before and after', async () => {
    const deployer = await newKey('deployer', 'admin');
    await ok(
      server.api('/api/v1/models', {
        json: { name: 'churn', task: 'binary_classification', description: 'v0' },
        key: deployer.key,
      }),
    );
    await ok(
      server.api('/api/v1/models/churn', { method: 'PATCH', json: { description: 'v1' }, key: deployer.key }),
    );
    // The same value again changes nothing, so it records nothing.
    await ok(
      server.api('/api/v1/models/churn', { method: 'PATCH', json: { description: 'v1' }, key: deployer.key }),
    );
    await ok(server.api('/api/v1/models/churn?confirm=churn', { method: 'DELETE', key: deployer.key }));

    const { data } = await audit('?entity_type=model&entity_id=churn');
    expect(data.map((e) => e.action)).toEqual(['delete', 'update', 'create']);
    const [deleted, updated, created] = data;
    expect(created!.before).toBeNull();
    expect(created!.after).toMatchObject({ name: 'churn', description: 'v0', task: 'binary_classification' });
    expect(updated!.before).toMatchObject({ description: 'v0' });
    expect(updated!.after).toMatchObject({ description: 'v1' });
    expect(deleted!.before).toMatchObject({ description: 'v1' });
    expect(deleted!.after).toBeNull();
    for (const entry of data) {
      expect(entry.actor).toEqual({
        type: 'api_key',
        id: String(deployer.id),
        name: 'deployer',
        ref: `api-key:${deployer.id}`,
      });
      expect(entry.model).toBe('churn');
      expect(entry.request_id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(Date.parse(created!.at)).toBeLessThanOrEqual(Date.parse(deleted!.at));
  });

  it('records alias moves and roll backs from both APIs, naming the version held before and after', async () => {
    await ok(server.api('/api/v1/models', { json: { name: 'ranker', task: 'regression' } }));
    for (const name of ['1', '2']) await ok(server.api('/api/v1/models/ranker/versions', { json: { name } }));
    await ok(server.api('/api/v1/models/ranker/aliases/champion', { method: 'PUT', json: { version: '1' } }));
    await ok(server.api('/api/v1/models/ranker/aliases/champion', { method: 'PUT', json: { version: '2' } }));
    await ok(server.api('/api/v1/models/ranker/aliases/champion/rollback', { method: 'POST' }));
    await ok(
      server.api('/api/2.0/mlflow/registered-models/alias', {
        json: { name: 'ranker', alias: 'champion', version: '2' },
      }),
    );

    const { data } = await audit('?entity_type=alias&entity_id=ranker@champion');
    expect(data.map((e) => [e.action, e.before?.version ?? null, e.after?.version ?? null])).toEqual([
      ['set', '1', '2'],
      ['rollback', '2', '1'],
      ['set', '1', '2'],
      ['set', null, '1'],
    ]);
    const versions = await audit('?entity_type=model_version&model=ranker');
    expect(versions.data.map((e) => e.entity_id)).toEqual(['ranker/2', 'ranker/1']);
  });

  it('leaves secrets out: channel credentials masked, a rotated secret flagged, no password hashes', async () => {
    const channel = await ok(
      server.api('/api/v1/channels', {
        json: {
          name: 'oncall',
          type: 'webhook',
          config: {
            url: 'https://hooks.example.com/vigil',
            headers: { Authorization: 'Bearer s3cr3t-token' },
          },
        },
      }),
    );
    const secret = channel.secret as string;
    expect(secret.length).toBeGreaterThan(20);
    await ok(server.api('/api/v1/channels/oncall', { method: 'PATCH', json: { rotate_secret: true } }));
    await ok(
      server.api('/api/v1/users', {
        json: { username: 'dana', password: 'correct horse battery', role: 'viewer' },
      }),
    );
    await ok(
      server.api('/api/v1/users/dana', { method: 'PATCH', json: { password: 'another long passphrase' } }),
    );

    const channels = await audit(`?entity_type=channel&entity_id=${channel.id}`);
    expect(channels.data.map((e) => [e.action, e.secrets_changed])).toEqual([
      ['update', true],
      ['create', false],
    ]);
    const users = await audit('?entity_type=user');
    expect(users.data.map((e) => [e.action, e.secrets_changed])).toEqual([
      ['update', true],
      ['create', false],
    ]);
    const everything = JSON.stringify([channels, users]);
    expect(everything).not.toContain('s3cr3t-token');
    expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/argon2|scrypt|password_hash|correct horse/);
  });

  it('records the signed-in user as the actor, and API key revocations', async () => {
    const temporary = await newKey('temporary', 'read');
    const browser = await server.signIn();
    await ok(browser.api(`/api/v1/keys/${temporary.id}`, { method: 'DELETE' }));
    const [revoked] = (await audit(`?entity_type=api_key&entity_id=${temporary.id}&action=revoke`)).data;
    expect(revoked!.actor).toEqual({
      type: 'user',
      id: String(browser.user.id),
      name: 'admin',
      ref: 'user:admin',
    });
    expect(revoked!.before).toMatchObject({ name: 'temporary', revoked_at: null });
    expect(revoked!.after).toMatchObject({ name: 'temporary', revoked_at: expect.any(String) });
    expect(JSON.stringify(revoked)).not.toContain(temporary.key);
    expect((await audit('?actor=user:admin&entity_type=api_key')).data.map((e) => e.id)).toContain(
      revoked!.id,
    );
    expect((await audit('?actor=admin&entity_type=api_key')).data.map((e) => e.id)).toContain(revoked!.id);
  });

  it('records the default monitors a first reference upload creates, by the key that sent it', async () => {
    const uploader = await newKey('uploader', 'write');
    await ok(server.api('/api/v1/models', { json: { name: 'reference-monitors', task: 'regression' } }));
    const rows = Array.from({ length: 50 }, (_, i) => ({
      id: `r${i}`,
      features: { x: i },
      prediction: i / 2,
    }));
    await ok(server.api('/api/v1/models/reference-monitors/reference', { json: rows, key: uploader.key }));
    const monitors = (await ok(server.api('/api/v1/models/reference-monitors/monitors'))).data as {
      name: string;
    }[];
    expect(monitors.length).toBeGreaterThan(0);
    const monitorEntries = async () =>
      (await audit('?model=reference-monitors')).data.filter((e) => e.entity_type === 'monitor');
    const entries = await monitorEntries();
    expect(
      entries.map((e) => [e.action, e.actor.ref, e.before, (e.after as { name: string }).name]).sort(),
    ).toEqual(monitors.map((m) => ['create', `api-key:${uploader.id}`, null, m.name]).sort());
    // A second upload creates nothing, and records nothing.
    await ok(server.api('/api/v1/models/reference-monitors/reference?dataset=v2', { json: rows }));
    expect(await monitorEntries()).toHaveLength(entries.length);
  });

  it('records nothing for a refused change', async () => {
    const before = (await audit()).data[0]!.id;
    const refused = await server.api('/api/v1/models/ranker/aliases/champion', {
      method: 'PUT',
      json: { version: '99' },
    });
    expect(refused.status).toBe(404);
    expect((await audit()).data[0]!.id).toBe(before);
  });
});

describe('reading the trail', () => {
  it('pages newest first with a cursor, and filters by time', async () => {
    const all = (await audit('?limit=1000')).data;
    expect(all.length).toBeGreaterThan(5);
    const seen: number[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await audit(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((e) => e.id));
      cursor = page.next_cursor;
    }
    expect(seen).toEqual(all.map((e) => e.id));
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await audit(`?from=${future}`)).data).toEqual([]);
    expect((await audit(`?to=${future}&limit=1000`)).data.length).toBe(all.length);
  });

  it('shows the read scope only the entries about models, and says why it refuses the others', async () => {
    const reader = await newKey('reader', 'read');
    const visible = (await audit('?limit=1000', reader.key)).data;
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.every((e) => e.model !== null)).toBe(true);
    const refused = await server.api('/api/v1/audit?entity_type=api_key', { key: reader.key });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(
      /api keys need the "admin" scope/,
    );
  });

  it('answers bad parameters with a 400 that names them', async () => {
    for (const [query, field] of [
      ['?entity_type=dataset', 'entity_type'],
      ['?limit=0', 'limit'],
      ['?from=yesterday', 'from'],
      ['?cursor=abc', 'cursor'],
    ] as const) {
      const response = await server.api(`/api/v1/audit${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { message: string }).message).toContain(field);
    }
  });

  it('cannot be edited: every other method is a 405 that says the trail is append-only', async () => {
    const [latest] = (await audit()).data;
    for (const [method, path] of [
      ['POST', '/api/v1/audit'],
      ['PUT', '/api/v1/audit'],
      ['DELETE', '/api/v1/audit'],
      ['PATCH', `/api/v1/audit/${latest!.id}`],
      ['DELETE', `/api/v1/audit/${latest!.id}`],
    ] as const) {
      const response = await server.api(path, { method, json: {} });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(((await response.json()) as { message: string }).message).toMatch(/append-only/);
    }
    // The Allow header names only what the trail serves, whatever the method refused.
    const options = await server.api('/api/v1/audit', { method: 'OPTIONS' });
    expect(options.status).toBe(405);
    expect(options.headers.get('allow')).toBe('GET, HEAD');
    expect((await audit()).data[0]!.id).toBe(latest!.id);
  });
});
