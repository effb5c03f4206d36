/**
 * Evaluation survives a crash: a server is killed with SIGKILL while it works through a backlog
 * of windows, restarted on the same data folder, and in the end every window has its results
 * exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSeededRandom } from '@vigil/stats';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  CHILD_SERVER_SCRIPT,
  type ChildServer,
  childProcessTestTimeout,
  childServerEnv,
  spawnNodeScript,
  stopChild,
} from '../testing/child-process.js';
import { waitForEvaluation } from '../testing/index.js';

// Tests here start child processes, whose start-up a loaded machine can make slow.
vi.setConfig({ testTimeout: childProcessTestTimeout(2, 180_000) });

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field in assertions
type Json = any;

const KEY = 'vk_restart_test_key_0123456789abcd';
const SEED = 4242;
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 9, 1);
const WINDOWS = 12;
const dataDir = mkdtempSync(join(tmpdir(), 'vigil-eval-kill9-'));
const env = childServerEnv(dataDir, KEY, { VIGIL_EVALUATION_DEBOUNCE_MS: '0' });
let child: ChildServer | undefined;

afterAll(() => {
  child?.process.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(url: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, Json> };
}

async function allResults(url: string) {
  const rows: Record<string, Json>[] = [];
  let cursor: string | null = null;
  do {
    const page = await call(url, `/api/v1/models/m/results?limit=5000${cursor ? `&cursor=${cursor}` : ''}`);
    rows.push(...page.body.data);
    cursor = page.body.next_cursor;
  } while (cursor);
  return rows;
}

describe('evaluation and kill -9', () => {
  it('neither loses nor doubles a window after SIGKILL during evaluation', async () => {
    console.log(`restart test seed ${SEED}`);
    const random = createSeededRandom(SEED);
    const row = () => {
      const x = random.normal();
      return {
        x,
        c: random.uniform() < 0.5 ? 'a' : 'b',
        prediction: x > 0 ? 1 : 0,
        score: 1 / (1 + Math.exp(-x)),
        label: x > 0.1 ? 1 : 0,
      };
    };
    child = await spawnNodeScript(CHILD_SERVER_SCRIPT, [], env);
    const schema = {
      features: [
        { name: 'x', type: 'numeric' },
        { name: 'c', type: 'categorical' },
      ],
      score_field: 'score',
    };
    expect(
      (await call(child.url, '/api/v1/models', { name: 'm', task: 'binary_classification', schema })).status,
    ).toBe(201);
    expect(
      (await call(child.url, '/api/v1/models/m/reference', Array.from({ length: 2000 }, row))).status,
    ).toBe(200);
    const predictions = Array.from({ length: WINDOWS * 150 }, (_, i) => {
      const r = row();
      return {
        id: `p${i}`,
        timestamp: new Date(T0 + Math.floor(i / 150) * HOUR_MS + (i % 150) * 1000).toISOString(),
        features: { x: r.x, c: r.c },
        prediction: r.prediction,
        score: r.score,
      };
    });
    expect((await call(child.url, '/api/v1/models/m/predictions', predictions)).status).toBe(200);

    // Kill as soon as evaluation has written something.
    for (let i = 0; i < 2000; i++) {
      if ((await call(child.url, '/api/v1/models/m/results?limit=1')).body.data.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const before = await call(child.url, '/api/v1/models/m/monitors');
    const pendingAtKill = before.body.data.reduce(
      (n: number, m: { pending_windows: number }) => n + m.pending_windows,
      0,
    );
    await stopChild(child.process, 'SIGKILL');
    console.log(`killed with ${pendingAtKill} windows pending`);

    child = await spawnNodeScript(CHILD_SERVER_SCRIPT, [], env);
    await waitForEvaluation({ url: child.url, adminKey: KEY }, 'm', { maxPolls: 3000, pollMs: 20 });
    const results = await allResults(child.url);
    const keys = results.map((r) => `${r.monitor}|${r.window_start}|${r.feature}|${r.metric}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const monitor of ['data-quality', 'feature-drift', 'prediction-drift', 'traffic']) {
      const windows = new Set(results.filter((r) => r.monitor === monitor).map((r) => r.window_start));
      for (let w = 0; w < WINDOWS; w++)
        expect(windows.has(new Date(T0 + w * HOUR_MS).toISOString())).toBe(true);
    }
    const drift = results.filter((r) => r.monitor === 'feature-drift');
    expect(drift).toHaveLength(WINDOWS * 2);
  });
});
