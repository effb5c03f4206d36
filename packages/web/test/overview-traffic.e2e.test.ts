/**
 * The overview's sparkline for the hour still filling, in headless Chromium against a real server
 * whose clock stands twenty minutes into an hour. A model with a steady
 * 12 predictions an hour has 4 so far; its line must not dip to 4 but reach the rate so far (12
 * an hour), drawn dashed, and say so to screen readers. A model with nothing this hour shows the
 * real drop.
 */
import { startTestServer, type TestServer } from '@vigil/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, requireBuiltApp, signIn } from './browser.js';

const HOUR = 3_600_000;
// 20 minutes into an hour that has passed (the session cookie's expiry follows the server's clock).
const NOW = Math.floor(Date.now() / HOUR) * HOUR - HOUR + 20 * 60_000;
const PASSWORD = 'traffic-admin-password';

let server: TestServer;
let browser: Browser;
let page: Page;

async function send(model: string, timestamps: number[]): Promise<void> {
  const created = await server.api('/api/v1/models', {
    json: { name: model, task: 'binary_classification' },
  });
  expect(created.status).toBe(201);
  const sent = await server.api(`/api/v1/models/${model}/predictions`, {
    json: timestamps.map((t) => ({
      timestamp: new Date(t).toISOString(),
      features: { amount: 1 },
      prediction: 1,
    })),
  });
  expect(sent.status).toBe(200);
}

beforeAll(async () => {
  const webDir = requireBuiltApp();
  server = await startTestServer({ webDir, adminPassword: PASSWORD }, { now: () => NOW });
  const currentHour = Math.floor(NOW / HOUR) * HOUR;
  // 12 an hour over the 23 whole hours before this one (every five minutes).
  const wholeHours = Array.from({ length: 23 * 12 }, (_, i) => currentHour - (i + 1) * 300_000);
  await send('steady', [...wholeHours, ...[0, 5, 10, 15].map((m) => currentHour + m * 60_000)]);
  await send('stopped', wholeHours);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
  await signIn(page, server.url, 'admin', PASSWORD);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the current hour in the overview sparkline', () => {
  it('draws it dashed at its rate so far, and a real drop as a drop', async () => {
    await page.goto(`${server.url}/`);
    const row = (model: string) => page.getByTestId('model-row').filter({ hasText: model });
    const steady = row('steady').locator('svg.sparkline');
    await steady.waitFor();
    expect(await steady.getAttribute('aria-label')).toBe(
      '280 predictions in the last 24 hours, peak 12 per hour; the current hour so far 4 in 20 min ' +
        '(about 12 per hour at that rate, drawn dashed)',
    );
    // The dashed segment ends level with the whole hours before it: no dip.
    const partial = steady.getByTestId('sparkline-partial');
    const line = partial.locator('line');
    const [y1, y2] = [Number(await line.getAttribute('y1')), Number(await line.getAttribute('y2'))];
    expect(Math.abs(y1 - y2)).toBeLessThan(0.5);

    const stopped = row('stopped').locator('svg.sparkline');
    expect(await stopped.getAttribute('aria-label')).toContain(
      'the current hour so far 0 in 20 min (about 0 per hour',
    );
    const drop = stopped.getByTestId('sparkline-partial').locator('line');
    expect(Number(await drop.getAttribute('y2'))).toBeGreaterThan(Number(await drop.getAttribute('y1')) + 10);
  });
});
