/**
 * Schema changes survive a crash whole or not at all: a server is killed with SIGKILL
 * while a wide schema is being applied, and the data folder must hold consistent models
 * (each schema's features and segments exactly the declared columns) after a restart.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { schemaColumns } from './storage/columns.js';
import { DuckDbStore } from './storage/duckdb/store.js';
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

const KEY = 'vk_schema_durability_key_0123456789';
const dataDir = mkdtempSync(join(tmpdir(), 'vigil-schema-kill9-'));
const env = childServerEnv(dataDir, KEY, { VIGIL_MAX_COLUMNS_PER_MODEL: '10000' });
const FEATURES = 1000;
let child: ChildServer | undefined;

afterAll(() => {
  child?.process.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function api(url: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const schema = (type: string) => ({
  features: Array.from({ length: FEATURES }, (_, i) => ({ name: `f${i}`, type })),
  segments: ['zone'],
});

function walSize(): number {
  try {
    return statSync(join(dataDir, 'vigil.duckdb.wal')).size;
  } catch {
    return 0;
  }
}

describe('kill -9 during a schema change', () => {
  it('finds every model consistent after a restart', async () => {
    child = await spawnNodeScript(CHILD_SERVER_SCRIPT, [], env);
    const first = child;
    let acknowledged = 0;
    let walAtAck = walSize();
    let killed = false;
    const failures: string[] = [];
    // One client applies wide schemas back to back: a declared schema at creation, a
    // PATCH that retypes every feature (as many new columns), a schema inferred from a
    // reference upload.
    const client = (async () => {
      const record = Object.fromEntries(Array.from({ length: FEATURES }, (_, i) => [`f${i}`, i]));
      for (let n = 0; !killed; n++) {
        const steps: [string, string, unknown][] = [
          ['POST', '/api/v1/models', { name: `m${n}`, task: 'regression', schema: schema('numeric') }],
          ['PATCH', `/api/v1/models/m${n}`, { schema: schema('categorical') }],
          ['POST', '/api/v1/models', { name: `r${n}`, task: 'regression' }],
          ['POST', `/api/v1/models/r${n}/reference`, [{ ...record, prediction: 1 }]],
        ];
        for (const [method, path, body] of steps) {
          try {
            const response = await api(first.url, method, path, body);
            if (response.status >= 300) {
              failures.push(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
              return;
            }
            acknowledged++;
            walAtAck = walSize();
          } catch {
            return; // the server died with this request in flight
          }
        }
      }
    })();
    // Kill once a change after the first is being written: the log grows past the last answer.
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (failures.length > 0 || (acknowledged >= 1 && walSize() !== walAtAck)) {
          clearInterval(check);
          resolve();
        }
      }, 2);
    });
    const exited = stopChild(first.process, 'SIGKILL');
    killed = true;
    await client;
    await exited;
    expect(failures).toEqual([]);

    // Every model with a schema has exactly the schema's columns declared, of the schema's types.
    const store = await DuckDbStore.open({ path: join(dataDir, 'vigil.duckdb') });
    await store.migrate();
    const project = await store.ensureProject('default');
    const models = await store.listModels(project.id);
    expect(models.length).toBeGreaterThanOrEqual(1);
    for (const model of models) {
      const declared = (await store.listColumns(model.id))
        .filter((c) => c.declared)
        .map((c) => `${c.role}:${c.name}:${c.type}`);
      const expected = model.schema
        ? schemaColumns(model.schema).map((c) => `${c.role}:${c.name}:${c.type}`)
        : [];
      expect({ model: model.name, declared: declared.sort() }).toEqual({
        model: model.name,
        declared: expected.sort(),
      });
    }
    await store.close();

    // A restarted server stores a full record in each model without a violation.
    child = await spawnNodeScript(CHILD_SERVER_SCRIPT, [], env);
    const record = Object.fromEntries(Array.from({ length: FEATURES }, (_, i) => [`f${i}`, String(i)]));
    for (const model of models.filter(
      (m) => m.schema !== null && m.schema.features[0]?.type === 'categorical',
    )) {
      const response = await api(child.url, 'POST', `/api/v1/models/${model.name}/predictions`, [
        { id: 'after', features: record, segments: { zone: 'z' }, prediction: 1 },
      ]);
      expect(await response.json()).toMatchObject({ accepted: 1, quality_violations: 0 });
    }
  });
});
