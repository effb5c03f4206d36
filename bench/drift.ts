/**
 * bench:drift — a full drift computation over 20 numeric and 5 categorical features, reference
 * 500,000 rows against current 500,000 rows, side by side in one run with Evidently's
 * `DataDriftPreset` and with a numpy/scipy baseline on the same data.
 *
 *   npm run bench:drift [-- --rows 500000 --runs 3 --warmup 1 --baseline main]
 *
 * Steps: (1) create the Python venv `.bench/venv` from scripts/bench/requirements.txt when it is
 * missing or the requirements changed; (2) generate the seeded data once into `.bench/data/` as raw
 * little-endian float64 files (numeric) and uint8 codes with a dictionary (categorical), read by
 * every contender; (3) run each contender in its own process (so each peak RSS is its own): Vigil on
 * raw values, Vigil on bin counts (the server's path), Evidently and the numpy/scipy baseline;
 * (4) print wall times (median of the timed runs after the warm-up), peak RSS, ratios to Vigil, and
 * whether the contenders agree on which features drifted. Loading the data is never timed.
 * `--baseline <git ref>` also runs both Vigil contenders on that commit's `@vigil/stats` (extracted
 * into `.bench/baseline/<commit>`), each right before the current code, and checks that every
 * statistic is identical: old and new side by side under the same load.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ColumnDriftInput, ModelDriftResult } from '@vigil/stats';
import * as currentStats from '@vigil/stats';
import { benchArgs } from './args.js';
import { median } from './runs.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, '.bench');
const venvDir = join(benchDir, 'venv');
const venvPython = join(venvDir, 'bin', 'python');
const requirementsFile = join(root, 'scripts', 'bench', 'requirements.txt');
const pythonScript = join(root, 'bench', 'drift_baselines.py');

const { values: args } = benchArgs(import.meta.url, {
  rows: { type: 'string', default: '500000' },
  runs: { type: 'string', default: '3' },
  warmup: { type: 'string', default: '1' },
  python: { type: 'string', default: 'python3' },
  baseline: { type: 'string' },
  contender: { type: 'string' },
  data: { type: 'string' },
  out: { type: 'string' },
  stats: { type: 'string' },
  label: { type: 'string' },
});

/** The statistics package under test: this checkout's, or a baseline's source given by `--stats`. */
type Stats = typeof currentStats;
let stats: Stats = currentStats;
const ROWS = Number(args.rows);
const RUNS = Number(args.runs);
const WARMUP = Number(args.warmup);
const SEED = 20_240_611;
/** Bumped whenever the generated data changes, so stale files are regenerated. */
const DATA_VERSION = 1;

// ---------------------------------------------------------------------------------------------------
// Data: 20 numeric and 5 categorical features, some drifted, some moved by less than the threshold.

/** A seeded generator (xorshift128+ style state, 53-bit uniforms) so every run sees the same data. */
function seededRandom(seed: number) {
  let a = seed >>> 0 || 1;
  let b = Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) >>> 0 || 2;
  const next32 = (): number => {
    let t = a;
    const s = b;
    a = s;
    t ^= t << 11;
    t ^= t >>> 8;
    b = (t ^ s ^ (s >>> 19)) >>> 0;
    return (b + s) >>> 0;
  };
  for (let i = 0; i < 16; i++) next32();
  const uniform = (): number => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
  const normal = (): number => {
    let u = uniform();
    while (u === 0) u = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  const exponential = (): number => -Math.log(1 - uniform());
  return { uniform, normal, exponential };
}
type Random = ReturnType<typeof seededRandom>;

interface NumericSpec {
  name: string;
  /** What differs between the windows; `drift: true` where the change is above the default threshold. */
  change: string;
  drift: boolean;
  reference: (r: Random) => number;
  current: (r: Random) => number;
}

const poisson = (r: Random, lambda: number): number => {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = r.uniform();
  while (p > limit) {
    k++;
    p *= r.uniform();
  }
  return k;
};
const same = (change = 'none') => ({ change, drift: false });

const NUMERIC: NumericSpec[] = [
  {
    name: 'f00_score',
    change: 'mean +0.25 sd',
    drift: true,
    reference: (r) => r.normal(),
    current: (r) => 0.25 + r.normal(),
  },
  {
    name: 'f01_tenure',
    change: 'spread x1.4',
    drift: true,
    reference: (r) => 50 + 10 * r.normal(),
    current: (r) => 50 + 14 * r.normal(),
  },
  {
    name: 'f02_income',
    change: 'lognormal, scale x1.16',
    drift: true,
    reference: (r) => Math.exp(3 + 0.5 * r.normal()),
    current: (r) => Math.exp(3.15 + 0.5 * r.normal()),
  },
  {
    name: 'f03_latency',
    change: '20% of rows +2',
    drift: true,
    reference: (r) => r.exponential(),
    current: (r) => r.exponential() + (r.uniform() < 0.2 ? 2 : 0),
  },
  {
    name: 'f04_ratio',
    change: 'uniform range +0.05',
    drift: true,
    reference: (r) => r.uniform(),
    current: (r) => 0.05 + r.uniform(),
  },
  {
    name: 'f05_balance',
    ...same('mean +0.03 sd'),
    reference: (r) => 200 + 40 * r.normal(),
    current: (r) => 201.2 + 40 * r.normal(),
  },
  {
    name: 'f06_amount',
    ...same('spread x1.04'),
    reference: (r) => 100 + 15 * r.normal(),
    current: (r) => 100 + 15.6 * r.normal(),
  },
  { name: 'f07_z', ...same(), reference: (r) => r.normal(), current: (r) => r.normal() },
  {
    name: 'f08_size',
    ...same(),
    reference: (r) => Math.exp(r.normal()),
    current: (r) => Math.exp(r.normal()),
  },
  {
    name: 'f09_wait',
    ...same(),
    reference: (r) => r.exponential() + r.exponential(),
    current: (r) => r.exponential() + r.exponential(),
  },
  {
    name: 'f10_offset',
    ...same(),
    reference: (r) => 2 * r.uniform() - 1,
    current: (r) => 2 * r.uniform() - 1,
  },
  {
    name: 'f11_bimodal',
    ...same(),
    reference: (r) => (r.uniform() < 0.6 ? -2 + r.normal() : 3 + 0.5 * r.normal()),
    current: (r) => (r.uniform() < 0.6 ? -2 + r.normal() : 3 + 0.5 * r.normal()),
  },
  {
    name: 'f12_residual',
    ...same(),
    reference: (r) => (r.uniform() < 0.5 ? -1 : 1) * r.exponential(),
    current: (r) => (r.uniform() < 0.5 ? -1 : 1) * r.exponential(),
  },
  {
    name: 'f13_age',
    ...same(),
    reference: (r) => Math.round(Math.min(90, Math.max(18, 40 + 12 * r.normal()))),
    current: (r) => Math.round(Math.min(90, Math.max(18, 40 + 12 * r.normal()))),
  },
  {
    name: 'f14_probability',
    ...same(),
    reference: (r) => 1 / (1 + Math.exp(-r.normal())),
    current: (r) => 1 / (1 + Math.exp(-r.normal())),
  },
  {
    name: 'f15_price',
    ...same(),
    reference: (r) => Math.round(100_000 + 20_000 * r.normal()) / 100,
    current: (r) => Math.round(100_000 + 20_000 * r.normal()) / 100,
  },
  {
    name: 'f16_gap',
    ...same(),
    reference: (r) => 10 * r.exponential(),
    current: (r) => 10 * r.exponential(),
  },
  {
    name: 'f17_outliers',
    ...same(),
    reference: (r) => r.normal() * (r.uniform() < 0.05 ? 10 : 1),
    current: (r) => r.normal() * (r.uniform() < 0.05 ? 10 : 1),
  },
  {
    name: 'f18_temperature',
    ...same('mean +0.01 sd'),
    reference: (r) => 20 + 5 * r.normal(),
    current: (r) => 20.05 + 5 * r.normal(),
  },
  {
    name: 'f19_children',
    ...same('none; 5 distinct values, compared as categories'),
    reference: (r) => Math.min(4, poisson(r, 1.2)),
    current: (r) => Math.min(4, poisson(r, 1.2)),
  },
];

interface CategoricalSpec {
  name: string;
  change: string;
  drift: boolean;
  categories: string[];
  reference: number[];
  current: number[];
}

const zipf = (n: number): number[] => Array.from({ length: n }, (_, i) => 1 / (i + 1));

const CATEGORICAL: CategoricalSpec[] = [
  {
    name: 'c0_country',
    change: 'shares move from the two largest to the small ones',
    drift: true,
    categories: ['DE', 'FR', 'GB', 'IT', 'ES', 'NL', 'PL', 'SE'],
    reference: [0.3, 0.2, 0.15, 0.1, 0.1, 0.07, 0.05, 0.03],
    current: [0.18, 0.17, 0.15, 0.1, 0.1, 0.1, 0.1, 0.1],
  },
  {
    name: 'c1_device',
    change: 'new category (15% tablet)',
    drift: true,
    categories: ['desktop', 'mobile', 'tablet'],
    reference: [0.55, 0.45, 0],
    current: [0.45, 0.4, 0.15],
  },
  {
    name: 'c2_plan',
    change: 'none',
    drift: false,
    categories: ['free', 'basic', 'pro', 'enterprise'],
    reference: [0.4, 0.3, 0.2, 0.1],
    current: [0.4, 0.3, 0.2, 0.1],
  },
  {
    name: 'c3_channel',
    change: 'shares move by 1-2 points',
    drift: false,
    categories: ['search', 'direct', 'social', 'email', 'referral', 'ads'],
    reference: [0.3, 0.25, 0.2, 0.1, 0.1, 0.05],
    current: [0.28, 0.26, 0.2, 0.11, 0.1, 0.05],
  },
  {
    name: 'c4_region',
    change: 'none',
    drift: false,
    categories: Array.from({ length: 20 }, (_, i) => `region_${String(i).padStart(2, '0')}`),
    reference: zipf(20),
    current: zipf(20),
  },
];

interface Manifest {
  version: number;
  seed: number;
  rows: number;
  numeric: { name: string; change: string; drift: boolean }[];
  categorical: { name: string; change: string; drift: boolean; categories: string[] }[];
}

function sampleCategories(r: Random, weights: number[], n: number): Uint8Array {
  const total = weights.reduce((s, w) => s + w, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const w of weights) {
    acc += w / total;
    cumulative.push(acc);
  }
  const codes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const u = r.uniform();
    let k = 0;
    while (k < cumulative.length - 1 && u >= cumulative[k]!) k++;
    codes[i] = k;
  }
  return codes;
}

/** Writes the data set once; later runs (and every contender) read the same files. */
function ensureData(): string {
  const dir = join(benchDir, 'data', `drift-v${DATA_VERSION}-${ROWS}`);
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) return dir;
  console.log(`Generating ${ROWS.toLocaleString('en')} + ${ROWS.toLocaleString('en')} rows into ${dir} ...`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const r = seededRandom(SEED);
  for (const spec of NUMERIC) {
    for (const window of ['reference', 'current'] as const) {
      const values = new Float64Array(ROWS);
      const draw = spec[window];
      for (let i = 0; i < ROWS; i++) values[i] = draw(r);
      writeFileSync(join(dir, `${spec.name}.${window}.f64`), new Uint8Array(values.buffer));
    }
  }
  for (const spec of CATEGORICAL) {
    for (const window of ['reference', 'current'] as const) {
      writeFileSync(join(dir, `${spec.name}.${window}.u8`), sampleCategories(r, spec[window], ROWS));
    }
  }
  const manifest: Manifest = {
    version: DATA_VERSION,
    seed: SEED,
    rows: ROWS,
    numeric: NUMERIC.map(({ name, change, drift }) => ({ name, change, drift })),
    categorical: CATEGORICAL.map(({ name, change, drift, categories }) => ({
      name,
      change,
      drift,
      categories,
    })),
  };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

function readFloat64(path: string): Float64Array {
  const bytes = readFileSync(path);
  // Copy into an aligned buffer: a Buffer from the pool may start at any byte offset.
  const out = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

interface LoadedData {
  manifest: Manifest;
  numeric: Map<string, { reference: Float64Array; current: Float64Array }>;
  categorical: Map<string, { reference: string[]; current: string[] }>;
}

function loadData(dir: string): LoadedData {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const numeric = new Map<string, { reference: Float64Array; current: Float64Array }>();
  for (const { name } of manifest.numeric) {
    numeric.set(name, {
      reference: readFloat64(join(dir, `${name}.reference.f64`)),
      current: readFloat64(join(dir, `${name}.current.f64`)),
    });
  }
  const categorical = new Map<string, { reference: string[]; current: string[] }>();
  for (const { name, categories } of manifest.categorical) {
    const labels = (window: string) =>
      Array.from(readFileSync(join(dir, `${name}.${window}.u8`)), (code) => categories[code]!);
    categorical.set(name, { reference: labels('reference'), current: labels('current') });
  }
  return { manifest, numeric, categorical };
}

// ---------------------------------------------------------------------------------------------------
// Vigil contenders (run in a child process each).

interface ColumnOutcome {
  method: string;
  statistic: number;
  threshold: number;
  drifted: boolean;
}

interface ContenderResult {
  contender: string;
  timesMs: number[];
  /** Vigil contenders: CPU time (user + system) of each timed run; less sensitive to load than wall time. */
  cpuMs?: number[];
  rssAfterLoadMiB: number;
  peakRssMiB: number;
  versions?: Record<string, string>;
  columns: Record<string, ColumnOutcome>;
  /** Vigil on bin counts: the time spent in each step of the last run. */
  phasesMs?: Record<string, number>;
}

/** The default monitor on raw values: automatic method choice over every column. */
function vigilRaw(data: LoadedData): ModelDriftResult {
  const columns: Record<string, ColumnDriftInput> = {};
  for (const [name, { reference, current }] of data.numeric)
    columns[name] = { kind: 'numeric', reference, current };
  for (const [name, { reference, current }] of data.categorical) {
    columns[name] = { kind: 'categorical', reference, current };
  }
  return stats.detectModelDrift(columns);
}

interface WindowSummary {
  min: number;
  max: number;
  mean: number;
  std: number;
}

/** One pass over a window: what the server keeps beside the bin counts. */
function summarize(values: Float64Array): WindowSummary {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const mean = sum / values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i]! - mean) ** 2;
  return { min, max, mean, std: Math.sqrt(ss / values.length) };
}

/** Distinct values up to `limit + 1`, or undefined when there are more. */
function smallValueCounts(values: Float64Array, limit: number): Map<string, number> | undefined {
  const counts = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const c = counts.get(v);
    if (c === undefined) {
      if (counts.size === limit) return undefined;
      counts.set(v, 1);
    } else counts.set(v, c + 1);
  }
  return new Map([...counts].map(([v, c]) => [String(v), c]));
}

/**
 * The server's path: reference decile edges (one sort of the reference, which also gives its counts),
 * current counts on those edges, min, max and the reference std, category counts; then the default
 * monitor on those aggregates. Numeric columns
 * with at most 5 distinct reference values are counted per value and compared as categories, as the
 * raw path does.
 */
function vigilBinned(data: LoadedData, phases: Record<string, number>): ModelDriftResult {
  const t0 = performance.now();
  const columns: Record<string, ColumnDriftInput> = {};
  let edgesMs = 0;
  for (const [name, { reference, current }] of data.numeric) {
    const referenceValues = smallValueCounts(reference, 5);
    const currentValues = referenceValues && smallValueCounts(current, 5);
    if (referenceValues && currentValues) {
      columns[name] = { kind: 'categorical', counts: { reference: referenceValues, current: currentValues } };
      continue;
    }
    const e0 = performance.now();
    const sortedReference = stats.prepareSample(reference);
    const edges = stats.quantileBinEdges(sortedReference, stats.DEFAULT_BIN_COUNT);
    edgesMs += performance.now() - e0;
    const ref = summarize(reference);
    const cur = summarize(current);
    columns[name] = {
      kind: 'numeric',
      binned: {
        edges,
        reference: stats.countSortedIntoBins(sortedReference.sorted, edges),
        current: stats.countIntoBins(current, edges),
      },
      bounds: { lower: Math.min(ref.min, cur.min), upper: Math.max(ref.max, cur.max), referenceStd: ref.std },
    };
  }
  for (const [name, { reference, current }] of data.categorical) {
    columns[name] = { kind: 'categorical', counts: stats.countCategories(reference, current) };
  }
  const t1 = performance.now();
  const result = stats.detectModelDrift(columns);
  const t2 = performance.now();
  phases['reference edges (sort)'] = edgesMs;
  phases['bin and category counts, min, max, std'] = t1 - t0 - edgesMs;
  phases['drift on aggregates'] = t2 - t1;
  return result;
}

function rssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Sorting every numeric window once, alone: the share of the raw path that the sort takes. */
function sortAllWindows(data: LoadedData): number {
  const start = performance.now();
  for (const { reference, current } of data.numeric.values()) {
    stats.prepareSample(reference);
    stats.prepareSample(current);
  }
  return performance.now() - start;
}

async function runVigilContender(contender: string, dataDir: string, out: string): Promise<void> {
  if (args.stats) stats = (await import(pathToFileURL(resolve(args.stats)).href)) as Stats;
  const data = loadData(dataDir);
  const rssAfterLoadMiB = rssMiB();
  const phases: Record<string, number> = {};
  const binned = contender.startsWith('vigil-binned');
  const once = binned ? () => vigilBinned(data, phases) : () => vigilRaw(data);
  for (let i = 0; i < WARMUP; i++) once();
  const timesMs: number[] = [];
  const cpuMs: number[] = [];
  let result: ModelDriftResult | undefined;
  for (let i = 0; i < RUNS; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    result = once();
    timesMs.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpuMs.push((cpu.user + cpu.system) / 1000);
  }
  if (!binned) {
    const cpuStart = process.cpuUsage();
    phases['sorting every numeric window once (prepareSample)'] = sortAllWindows(data);
    const cpu = process.cpuUsage(cpuStart);
    phases['the same, CPU time'] = (cpu.user + cpu.system) / 1000;
  }
  const columns: Record<string, ColumnOutcome> = {};
  for (const [name, column] of Object.entries(result!.columns)) {
    columns[name] = {
      method: column.method,
      statistic: column.statistic,
      threshold: column.threshold,
      drifted: column.drifted,
    };
  }
  const output: ContenderResult = {
    contender,
    timesMs,
    cpuMs,
    rssAfterLoadMiB,
    peakRssMiB: rssMiB(),
    versions: { node: process.versions.node },
    columns,
    phasesMs: phases,
  };
  writeFileSync(out, JSON.stringify(output));
}

// ---------------------------------------------------------------------------------------------------
// Orchestration.

function run(command: string, commandArgs: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', env, cwd: root });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${commandArgs.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`,
    );
  }
}

/** Creates `.bench/venv` from the pinned requirements when missing or out of date. */
function ensureVenv(): void {
  const hash = createHash('sha256').update(readFileSync(requirementsFile)).digest('hex');
  const marker = join(venvDir, '.vigil-requirements.sha256');
  if (existsSync(venvPython) && existsSync(marker) && readFileSync(marker, 'utf8') === hash) return;
  console.log(`Creating the Python venv ${venvDir} (${requirementsFile}); this takes a few minutes once ...`);
  if (!existsSync(venvPython)) run(args.python!, ['-m', 'venv', venvDir]);
  run(venvPython, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirementsFile]);
  writeFileSync(marker, hash);
}

/**
 * The Python children's environment: no telemetry, and OpenBLAS tuning variables that may be set on
 * the host for other work removed, so numpy runs with its defaults. Returns what was removed.
 */
function pythonEnvironment(): { env: NodeJS.ProcessEnv; unset: string[] } {
  const env: NodeJS.ProcessEnv = { ...process.env, DO_NOT_TRACK: '1', ITERATIVE_DO_NOT_TRACK: '1' };
  const unset: string[] = [];
  for (const name of ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE']) {
    if (env[name] !== undefined) {
      unset.push(`${name}=${env[name]}`);
      delete env[name];
    }
  }
  return { env, unset };
}

const LABELS: Record<string, string> = {
  'vigil-raw': 'Vigil, raw values (detectModelDrift)',
  'vigil-binned': 'Vigil, bin counts (server path)',
  evidently: 'Evidently DataDriftPreset',
  numpy: 'numpy/scipy baseline',
};

/** A baseline's `@vigil/stats` source, extracted once from git into `.bench/baseline/<commit>`. */
interface Baseline {
  ref: string;
  commit: string;
  statsEntry: string;
}

/** Extracts packages/stats of `ref` (a branch, tag or commit) so old and new run side by side. */
function prepareBaseline(ref: string): Baseline {
  const revParse = spawnSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], {
    cwd: root,
    encoding: 'utf8',
  });
  if (revParse.status !== 0) throw new Error(`--baseline ${ref}: not a commit of this repository`);
  const commit = revParse.stdout.trim();
  const dir = join(benchDir, 'baseline', commit);
  const statsEntry = join(dir, 'packages', 'stats', 'src', 'index.ts');
  if (!existsSync(statsEntry)) {
    mkdirSync(dir, { recursive: true });
    const archive = spawnSync('git', ['archive', commit, 'packages/stats'], {
      cwd: root,
      maxBuffer: 1 << 28,
    });
    if (archive.status !== 0) throw new Error(`git archive ${commit} packages/stats failed`);
    const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
    if (untar.status !== 0) throw new Error(`extracting packages/stats of ${commit} failed`);
  }
  return { ref, commit, statsEntry };
}

const isBaseline = (contender: string) => contender.endsWith('@baseline');

function label(contender: string, baseline?: Baseline): string {
  const name = LABELS[contender.replace('@baseline', '')]!;
  return isBaseline(contender) && baseline
    ? `${name}, at ${baseline.ref} (${baseline.commit.slice(0, 8)})`
    : name;
}

function runContender(
  contender: string,
  dataDir: string,
  python: { env: NodeJS.ProcessEnv },
  baseline?: Baseline,
): ContenderResult {
  const out = join(benchDir, `drift-${contender.replace('@', '-')}.json`);
  rmSync(out, { force: true });
  const common = ['--runs', String(RUNS), '--warmup', String(WARMUP), '--out', out];
  console.log(`Running ${label(contender, baseline)} (${WARMUP} warm-up + ${RUNS} timed runs) ...`);
  if (contender.startsWith('vigil')) {
    const self = fileURLToPath(import.meta.url);
    run(process.execPath, [
      ...process.execArgv,
      self,
      '--contender',
      contender,
      '--data',
      dataDir,
      ...(isBaseline(contender) && baseline ? ['--stats', baseline.statsEntry] : []),
      ...common,
    ]);
  } else {
    run(venvPython, ['-P', pythonScript, '--contender', contender, '--data', dataDir, ...common], python.env);
  }
  return JSON.parse(readFileSync(out, 'utf8')) as ContenderResult;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function markdownTable(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => pad(c, widths[i]!, rightAligned[i])).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (rightAligned[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function main(): void {
  mkdirSync(benchDir, { recursive: true });
  ensureVenv();
  const dataDir = ensureData();
  const python = pythonEnvironment();
  const loadBefore = loadavg();
  const started = new Date();
  const baseline = args.baseline ? prepareBaseline(args.baseline) : undefined;
  // Old and new back to back, so both see the same load.
  const contenders = [
    ...(baseline ? ['vigil-raw@baseline'] : []),
    'vigil-raw',
    ...(baseline ? ['vigil-binned@baseline'] : []),
    'vigil-binned',
    'evidently',
    'numpy',
  ];
  const results = new Map(contenders.map((c) => [c, runContender(c, dataDir, python, baseline)]));
  const loadAfter = loadavg();

  const vigil = results.get('vigil-raw')!;
  const vigilBinnedResult = results.get('vigil-binned')!;
  const fmt = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 3 : 2);
  const rows = contenders.map((c) => {
    const r = results.get(c)!;
    const m = median(r.timesMs);
    return [
      label(c, baseline),
      fmt(m),
      r.timesMs.map(fmt).join(', '),
      r.peakRssMiB.toFixed(0),
      (r.peakRssMiB - r.rssAfterLoadMiB).toFixed(0),
      `${(m / median(vigil.timesMs)).toFixed(1)}x`,
      `${(m / median(vigilBinnedResult.timesMs)).toFixed(1)}x`,
    ];
  });
  const timing = markdownTable(
    [
      'Contender',
      'Median (s)',
      'Timed runs (s)',
      'Peak RSS (MiB)',
      'RSS added by the computation (MiB)',
      'Time / Vigil raw',
      'Time / Vigil binned',
    ],
    rows,
    [false, true, false, true, true, true, true],
  );

  const manifest = JSON.parse(readFileSync(join(dataDir, 'manifest.json'), 'utf8')) as Manifest;
  const features = [...manifest.numeric, ...manifest.categorical];
  const disagreements: string[] = [];
  const agreementRows = features.map((f) => {
    const cell = (c: string) => {
      const col = results.get(c)!.columns[f.name];
      if (!col) return 'missing';
      return `${col.drifted ? 'DRIFT' : 'ok'} ${col.statistic.toPrecision(3)}`;
    };
    const verdicts = contenders.map((c) => results.get(c)!.columns[f.name]?.drifted);
    if (verdicts.some((v) => v !== f.drift)) disagreements.push(f.name);
    return [f.name, f.change, f.drift ? 'DRIFT' : 'ok', ...contenders.map(cell)];
  });
  const SHORT: Record<string, string> = {
    'vigil-raw': 'Vigil raw',
    'vigil-binned': 'Vigil binned',
    evidently: 'Evidently',
    numpy: 'numpy/scipy',
  };
  const shortLabel = (c: string) =>
    `${SHORT[c.replace('@baseline', '')]}${isBaseline(c) ? ' (baseline)' : ''}`;
  const agreement = markdownTable(
    ['Feature', 'Change', 'Designed', ...contenders.map(shortLabel)],
    agreementRows,
    agreementRows[0]!.map(() => false),
  );
  // The baseline must give the same numbers, bit for bit: only the speed may change.
  const baselineReport = baseline
    ? ['vigil-raw', 'vigil-binned']
        .map((c) => {
          const old = results.get(`${c}@baseline`)!;
          const now = results.get(c)!;
          const changed = features
            .map((f) => f.name)
            .filter((name) => {
              const a = old.columns[name];
              const b = now.columns[name];
              return !a || !b || !Object.is(a.statistic, b.statistic) || a.drifted !== b.drifted;
            });
          const speedUp = median(old.timesMs) / median(now.timesMs);
          const cpuSpeedUp = old.cpuMs && now.cpuMs ? median(old.cpuMs) / median(now.cpuMs) : Number.NaN;
          const sortKey = 'sorting every numeric window once (prepareSample)';
          const sorting =
            old.phasesMs?.[sortKey] !== undefined && now.phasesMs?.[sortKey] !== undefined
              ? `; sorting alone ${fmt(old.phasesMs[sortKey])} s -> ${fmt(now.phasesMs[sortKey])} s (${(old.phasesMs[sortKey] / now.phasesMs[sortKey]).toFixed(1)}x, ${((100 * now.phasesMs[sortKey]) / median(now.timesMs)).toFixed(0)}% of the run now, ${((100 * old.phasesMs[sortKey]) / median(old.timesMs)).toFixed(0)}% before; CPU time ${fmt(old.phasesMs['the same, CPU time'] ?? Number.NaN)} s -> ${fmt(now.phasesMs['the same, CPU time'] ?? Number.NaN)} s)`
              : '';
          return `- ${SHORT[c]}: ${speedUp.toFixed(2)}x faster than the baseline in wall time, ${cpuSpeedUp.toFixed(2)}x in CPU time (median ${fmt(median(old.cpuMs ?? []))} s -> ${fmt(median(now.cpuMs ?? []))} s)${sorting}; ${changed.length === 0 ? 'every statistic and decision identical' : `DIFFERENT on ${changed.join(', ')}`}.`;
        })
        .join('\n')
    : '';
  const methods = (c: string) => {
    const counts = new Map<string, number>();
    for (const col of Object.values(results.get(c)!.columns))
      counts.set(col.method, (counts.get(col.method) ?? 0) + 1);
    return [...counts].map(([m, n]) => `${m} x${n}`).join(', ');
  };
  let maxWassersteinGap = 0;
  for (const f of manifest.numeric) {
    const v = vigil.columns[f.name]!;
    const e = results.get('evidently')!.columns[f.name]!;
    if (v.method === 'wasserstein_normed') {
      maxWassersteinGap = Math.max(
        maxWassersteinGap,
        Math.abs(v.statistic - e.statistic) / Math.abs(e.statistic),
      );
    }
  }

  const versions = { ...results.get('evidently')!.versions, node: process.versions.node };
  console.log(`
## Drift benchmark: ${manifest.numeric.length} numeric + ${manifest.categorical.length} categorical features, ${ROWS.toLocaleString('en')} reference vs ${ROWS.toLocaleString('en')} current rows

Started ${started.toISOString()} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}); load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after.
Median of ${RUNS} timed runs after ${WARMUP} warm-up, each contender in its own process; data loading not timed.
Versions: ${Object.entries(versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}.
Python environment: ${python.unset.length ? `unset ${python.unset.join(', ')}` : 'no OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE set'}.

${timing}
${baseline ? `\nAgainst the baseline ${baseline.ref} (${baseline.commit.slice(0, 8)}), same data, same run:\n${baselineReport}\n` : ''}
Vigil on raw values, after the timed runs: ${Object.entries(vigil.phasesMs ?? {})
    .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
    .join(', ')}.
Vigil on bin counts, last run: ${Object.entries(vigilBinnedResult.phasesMs ?? {})
    .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
    .join(', ')}.

Methods picked: Vigil raw: ${methods('vigil-raw')}; Vigil binned: ${methods('vigil-binned')}; Evidently: ${methods('evidently')}; numpy/scipy: ${methods('numpy')}.
Normed Wasserstein, Vigil raw vs Evidently: largest relative difference ${maxWassersteinGap.toExponential(1)}.
(Vigil's Jensen–Shannon distance uses base-2 logarithms, Evidently's and scipy's default the natural logarithm: same decisions here, values differ by a factor 1/sqrt(ln 2) = 1.20.)

${agreement}

${disagreements.length === 0 ? 'All contenders agree with the design on every feature.' : `Disagreements with the design: ${disagreements.join(', ')}.`}
`);
  writeFileSync(
    join(benchDir, 'drift-results.json'),
    `${JSON.stringify({ started, loadBefore, loadAfter, pythonUnset: python.unset, results: Object.fromEntries(results) }, null, 2)}\n`,
  );
}

if (args.contender) {
  await runVigilContender(args.contender, args.data!, args.out!);
} else {
  main();
}
