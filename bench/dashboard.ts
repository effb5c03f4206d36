/**
 * bench:dashboard — the overview of every model in a real browser.
 *
 * A real server on a free port with the built dashboard; `--models` models (1,000 by default) each
 * with 48 predictions over the last 24 hours sent over HTTP, one enabled monitor whose newest window
 * is ok / warning / alert / insufficient data in turn, and a firing alert on every tenth model.
 * Headless Chromium (Debian's chromium, 1366×768, a signed-in session) then loads `/`:
 *
 * - first meaningful paint: navigation start → the first model row is in the DOM and painted
 *   (a MutationObserver + requestAnimationFrame inside the page, on the page's own clock);
 * - interactive: navigation start → the search box, filled as soon as it exists, has filtered the
 *   table to the one matching model (the app answers input);
 * - cold (new browser context: nothing cached) and warm (a reload: hashed assets from the cache).
 *
 * Side by side: the same page with 10 models, and `GET /api/v1/overview` against `GET /api/v1/health`
 * on the same data. The overview is also fetched as sent without compression, gzip and brotli
 * (alternating, same server): bytes on the wire, and time from request to parsed JSON (the
 * client's decompression included). Median of `--runs` runs, every run printed. To compare two versions of the code,
 * run this in a checkout of each, back to back (docs/benchmarks.md says how).
 *
 *   npm run bench:dashboard [-- --models 1000 --runs 7]
 */
import { request as httpRequest } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { brotliDecompress, gunzip } from 'node:zlib';
import { startTestServer, type TestServer } from '../packages/server/src/testing/index.js';
import { launchBrowser, requireBuiltApp, signIn } from '../packages/web/test/browser.js';
import { benchArgs } from './args.js';
import { median, medianAndRuns } from './runs.js';

const { values: args } = benchArgs(import.meta.url, {
  models: { type: 'string', default: '1000' },
  runs: { type: 'string', default: '7' },
});
const MODELS = Number(args.models);
const RUNS = Number(args.runs);
const PASSWORD = 'bench-admin-password';
const HOUR_US = 3_600_000_000;

async function inParallel<T>(items: T[], width: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

async function populate(server: TestServer, count: number, prefix: string): Promise<void> {
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
  const now = Date.now();
  const projectId = (await server.store.ensureProject('default')).id;
  await inParallel(names, 4, async (name) => {
    const created = await server.api('/api/v1/models', { json: { name, task: 'binary_classification' } });
    if (created.status !== 201) throw new Error(`creating ${name}: ${await created.text()}`);
    const rows = Array.from({ length: 48 }, (_, i) => ({
      timestamp: new Date(now - i * 30 * 60_000 - 1000).toISOString(),
      version: 'v3',
      features: { amount: i },
      prediction: 1,
      score: 0.5,
    }));
    const sent = await server.api(`/api/v1/models/${name}/predictions`, { json: rows });
    if (sent.status !== 200) throw new Error(`predictions of ${name}: ${await sent.text()}`);
  });
  // Monitor results and alerts straight into the store: the health of each model without waiting
  // for evaluation (which would also compete for the CPU while the page is measured).
  const models = await server.store.listModels(projectId);
  const statuses = ['ok', 'warning', 'alert', 'insufficient_data'] as const;
  const windowStart = Math.floor((now * 1000 - 2 * HOUR_US) / HOUR_US) * HOUR_US;
  for (const [index, model] of models.filter((m) => m.name.startsWith(prefix)).entries()) {
    const monitor = await server.store.monitors.create({
      modelId: model.id,
      name: 'traffic-check',
      kind: 'traffic',
      enabled: true,
      isDefault: false,
      config: {},
    });
    await server.store.results.replaceWindow(monitor.id, windowStart, [
      {
        modelId: model.id,
        monitorId: monitor.id,
        monitorKind: 'traffic',
        version: null,
        segment: null,
        windowStartMicros: windowStart,
        windowEndMicros: windowStart + HOUR_US,
        feature: null,
        metric: 'count',
        value: 48,
        thresholdLower: 10,
        thresholdUpper: null,
        bandLower: null,
        bandUpper: null,
        sampleSize: 48,
        status: statuses[index % statuses.length]!,
        reason: null,
        details: {},
        evaluatedAtMicros: windowStart + HOUR_US,
      },
    ]);
    if (index % 10 === 0) {
      await server.store.alerts.applyEvaluation({
        cursor: 1,
        series: [],
        insertAlerts: [
          {
            fingerprint: `bench-${model.id}`,
            projectId,
            modelId: model.id,
            ruleId: null,
            ruleName: 'bench',
            state: 'firing',
            labels: { model: model.name },
            annotations: {},
            value: 1,
            thresholdLower: null,
            thresholdUpper: 0.5,
            windowStartMicros: windowStart,
            windowEndMicros: windowStart + HOUR_US,
            activeAtMs: now,
            firedAtMs: now,
            resolvedAtMs: null,
            updatedAtMs: now,
            groupIds: [],
          },
        ],
        updateAlerts: [],
        deleteAlerts: [],
        groups: [],
      });
    }
  }
}

/** Records, on the page's clock, when the first model row is painted and when a search answered. */
const PROBE = `
  window.__bench = {};
  const target = new URLSearchParams(location.search).get('bench');
  const observer = new MutationObserver(() => {
    const rows = document.querySelectorAll('[data-testid=model-row]');
    if (rows.length > 0 && window.__bench.fmp === undefined) {
      window.__bench.fmp = -1;
      requestAnimationFrame(() => { window.__bench.fmp = performance.now(); });
    }
    const box = document.querySelector('input[type=search]');
    if (box && !window.__bench.typed && target) {
      window.__bench.typed = true;
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      setter.call(box, target);
      box.dispatchEvent(new Event('input', { bubbles: true }));
    }
    if (target && window.__bench.tti === undefined && rows.length === 1 && rows[0].textContent.includes(target)) {
      window.__bench.tti = performance.now();
    }
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
`;

async function measurePage(server: TestServer, target: string) {
  const browser = await launchBrowser();
  const cold: { fmp: number[]; tti: number[] } = { fmp: [], tti: [] };
  const warm: { fmp: number[]; tti: number[] } = { fmp: [], tti: [] };
  try {
    const setup = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const signInPage = await setup.newPage();
    await signIn(signInPage, server.url, 'admin', PASSWORD);
    const storageState = await setup.storageState();
    await setup.close();
    const read = async (page: import('playwright-core').Page) => {
      await page.waitForFunction(
        '(window.__bench?.fmp ?? -1) > 0 && window.__bench?.tti !== undefined',
        undefined,
        { timeout: 60_000 },
      );
      return (await page.evaluate('window.__bench')) as { fmp: number; tti: number };
    };
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, storageState });
      await context.addInitScript(PROBE);
      const page = await context.newPage();
      await page.goto(`${server.url}/?bench=${encodeURIComponent(target)}`);
      const first = await read(page);
      cold.fmp.push(first.fmp);
      cold.tti.push(first.tti);
      await page.reload();
      const second = await read(page);
      warm.fmp.push(second.fmp);
      warm.tti.push(second.tti);
      if (run === 0) {
        const rendered = await page.locator('[data-testid=model-row]').count();
        console.log(`  rows in the DOM after the search: ${rendered}`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { cold, warm };
}

async function measureApi(server: TestServer, path: string): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const response = await server.api(path);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    times.push(performance.now() - start);
  }
  return times;
}

type Encoding = 'identity' | 'gzip' | 'br';
const ENCODINGS: Encoding[] = ['identity', 'gzip', 'br'];

/** One GET with the given Accept-Encoding: bytes as they crossed the wire, and ms to parsed JSON. */
function fetchEncoded(server: TestServer, path: string, encoding: Encoding) {
  const start = performance.now();
  return new Promise<{ bytes: number; ms: number }>((resolve, reject) => {
    const sent = httpRequest(
      `${server.url}${path}`,
      { headers: { authorization: `Bearer ${server.adminKey}`, 'accept-encoding': encoding } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const wire = Buffer.concat(chunks);
          const received = response.headers['content-encoding'] ?? 'identity';
          if (response.statusCode !== 200 || received !== encoding) {
            reject(new Error(`${path} (${encoding}): ${response.statusCode}, encoded ${received}`));
            return;
          }
          const parse = (error: Error | null, text: Buffer) => {
            if (error) return reject(error);
            JSON.parse(text.toString('utf8'));
            resolve({ bytes: wire.length, ms: performance.now() - start });
          };
          if (encoding === 'br') brotliDecompress(wire, parse);
          else if (encoding === 'gzip') gunzip(wire, parse);
          else parse(null, wire);
        });
      },
    );
    sent.on('error', reject);
    sent.end();
  });
}

async function measureEncodings(server: TestServer, path: string) {
  const result = Object.fromEntries(ENCODINGS.map((e) => [e, { bytes: 0, ms: [] as number[] }])) as Record<
    Encoding,
    { bytes: number; ms: number[] }
  >;
  for (let run = 0; run < RUNS; run++) {
    // Alternating, so a burst of load on the machine falls on every encoding alike.
    for (const encoding of run % 2 ? [...ENCODINGS].reverse() : ENCODINGS) {
      const { bytes, ms } = await fetchEncoded(server, path, encoding);
      result[encoding].bytes = bytes;
      result[encoding].ms.push(ms);
    }
  }
  for (const encoding of ENCODINGS) {
    const { bytes, ms } = result[encoding];
    console.log(
      `  GET ${path} ${encoding.padEnd(8)} ${(bytes / 1024).toFixed(1).padStart(6)} KiB, ${medianAndRuns(ms)}`,
    );
  }
  return result;
}

requireBuiltApp();
console.log(
  `bench:dashboard — ${MODELS} models, ${RUNS} runs; ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
);
const results: Record<string, unknown> = {};
for (const [label, count] of [
  ['small', 10],
  ['large', MODELS],
] as const) {
  const server = await startTestServer({ adminPassword: PASSWORD, logLevel: 'silent' });
  try {
    const setupStart = performance.now();
    await populate(server, count, 'model');
    console.log(`${count} models: set up in ${((performance.now() - setupStart) / 1000).toFixed(0)} s`);
    const overview = await server.api('/api/v1/overview');
    const bytes = (await overview.arrayBuffer()).byteLength;
    console.log(`  GET /api/v1/overview: ${(bytes / 1024).toFixed(0)} KiB of JSON`);
    const api = {
      overview: await measureApi(server, '/api/v1/overview'),
      health: await measureApi(server, '/api/v1/health'),
      encodings: await measureEncodings(server, '/api/v1/overview'),
    };
    console.log(`  GET /api/v1/overview ${medianAndRuns(api.overview)}`);
    console.log(`  GET /api/v1/health   ${medianAndRuns(api.health)}`);
    const page = await measurePage(server, `model-${String(count - 1).padStart(4, '0')}`);
    console.log(`  first meaningful paint, cold ${medianAndRuns(page.cold.fmp)}`);
    console.log(`  interactive,            cold ${medianAndRuns(page.cold.tti)}`);
    console.log(`  first meaningful paint, warm ${medianAndRuns(page.warm.fmp)}`);
    console.log(`  interactive,            warm ${medianAndRuns(page.warm.tti)}`);
    results[label] = { count, api, page };
  } finally {
    await server.close();
  }
}
const small = results.small as {
  page: { cold: { fmp: number[]; tti: number[] } };
  api: { overview: number[] };
};
const large = results.large as {
  page: { cold: { fmp: number[]; tti: number[] } };
  api: { overview: number[]; health: number[]; encodings: Record<Encoding, { bytes: number; ms: number[] }> };
};
console.log('\nratios (medians):');
console.log(
  `  first meaningful paint, cold: ${MODELS} models / 10 models = ${(median(large.page.cold.fmp) / median(small.page.cold.fmp)).toFixed(2)}×`,
);
console.log(
  `  GET /api/v1/health / GET /api/v1/overview with ${MODELS} models = ${(median(large.api.health) / median(large.api.overview)).toFixed(2)}×`,
);
for (const encoding of ['gzip', 'br'] as const) {
  const plain = large.api.encodings.identity;
  const packed = large.api.encodings[encoding];
  console.log(
    `  GET /api/v1/overview with ${MODELS} models, ${encoding} / uncompressed: bytes ${(packed.bytes / plain.bytes).toFixed(3)}×, ` +
      `time to parsed JSON ${(median(packed.ms) / median(plain.ms)).toFixed(2)}×`,
  );
}
