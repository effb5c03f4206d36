/**
 * The HTML report in a real headless Chromium (Debian's `chromium` through playwright-core): it
 * renders from the file alone with every request blocked, shows the summary first and a chart
 * per feature, passes axe-core's serious checks, and leaves a screenshot to look at
 * (`VIGIL_REPORT_SCREENSHOT=<file.png>` keeps it).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVigil } from '../run-in-process.test-support.js';
import { SAMPLE_HEADER, sampleRows, toCsv } from './report.test-support.js';

const CHROMIUM = [process.env.VIGIL_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path): path is string => path !== undefined && existsSync(path),
);

const dir = mkdtempSync(join(tmpdir(), 'vigil-report-html-'));
let browser: Browser;

beforeAll(async () => {
  if (!CHROMIUM) {
    throw new Error(
      'The report browser check needs Chromium (Debian/Ubuntu: `apt-get install -y chromium`) or VIGIL_CHROMIUM.',
    );
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  await writeFile(
    join(dir, 'train.csv'),
    toCsv(SAMPLE_HEADER, sampleRows({ rows: 2000, shift: 0, seed: 5 })),
  );
  await writeFile(join(dir, 'week.csv'), toCsv(SAMPLE_HEADER, sampleRows({ rows: 800, shift: 1, seed: 6 })));
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the HTML report in a browser', () => {
  it('renders offline: summary first, a chart per feature, no request leaves the page', async () => {
    const result = await runVigil(
      [
        'report',
        '--reference',
        'train.csv',
        '--current',
        'week.csv',
        '--target',
        'y',
        '--prediction',
        'y_hat',
        '--score',
        'p',
        '--segment',
        'region',
        '--out',
        'report.html',
      ],
      {},
      dir,
    );
    expect(result.code, result.stderr).toBe(0);
    const file = join(dir, 'report.html');
    // Small enough to mail: well under a megabyte for a handful of features.
    expect((await stat(file)).size).toBeLessThan(200_000);

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(file).href);

    await expect(page.getByRole('heading', { name: 'Data drift report' }).isVisible()).resolves.toBe(true);
    const verdict = await page.locator('.verdict').first().textContent();
    expect(verdict).toMatch(/^2 of 4 features drifted/);
    // The summary comes before the details.
    const order = await page.evaluate(`[...document.querySelectorAll('h2')].map((h) => h.textContent)`);
    expect(order).toEqual([
      'Look at first',
      'Data quality',
      'Feature drift',
      'Prediction and target drift',
      'Multivariate drift',
      'Performance',
      'Estimated performance (CBPE)',
      'Fairness by region',
    ]);
    expect(await page.locator('section.feature svg').count()).toBe(4 + 3);
    const chartBox = await page.locator('#f-age svg').boundingBox();
    expect(chartBox?.width).toBeGreaterThan(200);
    expect(chartBox?.height).toBeGreaterThan(60);

    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    await page.addScriptTag({ content: axeSource });
    const violations = (await page.evaluate(
      `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.help))`,
    )) as string[];
    expect(violations).toEqual([]);

    const screenshot = process.env.VIGIL_REPORT_SCREENSHOT ?? join(dir, 'report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect((await stat(screenshot)).size).toBeGreaterThan(20_000);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
