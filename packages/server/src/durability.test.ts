/**
 * The durability promise, tested the hard way: a server process is killed with
 * SIGKILL in the middle of ingestion, restarted on the same data folder, and every
 * record it acknowledged must be there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  CHILD_SERVER_SCRIPT,
  type ChildServer,
  childProcessTestTimeout,
  childServerEnv,
  spawnNodeScript,
  stopChild,
} from './testing/child-process.js';

// Tests here start child processes, whose start-up a loaded machine can make slow.
vi.setConfig({ testTimeout: childProcessTestTimeout(2, 120_000) });

const KEY = 'vk_durability_test_key_0123456789';
const dataDir = mkdtempSync(join(tmpdir(), 'vigil-kill9-'));
const env = childServerEnv(dataDir, KEY);
let child: ChildServer | undefined;

afterAll(() => {
  child?.process.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function api(url: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

// Recent times, so the overview's traffic (the rollup kept at ingestion) covers every record.
const START_MS = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;

function batch(writer: number, n: number, size: number) {
  return Array.from({ length: size }, (_, i) => ({
    id: `w${writer}-b${n}-${i}`,
    timestamp: START_MS + n * 1000 + i,
    features: { x: i, city: `c${i % 7}` },
    prediction: i % 2,
    score: (i % 100) / 100,
    ...(i % 3 === 0 ? { label: i % 2 } : {}),
  }));
}

/** The timestamp `batch` gave the record with this id. */
function timeOfId(id: string): number {
  const [, n, i] = /^w\d+-b(\d+)-(\d+)$/.exec(id)!;
  return START_MS + Number(n) * 1000 + Number(i);
}

describe('kill -9 durability', () => {
  it('keeps every acknowledged record after SIGKILL and restart', async () => {
    child = await spawnNodeScript(CHILD_SERVER_SCRIPT, [], env);
    const first = child;
    expect(
      (await api(first.url, '/api/v1/models', { name: 'durable', task: 'binary_classification' })).status,
    ).toBe(201);

    const acknowledged = new Set<string>();
    const labeled = new Set<string>();
    let killed = false;
    const failures: string[] = [];
    // Four writers send batches back to back; the server is killed while they are in flight.
    const writers = Array.from({ length: 4 }, async (_, writer) => {
      for (let n = 0; !killed; n++) {
        const records = batch(writer, n, 200);
        try {
          const response = await api(first.url, '/api/v1/models/durable/predictions', records);
          if (response.status !== 200) {
            failures.push(`HTTP ${response.status}: ${await response.text()}`);
            return;
          }
          const body = (await response.json()) as { accepted: number };
          expect(body.accepted).toBe(records.length);
          for (const r of records) {
            acknowledged.add(r.id);
            if ('label' in r) labeled.add(r.id);
          }
        } catch {
          return; // the connection died with the server: this batch was never acknowledged
        }
      }
    });
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (acknowledged.size >= 4000 || failures.length > 0) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    const exited = stopChild(first.process, 'SIGKILL');
    killed = true;
    await Promise.all(writers);
    await exited;

    child = await spawnNodeScript(CHILD_SERVER_SCRIPT, [], env);
    const stored = new Set<string>();
    let storedLabels = 0;
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await (
        await api(child.url, `/api/v1/models/durable/predictions?limit=1000${query}`)
      ).json()) as {
        data: { id: string; label: number | null }[];
        next_cursor: string | null;
      };
      for (const p of page.data) {
        stored.add(p.id);
        if (p.label !== null) storedLabels++;
      }
      cursor = page.next_cursor;
    } while (cursor);

    expect(failures).toEqual([]);
    const lost = [...acknowledged].filter((id) => !stored.has(id));
    expect(acknowledged.size).toBeGreaterThanOrEqual(4000);
    expect(lost).toEqual([]);
    expect(storedLabels).toBeGreaterThanOrEqual(labeled.size);

    // The traffic rollup was written in the rows' transactions: it agrees with them exactly.
    const overview = (await (await api(child.url, '/api/v1/overview')).json()) as {
      data: { traffic: number[]; last_prediction_at: string | null }[];
    };
    const [model] = overview.data;
    expect(model!.traffic.reduce((a, b) => a + b, 0)).toBe(stored.size);
    const newest = Math.max(...[...stored].map((id) => timeOfId(id)));
    expect(Date.parse(model!.last_prediction_at!)).toBe(newest);
  });
});
