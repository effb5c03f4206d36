/**
 * The experiments and registry pages in headless Chromium against a real server with the demo
 * (its experiment, three registered versions, champion and challenger with their history):
 * choose columns and compare runs (state kept in the URL), follow a version to its run, a
 * promotion the gate refuses and one it lets through, roll back, the accessibility check, and
 * what a viewer and an editor may do.
 */
import { startTestServer, type TestServer } from '@vigil/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, requireBuiltApp, seriousA11yViolations, signIn } from './browser.js';

const ADMIN_PASSWORD = 'mm-admin-password';
const VIEWER_PASSWORD = 'mm-viewer-password';
const EDITOR_PASSWORD = 'mm-editor-password';

async function axeViolations(page: Page): Promise<string[]> {
  return (await seriousA11yViolations(page)).map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.join(', ')}`,
  );
}

async function champion(server: TestServer): Promise<string | undefined> {
  const body = (await (await server.api('/api/v1/models/demo-churn/aliases')).json()) as {
    data: { alias: string; version: string }[];
  };
  return body.data.find((a) => a.alias === 'champion')?.version;
}

describe('experiments and registry pages in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    requireBuiltApp();
    server = await startTestServer({ adminPassword: ADMIN_PASSWORD });
    expect((await server.api('/api/v1/demo', { json: { hours: 2, rate_per_hour: 200 } })).status).toBe(201);
    for (const [username, password, role] of [
      ['vera', VIEWER_PASSWORD, 'viewer'],
      ['eddie', EDITOR_PASSWORD, 'editor'],
    ]) {
      const created = await server.api('/api/v1/users', { json: { username, password, role } });
      expect(created.status).toBe(201);
    }
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the runs with chosen columns and compares selected runs, keeping it all in the URL', async () => {
    await page.goto(`${server.url}/experiments`);
    const rows = page.getByTestId('run-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(5);
    expect(await axeViolations(page)).toEqual([]);

    // Pick a param column that is not among the defaults.
    await page.getByText(/^Columns:/).click();
    await page.getByRole('group', { name: 'Params' }).getByLabel('learning_rate').check();
    await expect
      .poll(() => new URL(page.url()).searchParams.get('params'), { timeout: 15_000 })
      .toContain('learning_rate');
    await page.getByRole('columnheader', { name: /learning_rate/ }).waitFor();

    await page.getByLabel('Compare gbm-depth4').check();
    await page.getByLabel('Compare gbm-depth5-18m').check();
    await page.getByTestId('metric-chart').waitFor();
    await page.getByLabel('Metric').selectOption('val_loss');
    await expect
      .poll(() => new URL(page.url()).searchParams.get('metric'), { timeout: 15_000 })
      .toBe('val_loss');
    const differing = page.getByTestId('param-differences').locator('tr[data-differs="true"] th');
    await expect
      .poll(() => differing.allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('max_depth')]));
    expect(await axeViolations(page)).toEqual([]);

    // A shared link opens the same comparison.
    const link = page.url();
    expect(new URL(link).searchParams.get('runs')?.split(',')).toHaveLength(2);
    const other = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const second = await other.newPage();
    await signIn(second, server.url, 'admin', ADMIN_PASSWORD);
    await second.goto(link);
    await second.getByTestId('metric-chart').waitFor();
    expect(await second.getByLabel('Compare gbm-depth4').isChecked()).toBe(true);
    expect(await second.getByLabel('Metric').inputValue()).toBe('val_loss');
    await other.close();
  });

  it('shows versions, aliases and their history, and follows a version to its run', async () => {
    // An alias set and removed again keeps its place in the timeline.
    const staging = await server.api('/api/v1/models/demo-churn/aliases/staging', {
      method: 'PUT',
      json: { version: '1' },
    });
    expect(staging.status).toBe(200);
    expect((await server.api('/api/v1/models/demo-churn/aliases/staging', { method: 'DELETE' })).status).toBe(
      200,
    );
    await page.goto(`${server.url}/registry`);
    await page.getByTestId('alias-champion').getByText('version 2', { exact: true }).waitFor();
    await page.getByTestId('alias-challenger').getByText('version 3', { exact: true }).waitFor();
    await page.getByTestId('version-row').first().waitFor();
    expect(await page.getByTestId('version-row').count()).toBe(3);
    await page.getByTestId('alias-timeline').waitFor();
    await page.getByText('History as a table').click();
    const history = page.getByTestId('alias-history').locator('tbody tr');
    await history.first().waitFor();
    expect(await history.count()).toBe(5);
    const removed = history.filter({ hasText: 'staging' });
    expect(await removed.count()).toBe(1);
    expect(await removed.textContent()).toContain('alias removed');
    expect(await page.getByTestId('alias-timeline').getAttribute('aria-label')).toMatch(
      /staging on version 1 from .+ to .+ \(alias removed\)/,
    );
    expect(await axeViolations(page)).toEqual([]);

    // Champion against challenger, paired on the ids both predicted.
    const comparison = page.getByTestId('comparison');
    await comparison.getByTestId('comparison-metrics').waitFor();
    expect(await comparison.textContent()).toMatch(/McNemar/);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: /run of version 2/ }).click();
    await page.waitForURL((u) => u.pathname === '/experiments' && u.searchParams.has('experiment'));
    await page.getByTestId('run-comparison').waitFor();
    expect(await page.getByLabel('Compare gbm-depth5-18m').isChecked()).toBe(true);
  });

  it('promotes through the gate: a refusal shows the failed check with its numbers, a pass moves the alias', async () => {
    await page.goto(`${server.url}/registry`);
    await page.getByRole('button', { name: 'Promote version 1' }).click();
    const dialog = page.getByTestId('promote-dialog');
    await dialog.waitFor();
    await expect
      .poll(() => dialog.getByTestId('promote-summary').textContent())
      .toMatch(/from version 2 to version 1/);
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Promote to champion' }).click();
    const refused = dialog.getByTestId('promotion-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/✗ failed/);
    expect(await refused.textContent()).toMatch(/0\.842/);
    expect(await refused.textContent()).toMatch(/0\.857/);
    expect(await champion(server)).toBe('2');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Promote version 3' }).click();
    await dialog.getByRole('button', { name: 'Promote to champion' }).click();
    await dialog.getByText('Version 3 is now champion.').waitFor();
    expect(await dialog.getByTestId('gate-checks').textContent()).toMatch(/✓ passed/);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('alias-champion').getByText('version 3', { exact: true }).waitFor();
    expect(await champion(server)).toBe('3');
    // The audit trail of the model names the promotion and who made it.
    const audit = page.getByTestId('audit-trail');
    await audit.getByText('promote').first().waitFor();
    expect(await audit.textContent()).toMatch(/admin/);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('lets an editor roll back in one confirmed click', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const editor = await context.newPage();
    await signIn(editor, server.url, 'eddie', EDITOR_PASSWORD);
    await editor.goto(`${server.url}/registry`);
    const card = editor.getByTestId('alias-champion');
    await card.getByText('version 3', { exact: true }).waitFor();
    await card.getByRole('button', { name: 'Roll back champion' }).click();
    // Nothing happens before the confirmation; Cancel has the focus.
    expect(await champion(server)).toBe('3');
    await card.getByRole('button', { name: 'Roll back', exact: true }).click();
    await card.getByText('version 2', { exact: true }).waitFor();
    expect(await champion(server)).toBe('2');
    const history = (await (
      await server.api('/api/v1/models/demo-churn/aliases/champion/history')
    ).json()) as {
      data: { version: string; reason: string; set_by: string }[];
    };
    expect(history.data[0]).toMatchObject({ version: '2', reason: 'rollback', set_by: 'user:eddie' });
    await context.close();
  });

  it('passes the accessibility check in the dark theme too', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: 'dark' });
    const dark = await context.newPage();
    await signIn(dark, server.url, 'admin', ADMIN_PASSWORD);
    await dark.goto(`${server.url}/registry`);
    await dark.getByTestId('alias-timeline').waitFor();
    expect(['registry', await axeViolations(dark)]).toEqual(['registry', []]);
    await dark.goto(`${server.url}/experiments`);
    await dark.getByTestId('run-row').first().waitFor();
    expect(['experiments', await axeViolations(dark)]).toEqual(['experiments', []]);
    await context.close();
  });

  it('lets a viewer look but neither promote nor roll back', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const viewer = await context.newPage();
    await signIn(viewer, server.url, 'vera', VIEWER_PASSWORD);
    await viewer.goto(`${server.url}/registry`);
    await viewer.getByTestId('alias-champion').waitFor();
    await viewer.getByTestId('version-row').first().waitFor();
    expect(await viewer.getByTestId('version-row').count()).toBe(3);
    expect(await viewer.getByRole('button', { name: /^Promote/ }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: /^Roll back/ }).count()).toBe(0);
    await viewer.goto(`${server.url}/experiments`);
    await viewer.getByTestId('run-row').first().waitFor();
    expect(await viewer.getByTestId('run-row').count()).toBe(5);
    // The server refuses too, whatever the page shows.
    const refused = await viewer.evaluate(async () => {
      const session = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
      const answer = await fetch('/api/v1/models/demo-churn/aliases/champion/rollback', {
        method: 'POST',
        headers: { 'x-csrf-token': session.csrfToken },
      });
      return answer.status;
    });
    expect(refused).toBe(403);
    expect(await champion(server)).toBe('2');
    await context.close();
  });
});
