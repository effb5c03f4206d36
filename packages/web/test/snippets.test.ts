/**
 * The empty overview's TypeScript snippet, run as pasted (twice, as a user re-running a script
 * does) against a real server with a write key, the kind of key the page fills in.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { childProcessTestTimeout, startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { snippet } from '../src/pages/overview/snippets.js';

// Tests here start child processes, whose start-up a loaded machine can make slow.
vi.setConfig({ testTimeout: childProcessTestTimeout(2) });

const run = promisify(execFile);
// Inside the workspace, so `@vigil/sdk` resolves as it does for a user who installed it.
const folder = mkdtempSync(join(dirname(fileURLToPath(import.meta.url)), '.snippet-'));
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('first-prediction snippets', () => {
  it('the TypeScript snippet works with a write key, and again on a second run', async () => {
    const created = await server.api('/api/v1/keys', { json: { name: 'first-steps', scope: 'write' } });
    const { key } = (await created.json()) as { key: string };
    const file = join(folder, 'first-prediction.mts');
    writeFileSync(file, snippet('TypeScript', { url: server.url, apiKey: key }));
    for (let attempt = 0; attempt < 2; attempt++) {
      await run(process.execPath, ['--conditions=vigil-source', '--import', 'tsx', file], { cwd: folder });
    }
    const listed = await server.api('/api/v1/models/my-model/predictions');
    const { data } = (await listed.json()) as { data: { prediction: unknown }[] };
    expect(data).toHaveLength(2);
  });

  it('fills in the URL and key, or a placeholder to replace', () => {
    for (const language of ['TypeScript', 'Python', 'curl'] as const) {
      const text = snippet(language, { url: 'http://vigil.example:8080', apiKey: 'vk_abc' });
      expect(text).toContain('http://vigil.example:8080');
      expect(text).toContain('vk_abc');
      expect(snippet(language, { url: 'http://x', apiKey: null })).toContain('<your API key>');
    }
  });
});
