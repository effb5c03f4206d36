/**
 * The dashboard end to end: the built app served by a real Vigil server, driven in headless
 * Chromium. Sign-in and sign-out, the overview, the admin page, what a viewer may not do, and
 * axe-core on every page.
 */
import { startTestServer, type TestServer } from '@vigil/server/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, requireBuiltApp, seriousA11yViolations, signIn } from './browser.js';

const VIEWER = { username: 'vera', password: 'viewer-password-1' };

let server: TestServer;
let browser: Browser;
let adminPassword: string;

async function expectStatus(response: Response, status: number): Promise<void> {
  const body = await response.text();
  expect(response.status, body).toBe(status);
}

beforeAll(async () => {
  const webDir = requireBuiltApp();
  browser = await launchBrowser();
  server = await startTestServer({ webDir });
  adminPassword = (server as TestServer & { adminPassword: string }).adminPassword;
  await expectStatus(await server.api('/api/v1/users', { json: { ...VIEWER, role: 'viewer' } }), 201);
  const now = Date.now();
  for (const name of ['churn', 'fraud']) {
    await expectStatus(
      await server.api('/api/v1/models', { json: { name, task: 'binary_classification' } }),
      201,
    );
    const rows = Array.from({ length: 20 }, (_, i) => ({
      timestamp: new Date(now - i * 60_000).toISOString(),
      version: 'v1',
      features: { age: 20 + i },
      prediction: 1,
      score: 0.6,
    }));
    await expectStatus(await server.api(`/api/v1/models/${name}/predictions`, { json: rows }), 200);
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function withPage(run: (page: Page, context: BrowserContext) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await run(page, context);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  } finally {
    await context.close();
  }
}

async function expectAccessible(page: Page, what: string): Promise<void> {
  const violations = await seriousA11yViolations(page);
  expect(violations, `serious accessibility violations on ${what}`).toEqual([]);
}

// A browser on a busy CI machine: each test gets more than the default 30 s.
describe('the dashboard in a browser', { timeout: 120_000 }, () => {
  it('sends a visitor to sign in, then back to the page they asked for', async () => {
    await withPage(async (page) => {
      await page.goto(`${server.url}/admin`);
      await page.waitForURL(/\/sign-in\?next=/);
      await expectAccessible(page, 'the sign-in page');
      await page.getByLabel('User name').fill('admin');
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('not right');
      await page.getByLabel('Password').fill(adminPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${server.url}/admin`);
      await page.getByRole('heading', { name: 'Users' }).waitFor();
    });
  });

  it('shows every model on the overview, signs out, and forgets the session', async () => {
    await withPage(async (page) => {
      await signIn(page, server.url, 'admin', adminPassword);
      await page.getByTestId('model-row').first().waitFor();
      expect(await page.getByTestId('model-row').count()).toBe(2);
      expect(await page.getByTestId('current-user').textContent()).toContain('admin');
      await expectAccessible(page, 'the overview');

      await page.getByRole('searchbox', { name: 'Search models' }).fill('fraud');
      await expect.poll(() => page.getByTestId('model-row').count()).toBe(1);
      await page.waitForURL(/q=fraud/);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/sign-in/);
      await page.goto(`${server.url}/`);
      await page.waitForURL(/\/sign-in/);
    });
  });

  it('passes the accessibility check on every page, in both themes', async () => {
    await withPage(async (page) => {
      await signIn(page, server.url, 'admin', adminPassword);
      for (const path of ['/', '/alerts', '/monitors', '/channels', '/experiments', '/registry', '/admin']) {
        await page.goto(`${server.url}${path}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await expect.poll(() => page.locator('.state-loading').count()).toBe(0);
        await expectAccessible(page, path);
      }
      await page.goto(`${server.url}/`);
      await page.getByRole('button', { name: /Switch to the dark theme/ }).click();
      expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
      await page.getByTestId('model-row').first().waitFor();
      await expectAccessible(page, 'the overview in the dark theme');
    });
  });

  it('lets an admin create a user and an API key shown once, and revoke the key', async () => {
    await withPage(async (page) => {
      await signIn(page, server.url, 'admin', adminPassword);
      await page.goto(`${server.url}/admin`);
      const users = page.getByRole('form', { name: 'Create a user' });
      await users.getByLabel('User name').fill('eddie');
      await users.getByLabel('Password').fill('editor-password-1');
      await users.getByLabel('Role').selectOption('editor');
      await users.getByRole('button', { name: 'Create user' }).click();
      await page.getByTestId('user-row').filter({ hasText: 'eddie' }).waitFor();

      const keys = page.getByRole('form', { name: 'Create an API key' });
      await keys.getByLabel('Name').fill('ci-reader');
      await keys.getByLabel('Scope').selectOption('read');
      await keys.getByRole('button', { name: 'Create key' }).click();
      const secret = (await page.getByTestId('new-key').textContent()) ?? '';
      expect(secret).toMatch(/^vk_/);
      await expectStatus(await server.api('/api/v1/models', { key: secret }), 200);

      const row = page.getByTestId('key-row').filter({ hasText: 'ci-reader' });
      await row.getByRole('button', { name: 'Revoke' }).click();
      await row.getByRole('button', { name: 'Revoke' }).click();
      await row.getByText(/Revoked/).waitFor();
      await expectStatus(await server.api('/api/v1/models', { key: secret }), 401);
    });
  });

  it('shows a viewer no controls that change anything', async () => {
    await withPage(async (page) => {
      await signIn(page, server.url, VIEWER.username, VIEWER.password);
      await page.getByTestId('model-row').first().waitFor();
      expect(await page.getByTestId('current-user').textContent()).toContain('viewer');
      expect(
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count(),
      ).toBe(0);
      await page.goto(`${server.url}/admin`);
      await page.getByRole('heading', { name: 'Admins only' }).waitFor();
      expect(await page.getByRole('button', { name: /Create|Delete|Revoke|Disable/ }).count()).toBe(0);
    });
  });
});
