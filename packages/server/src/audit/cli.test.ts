/** Changes made by the command line on a stopped server's data folder are in the trail too, as `cli`. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createKeyInDataDir, resetPasswordInDataDir } from '../maintenance.js';
import { startTestServer } from '../testing/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'vigil-audit-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('records vigil keys create and vigil users reset-password, without the key or the password', async () => {
  await (await startTestServer({ dataDir })).close();
  const { key, row } = await createKeyInDataDir(dataDir, { name: 'recovery', scope: 'admin' });
  const { password } = await resetPasswordInDataDir(dataDir, { username: 'admin' });

  const server = await startTestServer({ dataDir });
  try {
    const page = (await (await server.api('/api/v1/audit?actor=cli')).json()) as {
      data: {
        entity_type: string;
        entity_id: string;
        action: string;
        actor: unknown;
        secrets_changed: boolean;
      }[];
    };
    expect(page.data.map((e) => [e.entity_type, e.action, e.secrets_changed])).toEqual([
      ['user', 'reset_password', true],
      ['api_key', 'create', false],
    ]);
    expect(page.data[1]!.entity_id).toBe(String(row.id));
    expect(page.data[0]!.actor).toEqual({
      type: 'cli',
      id: 'vigil users reset-password',
      name: null,
      ref: 'cli',
    });
    const text = JSON.stringify(page);
    expect(text).not.toContain(key);
    expect(text).not.toContain(password);
  } finally {
    await server.close();
  }
});
