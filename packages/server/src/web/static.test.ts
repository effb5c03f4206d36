import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/index.js';

/** A GET with exactly these headers, body as sent (fetch would decompress it). */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      get(url, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }),
        );
      }).on('error', reject);
    },
  );
}

const SCRIPT = `console.log(${JSON.stringify('vigil '.repeat(400))});`;
const PAGE = `<!doctype html><title>Vigil app</title><p>${'welcome '.repeat(200)}</p>`;

describe('the dashboard served beside the API', () => {
  let server: TestServer;
  let webDir: string;
  const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

  beforeAll(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'vigil-web-'));
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Vigil app</title>');
    writeFileSync(join(webDir, 'assets', 'main-abc123.js'), 'console.log(1)');
    // As the build writes them: compressed copies beside the larger files.
    writeFileSync(join(webDir, 'assets', 'big-def456.js'), SCRIPT);
    writeFileSync(join(webDir, 'assets', 'big-def456.js.br'), brotliCompressSync(SCRIPT));
    writeFileSync(join(webDir, 'assets', 'big-def456.js.gz'), gzipSync(SCRIPT));
    writeFileSync(join(webDir, 'assets', 'gzip-only-123.css'), `body{${'color:red;'.repeat(300)}}`);
    writeFileSync(
      join(webDir, 'assets', 'gzip-only-123.css.gz'),
      gzipSync(`body{${'color:red;'.repeat(300)}}`),
    );
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

  it('sends the precompressed copy the browser accepts, brotli first, with long caching', async () => {
    const url = `${server.url}/assets/big-def456.js`;
    const brotli = await rawGet(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(brotli.status).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['content-type']).toMatch(/javascript/);
    expect(brotli.headers.vary).toMatch(/accept-encoding/i);
    expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(brotli.body).toString()).toBe(SCRIPT);
    expect(brotli.body.length).toBeLessThan(SCRIPT.length / 5);

    const gzip = await rawGet(url, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(SCRIPT);

    const plain = await rawGet(url, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);

    // Only a .gz beside it: a browser that prefers brotli gets gzip.
    const css = await rawGet(`${server.url}/assets/gzip-only-123.css`, { 'accept-encoding': 'br, gzip' });
    expect(css.headers['content-encoding']).toBe('gzip');
    expect(css.headers['content-type']).toMatch(/css/);
    // No compressed copy at all (a small file): sent as it is.
    const small = await rawGet(`${server.url}/assets/main-abc123.js`, { 'accept-encoding': 'br, gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.toString()).toBe('console.log(1)');
  });

  it('sends index.html compressed too, never cached, also for client-side routes', async () => {
    const built = mkdtempSync(join(tmpdir(), 'vigil-web-'));
    writeFileSync(join(built, 'index.html'), PAGE);
    writeFileSync(join(built, 'index.html.br'), brotliCompressSync(PAGE));
    writeFileSync(join(built, 'index.html.gz'), gzipSync(PAGE));
    const app = await startTestServer({ webDir: built });
    try {
      for (const path of ['/', '/models/churn?range=7d']) {
        const response = await rawGet(`${app.url}${path}`, { accept: 'text/html', 'accept-encoding': 'br' });
        expect(response.status, path).toBe(200);
        expect(response.headers['content-encoding'], path).toBe('br');
        expect(response.headers['content-type'], path).toMatch(/text\/html/);
        expect(response.headers['cache-control'], path).toBe('no-cache');
        expect(response.headers.vary, path).toMatch(/accept-encoding/i);
        expect(brotliDecompressSync(response.body).toString(), path).toBe(PAGE);
      }
    } finally {
      await app.close();
      rmSync(built, { recursive: true, force: true });
    }
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
