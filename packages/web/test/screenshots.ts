/**
 * `npm run screenshots`: a PNG of every dashboard page with the demo's data, in screenshots/
 * (not committed), to look at after a change. A real server on a free port with a temporary
 * data folder, the built app, and headless Chromium at a laptop's 1366×768 (full pages).
 * The empty overview is taken first, before the demo starts; the overview also in the dark theme.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROMPT_MONITORING, startTestServer } from '@vigil/server/testing';
import type { Page } from 'playwright-core';
import { launchBrowser, requireBuiltApp, signIn } from './browser.js';

const OUT = resolve(process.argv[2] ?? 'screenshots');
const PASSWORD = 'screenshots-admin-password';

async function until<T>(what: string, probe: () => Promise<T | undefined>, seconds = 120): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Timed out waiting for ${what}.`);
}

async function settle(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await until('the page to load', async () =>
    (await page.locator('.state-loading').count()) === 0 ? true : undefined,
  );
  // Charts animate in; wait for them to finish drawing.
  await page.waitForTimeout(900);
}

requireBuiltApp();
mkdirSync(OUT, { recursive: true });
const server = await startTestServer({
  adminPassword: PASSWORD,
  monitoring: PROMPT_MONITORING,
});
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, colorScheme: 'light' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  const shoot = async (name: string) => {
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
    console.log(`${join(OUT, `${name}.png`)}`);
  };

  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('User name').waitFor();
  await shoot('sign-in');
  await signIn(page, server.url, 'admin', PASSWORD);
  await settle(page);
  await shoot('overview-empty');

  const started = await server.api('/api/v1/demo', { json: { hours: 48, rate_per_hour: 400 } });
  if (started.status !== 201 && started.status !== 200)
    throw new Error(`The demo did not start: ${await started.text()}`);
  const { model } = (await started.json()) as { model: string };
  // Every page shows the demo's whole history only once the monitors have evaluated it: wait
  // until no evaluation is due (the stream schedules new ones as it goes, so "none due now").
  await until(
    'the history to be evaluated',
    async () => {
      const due = await server.store.evaluationTasks.nextDueMicros();
      return due === null || due > Date.now() * 1000 ? true : undefined;
    },
    300,
  );
  // An alert that is open (firing and not inhibited), as someone following one would open.
  const alert = await until('a firing alert', async () => {
    const body = (await (await server.api('/api/v1/alerts?state=firing&limit=1000')).json()) as {
      data: { id: number; inhibited_by: number[] }[];
    };
    return body.data.find((a) => a.inhibited_by.length === 0);
  });
  const driftMap = (await (await server.api(`/api/v1/models/${model}/drift-map`)).json()) as {
    features: { feature: string }[];
  };
  const feature = driftMap.features[0]?.feature;

  const pages: [string, string][] = [
    ['overview', '/'],
    ['model', `/models/${encodeURIComponent(model)}`],
    ...(feature
      ? ([['feature', `/models/${encodeURIComponent(model)}/features/${encodeURIComponent(feature)}`]] as [
          string,
          string,
        ][])
      : []),
    ['alerts', '/alerts'],
    ['alert', `/alerts/${alert.id}`],
    ['monitors', '/monitors'],
    ['channels', '/channels'],
    ['registry', `/registry?model=${encodeURIComponent(model)}`],
    ['admin', '/admin'],
  ];
  for (const [name, path] of pages) {
    await page.goto(`${server.url}${path}`);
    await settle(page);
    await shoot(name);
  }
  // Experiments: the demo's runs, two of them compared.
  await page.goto(`${server.url}/experiments`);
  await settle(page);
  await shoot('experiments');
  await page.getByLabel('Compare gbm-depth4').check();
  await page.getByLabel('Compare gbm-depth5-18m').check();
  await page.getByTestId('metric-chart').waitFor();
  await settle(page);
  await shoot('experiments-compare');
  // The registry's promotion dialog, refused by the gate.
  await page.goto(`${server.url}/registry?model=${encodeURIComponent(model)}`);
  await settle(page);
  await page.getByRole('button', { name: 'Promote version 1' }).click();
  await page.getByRole('button', { name: 'Promote to champion' }).click();
  await page.getByTestId('promotion-refused').waitFor();
  await shoot('registry-promotion-refused');

  await page.goto(`${server.url}/`);
  await page.getByRole('button', { name: /Switch to the dark theme/ }).click();
  await settle(page);
  await shoot('overview-dark');
  await page.goto(`${server.url}/models/${encodeURIComponent(model)}`);
  await settle(page);
  await shoot('model-dark');
  await page.goto(`${server.url}/registry?model=${encodeURIComponent(model)}`);
  await settle(page);
  await shoot('registry-dark');
} finally {
  await browser.close();
  await server.close();
}
