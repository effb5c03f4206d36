/**
 * The model, feature, alert, monitor, channel and registry pages in headless Chromium against a
 * real server with the demo: open a model, click a heat-map cell through to the feature page,
 * acknowledge and silence an alert, check each page with axe-core, and a viewer who cannot
 * change anything. Needs Debian's `chromium` (`.ci/run` installs it) and the built dashboard.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROMPT_MONITORING, startTestServer, type TestServer } from '@vigil/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, requireBuiltApp, seriousA11yViolations, signIn } from './browser.js';

const ADMIN_PASSWORD = 'e2e-admin-password';
const VIEWER_PASSWORD = 'e2e-viewer-password';

async function until<T>(what: string, probe: () => Promise<T | undefined>, tries = 600): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The serious and critical axe-core violations, one line each. */
async function axeViolations(page: Page): Promise<string[]> {
  return (await seriousA11yViolations(page)).map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.join(', ')}`,
  );
}

describe('dashboard data pages in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    requireBuiltApp();
    server = await startTestServer({
      adminPassword: ADMIN_PASSWORD,
      monitoring: PROMPT_MONITORING,
    });
    expect((await server.api('/api/v1/demo', { json: { hours: 6, rate_per_hour: 300 } })).status).toBe(201);
    expect(
      (
        await server.api('/api/v1/users', {
          json: { username: 'vera', password: VIEWER_PASSWORD, role: 'viewer' },
        })
      ).status,
    ).toBe(201);
    // The campaign's drift makes alerts fire once the history is evaluated.
    await until('a firing drift alert', async () => {
      const body = (await (await server.api('/api/v1/alerts?state=firing')).json()) as {
        data: { labels: Record<string, string> }[];
      };
      return body.data.some((a) => a.labels.monitor === 'feature-drift') ? true : undefined;
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens a model and clicks a heat-map cell through to the feature page', async () => {
    await page.goto(`${server.url}/models/demo-churn`);
    await expect.poll(() => page.getByRole('heading', { name: 'Feature drift' }).count()).toBe(1);
    await page.getByTestId('traffic-chart').waitFor();
    const cell = page.locator('[data-testid="heatmap-cell"][data-status="alert"]').first();
    await cell.waitFor();
    const label = (await cell.getAttribute('aria-label')) ?? '';
    const feature = label.split(',')[0]!;
    await cell.click();
    await page.waitForURL((u) => u.pathname === `/models/demo-churn/features/${feature}`);
    await page.getByRole('heading', { name: feature, level: 1 }).waitFor();
    await page.getByTestId('distribution-chart').waitFor();
    // The cell's window travels in the URL, so the link can be shared; the distribution is that window's.
    expect(new URL(page.url()).searchParams.get('current_from')).not.toBeNull();
    const scope = page.getByTestId('distribution-scope');
    await expect.poll(() => scope.textContent()).toMatch(/^Current: the window /);
    expect(await axeViolations(page)).toEqual([]);
    await scope.getByRole('link', { name: 'Compare the whole range' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('current_from')).toBeNull();
    await expect.poll(() => scope.textContent()).toMatch(/Compare one window: the newest/);
    await scope.getByRole('link', { name: 'the newest' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('current_from')).not.toBeNull();
    await expect.poll(() => scope.textContent()).toMatch(/^Current: the window /);
  });

  it('shows an inhibited warning as inhibited, linked to its critical, and does not count it as open', async () => {
    type Listed = { id: number; severity: string; inhibited_by: number[]; labels: Record<string, string> };
    // The default rules fire a critical and a warning on the same drifted series; the warning is inhibited.
    const firing = await until('an inhibited alert', async () => {
      const body = (await (await server.api('/api/v1/alerts?state=firing&limit=1000')).json()) as {
        data: Listed[];
      };
      return body.data.some((a) => a.inhibited_by.length > 0) ? body.data : undefined;
    });
    const inhibited = firing.find((a) => a.inhibited_by.length > 0)!;
    expect(inhibited.severity).toBe('warning');
    await page.goto(`${server.url}/alerts/${inhibited.id}`);
    const note = page.getByTestId('inhibited-note');
    await note.waitFor();
    await note.getByRole('link', { name: `alert #${inhibited.inhibited_by[0]}` }).waitFor();
    expect(await page.locator('.pill-inhibited').first().textContent()).toContain('inhibited');
    expect(await axeViolations(page)).toEqual([]);

    // The list hides inhibited alerts until asked, as Alertmanager's does.
    await page.goto(`${server.url}/alerts`);
    const table = page.getByTestId('alerts-table');
    await table.waitFor();
    const listed = table.locator(`a[href="/alerts/${inhibited.id}"]`);
    expect(await listed.count()).toBe(0);
    await page.getByTestId('show-inhibited').check();
    await listed.waitFor();
    expect(new URL(page.url()).searchParams.get('inhibited')).toBe('true');

    const model = inhibited.labels.model!;
    const open = firing.filter((a) => a.labels.model === model && a.inhibited_by.length === 0).length;
    await page.goto(`${server.url}/?q=${model}`);
    const row = page.getByTestId('model-row').filter({ hasText: model });
    await row.waitFor();
    await expect
      .poll(async () => (await row.locator('.col-alerts').textContent())?.trim())
      .toMatch(new RegExp(`^${open}\\b`));
  });

  it('acknowledges an alert and silences alerts like it, with a preview of what the silence matches', async () => {
    await page.goto(`${server.url}/alerts?state=firing`);
    await page.getByTestId('alerts-table').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('alerts-table').getByRole('link', { name: 'feature-drift' }).first().click();
    await page.waitForURL(/\/alerts\/\d+$/);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByTestId('acknowledged').waitFor();
    await expect
      .poll(() => page.getByTestId('silence-preview').textContent())
      .toMatch(/Matches [1-9]\d* open alert/);
    await page.getByLabel('Why (required)').fill('campaign traffic, expected');
    await page.getByRole('button', { name: 'Silence', exact: true }).click();
    await page.getByText('Silenced.').waitFor();
    const silences = (await (await server.api('/api/v1/silences?state=active')).json()) as {
      data: { comment: string; matchers: { label: string }[] }[];
    };
    expect(silences.data[0]).toMatchObject({ comment: 'campaign traffic, expected' });
    expect(silences.data[0]!.matchers.map((m) => m.label)).toContain('monitor');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('passes the accessibility check on the model, monitors, channels and registry pages', async () => {
    for (const [path, ready] of [
      ['/models/demo-churn', 'Feature drift'],
      ['/monitors', 'Monitors'],
      ['/channels', 'Channels'],
      ['/registry', 'Registry'],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { name: ready }).first().waitFor();
      expect([path, await axeViolations(page)]).toEqual([path, []]);
    }
    const dir = process.env.VIGIL_SCREENSHOTS_DIR;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      for (const [name, path] of [
        ['model', '/models/demo-churn'],
        ['feature', '/models/demo-churn/features/tenure_months'],
        ['alerts', '/alerts'],
        ['monitors', '/monitors'],
        ['channels', '/channels'],
        ['registry', '/registry'],
      ]) {
        await page.goto(`${server.url}${path}`);
        await page.waitForLoadState('networkidle');
        await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
      }
    }
  });

  it('lets a viewer look but not change anything', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const viewer = await context.newPage();
    await signIn(viewer, server.url, 'vera', VIEWER_PASSWORD);
    const alerts = (await (await server.api('/api/v1/alerts?state=firing')).json()) as {
      data: { id: number }[];
    };
    await viewer.goto(`${server.url}/alerts/${alerts.data[0]!.id}`);
    await viewer.getByText('need the editor role').waitFor();
    expect(await viewer.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Silence', exact: true }).count()).toBe(0);
    await viewer.goto(`${server.url}/monitors`);
    await viewer.getByTestId('monitors-table').waitFor();
    expect(await viewer.getByRole('button', { name: 'New monitor' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: /^Disable monitor/ }).count()).toBe(0);
    await viewer.goto(`${server.url}/channels`);
    await viewer.getByRole('heading', { name: 'Channels', exact: true }).waitFor();
    expect(await viewer.getByRole('button', { name: 'New channel' }).count()).toBe(0);
    // The server refuses too, whatever the page shows.
    const refused = await viewer.evaluate(async () => {
      const session = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
      const answer = await fetch('/api/v1/demo', {
        method: 'DELETE',
        headers: { 'x-csrf-token': session.csrfToken },
      });
      return answer.status;
    });
    expect(refused).toBe(403);
    await context.close();
  });
});
