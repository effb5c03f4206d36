/**
 * Driving the built dashboard in a real headless Chromium (Debian's `chromium` package through
 * playwright-core: browser downloads are not needed), plus the axe-core accessibility check.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/** The built app that the server serves (`bash scripts/build-web.sh` writes it). */
export const WEB_DIR = fileURLToPath(new URL('../dist/app', import.meta.url));

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** The Chromium to drive: `VIGIL_CHROMIUM` if set, else the usual system paths. */
export function chromiumPath(): string {
  const configured = process.env.VIGIL_CHROMIUM;
  if (configured) {
    if (!existsSync(configured))
      throw new Error(`VIGIL_CHROMIUM is set to ${configured}, which does not exist.`);
    return configured;
  }
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      'The dashboard tests need Chromium and found none. Install it (Debian/Ubuntu: `apt-get install -y chromium`; ' +
        '`.ci/run` does this) or point VIGIL_CHROMIUM at a Chromium or Chrome binary.',
    );
  }
  return found;
}

/** Fails with what to run when the app has not been built. */
export function requireBuiltApp(): string {
  if (!existsSync(`${WEB_DIR}/index.html`)) {
    throw new Error(
      `The dashboard is not built (${WEB_DIR}/index.html is missing); run \`bash scripts/build-web.sh\`.`,
    );
  }
  return WEB_DIR;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Root in containers cannot use Chromium's sandbox; the pages are our own.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's WCAG 2.1 A/AA rules on the page as it is; returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  // A string, evaluated in the page: this file is type-checked for Node, without the DOM's types.
  const options = {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  };
  const violations = (await page.evaluate(`axe.run(document, ${JSON.stringify(options)}).then((result) =>
    result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.map(String).join(' ')),
    })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
