/**
 * bench:schema — the cost of wide schemas: a model registered with N declared features, a
 * schema PATCH that retypes all N features of a model holding 1,000 predictions (N new
 * columns), and a schema inferred from a 100-row reference upload with N features; for
 * N = 100, 1,000 and 2,000. Each N runs in a fresh server process (separate data folder),
 * so the peak RSS reported is that N's own.
 *
 * With `--baseline <git ref>`, the same runs go against that revision of the server too
 * (extracted with `git archive` into .bench/schema/<ref>/, sharing this checkout's
 * node_modules), and the table shows both with their ratios.
 *
 *   npm run bench:schema [-- --columns 100,1000,2000 --baseline <git ref>]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  CHILD_SERVER_SCRIPT,
  childServerEnv,
  spawnNodeScript,
} from '../packages/server/src/testing/child-process.js';
import { benchArgs } from './args.js';

const { values: args } = benchArgs(import.meta.url, {
  columns: { type: 'string', default: '100,1000,2000' },
  baseline: { type: 'string' },
});
const SIZES = args.columns.split(',').map(Number);
const KEY = 'vk_bench_admin_key_0123456789abcdef';
const ROWS = 1000;
const REFERENCE_ROWS = 100;
const workDir = join(process.cwd(), '.bench', 'schema');

function peakRssMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

async function api(url: string, method: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

async function timed(body: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await body();
  return (performance.now() - started) / 1000;
}

const features = (n: number, type: string) => Array.from({ length: n }, (_, i) => ({ name: `f${i}`, type }));

interface Result {
  create: number;
  patch: number;
  infer: number;
  peakRssMiB: number;
}

async function run(script: string, n: number, label: string): Promise<Result> {
  const dataDir = join(workDir, `data-${label}-${n}`);
  rmSync(dataDir, { recursive: true, force: true });
  const server = await spawnNodeScript(
    script,
    [],
    childServerEnv(dataDir, KEY, { VIGIL_MAX_COLUMNS_PER_MODEL: String(Math.max(10_000, 3 * n)) }),
  );
  try {
    const { url } = server;
    const create = await timed(() =>
      api(url, 'POST', '/api/v1/models', {
        name: 'declared',
        task: 'regression',
        schema: { features: features(n, 'numeric') },
      }),
    );
    const rows = Array.from({ length: ROWS }, (_, r) => ({
      id: `r${r}`,
      features: Object.fromEntries(Array.from({ length: Math.min(n, 20) }, (_, i) => [`f${i}`, r + i])),
      prediction: r,
    }));
    await api(url, 'POST', '/api/v1/models/declared/predictions', rows);
    const patch = await timed(() =>
      api(url, 'PATCH', '/api/v1/models/declared', { schema: { features: features(n, 'categorical') } }),
    );
    await api(url, 'POST', '/api/v1/models', { name: 'inferred', task: 'regression' });
    const reference = Array.from({ length: REFERENCE_ROWS }, (_, r) => ({
      ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, r * i])),
      prediction: r,
    }));
    const infer = await timed(() => api(url, 'POST', '/api/v1/models/inferred/reference', reference));
    return { create, patch, infer, peakRssMiB: peakRssMiB(server.process.pid!) };
  } finally {
    server.process.kill('SIGTERM');
    await new Promise((resolve) => server.process.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The baseline revision's child server script, extracted once. */
function baselineScript(ref: string): { script: string; label: string } {
  const sha = execFileSync('git', ['rev-parse', '--short', ref], { encoding: 'utf8' }).trim();
  const dir = join(workDir, sha);
  if (!existsSync(join(dir, 'packages'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('bash', ['-c', `git archive ${sha} packages | tar -x -C '${dir}'`]);
  }
  return { script: join(dir, 'packages/server/src/testing/child-server.ts'), label: sha };
}

mkdirSync(workDir, { recursive: true });
const baseline = args.baseline ? baselineScript(args.baseline) : null;
console.log(`bench:schema, columns ${SIZES.join(', ')}; ${ROWS} predictions carried over by the PATCH`);
console.log('');
const seconds = (s: number) => s.toFixed(2);
const ratio = (old: number, now: number) => `${(old / now).toFixed(1)}x`;
if (baseline) {
  console.log(`| columns | operation | ${baseline.label} | now | ${baseline.label} / now |`);
  console.log('| ---: | --- | ---: | ---: | ---: |');
} else {
  console.log('| columns | create (s) | PATCH (s) | inferred (s) | peak RSS (MiB) |');
  console.log('| ---: | ---: | ---: | ---: | ---: |');
}
for (const n of SIZES) {
  const now = await run(CHILD_SERVER_SCRIPT, n, 'now');
  if (!baseline) {
    console.log(
      `| ${n} | ${seconds(now.create)} | ${seconds(now.patch)} | ${seconds(now.infer)} | ${now.peakRssMiB.toFixed(0)} |`,
    );
    continue;
  }
  const old = await run(baseline.script, n, baseline.label);
  const rows: [string, number, number, (v: number) => string][] = [
    ['register with schema (s)', old.create, now.create, seconds],
    ['PATCH retyping all (s)', old.patch, now.patch, seconds],
    ['schema inferred from reference (s)', old.infer, now.infer, seconds],
    ['server peak RSS (MiB)', old.peakRssMiB, now.peakRssMiB, (v) => v.toFixed(0)],
  ];
  for (const [name, a, b, format] of rows) {
    console.log(`| ${n} | ${name} | ${format(a)} | ${format(b)} | ${ratio(a, b)} |`);
  }
}
