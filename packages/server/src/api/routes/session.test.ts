/** Signing in over real HTTP: the cookie, CSRF, roles, sign-out, expiry and the login rate limit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from '../../testing/index.js';

const HOUR = 3_600_000;
let clock = Date.UTC(2026, 0, 5, 9, 0, 0);
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(
    {
      sessions: {
        idleTtlMs: 12 * HOUR,
        maxAgeMs: 7 * 24 * HOUR,
        maxFailuresPerUser: 3,
        maxFailuresPerAddress: 50,
      },
    },
    { now: () => clock },
  );
});
afterAll(async () => {
  await server.close();
});

function postSession(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function createUser(username: string, role: string, password = `${username}-password`) {
  const response = await server.api('/api/v1/users', { json: { username, password, role } });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number; username: string; role: string };
}

describe('signing in', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie and answers the user and a CSRF token', async () => {
    const response = await postSession({ username: 'admin', password: TEST_ADMIN_PASSWORD });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ user: { username: 'admin', role: 'admin' } });
    expect(typeof body.csrfToken).toBe('string');
    expect(new Date(body.expiresAt as string).getTime()).toBe(clock + 12 * HOUR);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^vigil_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain(`Max-Age=${7 * 24 * 3600}`);
    // Plain http and no https external URL: not Secure, or browsers would drop it.
    expect(cookie).not.toContain('Secure');
    expect(JSON.stringify(body)).not.toContain(TEST_ADMIN_PASSWORD);
  });

  it('marks the cookie Secure when the server’s external URL is https', async () => {
    const behindTls = await startTestServer({ externalUrl: 'https://vigil.example.com' });
    try {
      const response = await fetch(`${behindTls.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
      });
      expect(response.headers.get('set-cookie')).toMatch(/; Secure$/);
    } finally {
      await behindTls.close();
    }
  });

  it('answers unknown users and wrong passwords with the same 401', async () => {
    const unknown = await postSession({ username: 'nobody', password: 'whatever-password' });
    const wrong = await postSession({ username: 'admin', password: 'not-the-password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
    expect(unknown.headers.get('set-cookie')).toBeNull();
  });

  it('ignores the case of the user name', async () => {
    const session = await server.signIn('ADMIN', TEST_ADMIN_PASSWORD);
    expect(session.user.username).toBe('admin');
  });

  it('ends the browser’s previous session when it signs in again', async () => {
    const first = await server.signIn();
    const again = await postSession(
      { username: 'admin', password: TEST_ADMIN_PASSWORD },
      { cookie: first.cookie },
    );
    expect(again.status).toBe(200);
    expect((await first.api('/api/v1/models')).status).toBe(401);
  });

  it('tells who is signed in with GET, and 401 without a session', async () => {
    const session = await server.signIn();
    const me = await session.api('/api/v1/session');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { username: 'admin' }, csrfToken: session.csrfToken });
    const anonymous = await fetch(`${server.url}/api/v1/session`);
    expect(anonymous.status).toBe(401);
  });
});

describe('requests with the session cookie', () => {
  it('are refused with a message that says how to authenticate, without or with a stale cookie', async () => {
    const none = await fetch(`${server.url}/api/v1/models`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({
      message: /Bearer <api key>", or sign in \(POST \/api\/v1\/session\)/,
    });
    const stale = await fetch(`${server.url}/api/v1/models`, {
      headers: { cookie: 'vigil_session=not-a-session' },
    });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({ message: /sign in again/ });
  });

  it('read and write every route the role allows', async () => {
    const session = await server.signIn();
    expect((await session.api('/api/v1/models')).status).toBe(200);
    const created = await session.api('/api/v1/models', { json: { name: 'by-cookie', task: 'regression' } });
    expect(created.status).toBe(201);
  });

  it('need X-CSRF-Token on every state-changing method: missing or wrong is a 403 that says so', async () => {
    const session = await server.signIn();
    const missing = await session.api('/api/v1/models', {
      json: { name: 'no-csrf', task: 'regression' },
      csrf: null,
    });
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ error: 'csrf_token_invalid', message: /X-CSRF-Token/ });
    const wrong = await session.api('/api/v1/models', {
      json: { name: 'no-csrf', task: 'regression' },
      csrf: 'x'.repeat(43),
    });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ error: 'csrf_token_invalid' });
    for (const method of ['PATCH', 'DELETE']) {
      const response = await session.api('/api/v1/models/by-cookie', { method, csrf: null });
      expect(response.status, method).toBe(403);
    }
    // Another session's token does not do either.
    const other = await server.signIn();
    const crossed = await session.api('/api/v1/models', {
      json: { name: 'no-csrf', task: 'regression' },
      csrf: other.csrfToken,
    });
    expect(crossed.status).toBe(403);
    expect((await server.api('/api/v1/models/no-csrf')).status).toBe(404);
  });

  it("reach MLflow's tracking API as the dashboard does: reads for every role, writes with CSRF for editors", async () => {
    const admin = await server.signIn();
    const created = await admin.api('/api/2.0/mlflow/experiments/create', { json: { name: 'by-cookie' } });
    expect(created.status).toBe(200);
    const noCsrf = await admin.api('/api/2.0/mlflow/experiments/create', {
      json: { name: 'no-csrf' },
      csrf: null,
    });
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.json()).toMatchObject({ error_code: 'PERMISSION_DENIED', message: /X-CSRF-Token/ });

    await createUser('mlflow-viewer', 'viewer');
    const viewer = await server.signIn('mlflow-viewer', 'mlflow-viewer-password');
    // MLflow searches with POST: a read, which a viewer may do (with the CSRF token of the session).
    const search = await viewer.api('/api/2.0/mlflow/experiments/search', { json: { max_results: 10 } });
    expect(search.status).toBe(200);
    expect(JSON.stringify(await search.json())).toContain('by-cookie');
    const write = await viewer.api('/api/2.0/mlflow/experiments/create', { json: { name: 'by-viewer' } });
    expect(write.status).toBe(403);
    const signedOut = await fetch(`${server.url}/api/2.0/mlflow/experiments/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'vigil_session=stale' },
      body: '{}',
    });
    expect(signedOut.status).toBe(401);
  });

  it('need no CSRF token with an API key', async () => {
    const response = await server.api('/api/v1/models', { json: { name: 'by-key', task: 'regression' } });
    expect(response.status).toBe(201);
  });

  it('let a viewer read but change nothing (403)', async () => {
    await createUser('vera', 'viewer');
    const viewer = await server.signIn('vera', 'vera-password');
    expect((await viewer.api('/api/v1/models')).status).toBe(200);
    const attempts: [string, string, unknown?][] = [
      ['POST', '/api/v1/models', { name: 'nope', task: 'regression' }],
      ['DELETE', '/api/v1/models/by-key'],
      ['POST', '/api/v1/models/by-key/predictions', [{ prediction: 1 }]],
      [
        'POST',
        '/api/v1/silences',
        { matchers: [{ label: 'model', value: 'x' }], ends_at: '2030-01-01T00:00:00Z' },
      ],
      ['POST', '/api/v1/keys', { name: 'k', scope: 'read' }],
      ['GET', '/api/v1/keys'],
      ['GET', '/api/v1/users'],
    ];
    for (const [method, path, json] of attempts) {
      const response = await viewer.api(path, { method, ...(json !== undefined ? { json } : {}) });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(((await response.json()) as { message: string }).message).toMatch(/"vera" is a viewer/);
    }
    expect((await server.api('/api/v1/models/by-key')).status).toBe(200);
  });

  it('let an editor acknowledge and silence but not administer', async () => {
    await createUser('eddie', 'editor');
    const editor = await server.signIn('eddie', 'eddie-password');
    const silence = await editor.api('/api/v1/silences', {
      json: {
        matchers: [{ label: 'model', value: 'by-key' }],
        ends_at: '2030-01-01T00:00:00Z',
        comment: 'x',
      },
    });
    expect(silence.status).toBe(201);
    expect(await silence.json()).toMatchObject({ created_by: 'user:eddie' });
    const model = await editor.api('/api/v1/models', { json: { name: 'eddies', task: 'regression' } });
    expect(model.status).toBe(201);
    const removed = await editor.api('/api/v1/models/eddies', { method: 'DELETE' });
    expect(removed.status).toBe(403);
    expect(((await removed.json()) as { message: string }).message).toBe(
      'This needs the "admin" role; "eddie" is an editor.',
    );
  });
});

describe('changing one’s own password', () => {
  it('needs the current password, keeps this session and ends the others', async () => {
    await createUser('olga', 'viewer', 'olga-password');
    const here = await server.signIn('olga', 'olga-password');
    const elsewhere = await server.signIn('olga', 'olga-password');
    const change = (current: string, next: string, csrf?: string | null) =>
      here.api('/api/v1/session/password', {
        json: { current_password: current, new_password: next },
        ...(csrf !== undefined ? { csrf } : {}),
      });
    expect((await change('olga-password', 'olga-new-password', null)).status).toBe(403);
    const wrong = await change('not-my-password', 'olga-new-password');
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ message: 'The current password is wrong.' });
    expect((await change('olga-password', 'short')).status).toBe(400);
    expect((await change('olga-password', 'olga-new-password')).status).toBe(204);
    expect((await here.api('/api/v1/models')).status).toBe(200);
    expect((await elsewhere.api('/api/v1/models')).status).toBe(401);
    await expect(server.signIn('olga', 'olga-password')).rejects.toThrow(/401/);
    expect((await server.signIn('olga', 'olga-new-password')).user.username).toBe('olga');
    const byKey = await server.api('/api/v1/session/password', {
      json: { current_password: 'x', new_password: 'long-enough' },
    });
    expect(byKey.status).toBe(403);
    expect(await byKey.json()).toMatchObject({ message: /An API key has no password/ });
  });
});

describe('a browser behind a proxy with basic authentication', () => {
  it('is authenticated by its cookie, not by the Authorization: Basic header beside it', async () => {
    const session = await server.signIn();
    const response = await session.api('/api/v1/models', {
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(response.status).toBe(200);
    const withoutCookie = await fetch(`${server.url}/api/v1/models`, {
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(withoutCookie.status).toBe(401);
    expect(await withoutCookie.json()).toMatchObject({ message: /must be "Bearer <api key>"/ });
  });
});

describe('signing out and expiry', () => {
  it('ends the session on sign-out: the cookie stops working and is cleared', async () => {
    const session = await server.signIn();
    const noCsrf = await session.api('/api/v1/session', { method: 'DELETE', csrf: null });
    expect(noCsrf.status).toBe(403);
    const out = await session.api('/api/v1/session', { method: 'DELETE' });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^vigil_session=; .*Max-Age=0/);
    const after = await session.api('/api/v1/models');
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ message: /expired or was signed out/ });
    expect((await session.api('/api/v1/session')).status).toBe(401);
    // Signing out again is harmless.
    expect((await session.api('/api/v1/session', { method: 'DELETE' })).status).toBe(204);
  });

  it('ends a session unused for the idle time; use moves the expiry, up to the maximum age', async () => {
    const start = clock;
    const session = await server.signIn();
    clock = start + 11 * HOUR;
    expect((await session.api('/api/v1/models')).status).toBe(200);
    // Used at 11 h, so it now lasts until 23 h.
    clock = start + 22 * HOUR;
    const me = await session.api('/api/v1/session');
    expect(me.status).toBe(200);
    expect(new Date(((await me.json()) as { expiresAt: string }).expiresAt).getTime()).toBe(
      clock + 12 * HOUR,
    );
    clock = start + 22 * HOUR + 12 * HOUR + 1;
    expect((await session.api('/api/v1/models')).status).toBe(401);

    const busy = await server.signIn();
    const signedInAt = clock;
    for (let day = 1; day <= 6; day++) {
      clock = signedInAt + day * 11 * HOUR;
      expect((await busy.api('/api/v1/models')).status).toBe(200);
    }
    clock = signedInAt + 7 * 24 * HOUR;
    expect((await busy.api('/api/v1/models')).status).toBe(401);
  });
});

describe('the login rate limit', () => {
  it('answers 429 with Retry-After after repeated failures for one user name, even with the right password', async () => {
    await createUser('rita', 'viewer');
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await postSession({ username: 'rita', password: 'wrong-password' })).status).toBe(401);
    }
    const limited = await postSession({ username: 'rita', password: 'rita-password' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await limited.json()).toMatchObject({ error: 'too_many_requests' });
    // Other names are not locked out by it.
    expect((await postSession({ username: 'admin', password: TEST_ADMIN_PASSWORD })).status).toBe(200);
    clock += 61_000;
    expect((await postSession({ username: 'rita', password: 'rita-password' })).status).toBe(200);
  });
});
