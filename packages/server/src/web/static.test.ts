import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/index.js';

describe('the dashboard served beside the API', () => {
  let server: TestServer;
  let webDir: string;
  const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

  beforeAll(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'vigil-web-'));
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Vigil app</title>');
    writeFileSync(join(webDir, 'assets', 'main-abc123.js'), 'console.log(1)');
    server = await startTestServer({ webDir });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('answers the root URL with the app, never cached', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('Vigil app');
  });

  it('answers client-side routes with index.html when a browser asks for a page', async () => {
    const response = await fetch(`${server.url}/models/churn/features/age?range=7d`, { headers: html });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Vigil app');
  });

  it('caches hashed assets for a year', async () => {
    const response = await fetch(`${server.url}/assets/main-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('keeps unknown API paths, missing assets and non-browser requests a JSON 404', async () => {
    for (const [path, headers] of [
      ['/api/v1/no-such-route', html],
      ['/assets/missing.js', {}],
      ['/no-such-page', { accept: 'application/json' }],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, { headers });
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { error: string }).error, path).toBe('not_found');
    }
  });

  it('does not serve files outside the assets folder', async () => {
    const response = await fetch(`${server.url}/assets/..%2f..%2fetc%2fpasswd`);
    expect([400, 403, 404]).toContain(response.status);
  });

  it('says how to build the app when it is not built', async () => {
    const bare = await startTestServer({ webDir: join(webDir, 'missing') });
    try {
      const response = await fetch(`${bare.url}/`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('npm start');
    } finally {
      await bare.close();
    }
  });
});
