/**
 * bench:report — `vigil report` against Evidently's `Report([DataDriftPreset()])` writing its HTML,
 * on the same CSV files, side by side in one run: wall time, peak memory and whether the drift
 * decisions agree on every column.
 *
 *   npm run bench:report [-- --sizes 500000x25,3000000x100 --runs 1 --contenders vigil,evidently]
 *   npm run bench:report -- --contenders vigil --baseline-cli ../main/packages/cli/src/main.ts --runs 4
 *
 * `--baseline-cli` times another build of the CLI beside this one in the same run (order
 * alternating), so a change is measured as a ratio even on a loaded machine.
 *
 * Steps: (1) build the CLI (`tsc -b`, by the npm script) and the pinned Python venv through
 * scripts/lib/test-env.sh `python_venv` (scripts/bench/requirements.txt, the same pins as
 * bench:drift); (2) generate each data set once, seeded, into `.bench/report-data/` (git-ignored):
 * a reference and a current CSV of `rows` rows each, 80% numeric and 20% categorical columns, a
 * designed subset of them drifted; (3) for each size and run, run `vigil report` and the Evidently
 * script one after the other, each as its own process under `/usr/bin/time` (wall time and peak RSS
 * of the whole process: start-up, reading, computing, writing the HTML); (4) print the table, the
 * ratios and every column where a decision differs, and write `.bench/report-results.json`.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSeededRandom } from '@vigil/stats';
import { benchArgs } from './args.js';
import { median } from './runs.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, '.bench');
const dataRoot = join(benchDir, 'report-data');
const requirementsFile = 'scripts/bench/requirements.txt';
const evidentlyScript = join(root, 'bench', 'report_evidently.py');

const { values: args } = benchArgs(import.meta.url, {
  sizes: { type: 'string', default: '500000x25,3000000x100' },
  runs: { type: 'string', default: '1' },
  contenders: { type: 'string', default: 'vigil,evidently' },
  /** Another build of the CLI to time (its dist/main.js, or src/main.ts run through tsx). */
  'vigil-cli': { type: 'string' },
  /** A second build of the CLI (e.g. main's), timed beside `--vigil-cli` as the contender `baseline`. */
  'baseline-cli': { type: 'string' },
  /**
   * Address-space limit for Evidently's process in GiB (at 3,000,000 x 100 it can outgrow a
   * shared machine); a run that hits it is recorded as not finished, with its time and memory.
   */
  'evidently-max-gib': { type: 'string' },
});
const vigilCli = resolve(args['vigil-cli'] ?? join(root, 'packages', 'cli', 'dist', 'main.js'));
const baselineCli = args['baseline-cli'] ? resolve(args['baseline-cli']) : undefined;
/** Node flags to run a CLI from TypeScript source. */
const nodeFlagsFor = (cli: string) =>
  cli.endsWith('.ts') ? ['--conditions=vigil-source', '--import', 'tsx'] : [];
const RUNS = Number(args.runs);
const SEED = 20_261_202;
/** Bumped whenever the generated data changes, so stale files are regenerated. */
const DATA_VERSION = 1;

// ---------------------------------------------------------------------------------------------------
// Data: a reference and a current CSV of the same shape; drifted columns designed to be clear.

type Random = ReturnType<typeof createSeededRandom>;

interface ColumnSpec {
  name: string;
  kind: 'numeric' | 'categorical';
  /** What differs between reference and current (`none` for stable columns). */
  change: string;
  drift: boolean;
  /** Draws one value as CSV text for the reference (`current: false`) or the current window. */
  draw: (r: Random, current: boolean) => string;
}

/** Four decimals, as real measurements carry; integers print without a fraction. */
const text = (v: number): string => String(Math.round(v * 10_000) / 10_000);

/** Numeric column k: five distribution families; every fourth column (k % 4 = 1) shifted by half a sd. */
function numericColumn(k: number): ColumnSpec {
  const drift = k % 4 === 1;
  const name = `num_${String(k).padStart(3, '0')}`;
  const shift = (current: boolean) => (drift && current ? 0.5 : 0);
  switch (k % 5) {
    case 0:
      return {
        name,
        kind: 'numeric',
        drift,
        change: drift ? 'normal, mean +0.5 sd' : 'none (normal)',
        draw: (r, c) => text(100 + 15 * (r.normal() + shift(c))),
      };
    case 1:
      return {
        name,
        kind: 'numeric',
        drift,
        change: drift ? 'lognormal, log-mean +0.5 sd' : 'none (lognormal)',
        draw: (r, c) => text(Math.exp(3 + 0.5 * (r.normal() + shift(c)))),
      };
    case 2:
      return {
        name,
        kind: 'numeric',
        drift,
        change: drift ? 'exponential, +0.5 (half a sd)' : 'none (exponential)',
        draw: (r, c) => text(-Math.log(1 - r.uniform()) + shift(c)),
      };
    case 3:
      return {
        name,
        kind: 'numeric',
        drift,
        change: drift ? 'uniform, range +0.15 (half a sd)' : 'none (uniform)',
        draw: (r, c) => text(r.uniform() + 0.3 * shift(c)),
      };
    default:
      return {
        name,
        kind: 'numeric',
        drift,
        change: drift ? 'integer ages, mean +6 (half a sd)' : 'none (integer ages)',
        draw: (r, c) => String(Math.round(40 + 12 * (r.normal() + shift(c)))),
      };
  }
}

/** Categorical column j: 3 to 18 labels with Zipf shares; every third column (j % 3 = 0) reverses them. */
function categoricalColumn(j: number): ColumnSpec {
  const drift = j % 3 === 0;
  const size = 3 + (j % 6) * 3;
  const labels = Array.from({ length: size }, (_, i) => `c${j}_${String.fromCharCode(97 + i)}`);
  const cumulative = (weights: number[]) => {
    const total = weights.reduce((s, w) => s + w, 0);
    let acc = 0;
    return weights.map((w) => {
      acc += w / total;
      return acc;
    });
  };
  const zipf = labels.map((_, i) => 1 / (i + 1));
  const reference = cumulative(zipf);
  const current = drift ? cumulative([...zipf].reverse()) : reference;
  const pick = (u: number, cdf: number[]) => {
    let i = 0;
    while (i < cdf.length - 1 && u >= cdf[i]!) i++;
    return labels[i]!;
  };
  return {
    name: `cat_${String(j).padStart(2, '0')}`,
    kind: 'categorical',
    drift,
    change: drift ? `${size} labels, Zipf shares reversed` : `none (${size} labels, Zipf shares)`,
    draw: (r, c) => pick(r.uniform(), c ? current : reference),
  };
}

function columnsFor(count: number): ColumnSpec[] {
  const numeric = Math.round(0.8 * count);
  return [
    ...Array.from({ length: numeric }, (_, k) => numericColumn(k)),
    ...Array.from({ length: count - numeric }, (_, j) => categoricalColumn(j)),
  ];
}

interface Manifest {
  version: number;
  seed: number;
  rows: number;
  columns: { name: string; kind: 'numeric' | 'categorical'; change: string; drift: boolean }[];
}

interface DataSet {
  label: string;
  dir: string;
  reference: string;
  current: string;
  manifestPath: string;
  manifest: Manifest;
}

function writeCsv(path: string, columns: ColumnSpec[], rows: number, r: Random, current: boolean): void {
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  try {
    writeSync(fd, `${columns.map((c) => c.name).join(',')}\n`);
    let chunk = '';
    for (let i = 0; i < rows; i++) {
      let line = columns[0]!.draw(r, current);
      for (let c = 1; c < columns.length; c++) line += `,${columns[c]!.draw(r, current)}`;
      chunk += `${line}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path); // only complete files count as generated
}

function ensureData(rows: number, columnCount: number): DataSet {
  const label = `${rows.toLocaleString('en')} rows x ${columnCount} columns`;
  const dir = join(dataRoot, `v${DATA_VERSION}-${rows}x${columnCount}`);
  const reference = join(dir, 'reference.csv');
  const current = join(dir, 'current.csv');
  const manifestPath = join(dir, 'manifest.json');
  const columns = columnsFor(columnCount);
  if (!existsSync(manifestPath)) {
    mkdirSync(dir, { recursive: true });
    console.log(`Generating ${label} (reference and current) into ${dir} ...`);
    // One stream per window, so either file can be regenerated alone with the same content.
    if (!existsSync(reference)) writeCsv(reference, columns, rows, createSeededRandom(SEED), false);
    if (!existsSync(current)) writeCsv(current, columns, rows, createSeededRandom(SEED + 1), true);
    const manifest: Manifest = {
      version: DATA_VERSION,
      seed: SEED,
      rows,
      columns: columns.map(({ name, kind, change, drift }) => ({ name, kind, change, drift })),
    };
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  return { label, dir, reference, current, manifestPath, manifest };
}

// ---------------------------------------------------------------------------------------------------
// Contenders, each a whole process under /usr/bin/time.

interface Measured {
  contender: string;
  size: string;
  run: number;
  wallSeconds: number;
  /** User + system CPU seconds: under a shared machine's load, steadier than the wall time. */
  cpuSeconds: number;
  peakRssMiB: number;
  exitCode: number;
  /** Drift decision per column (true: drifted), read from the contender's JSON. */
  decisions: Record<string, boolean>;
  /** Values per column, for the record. */
  values: Record<string, { method: string; value: number | null; threshold: number | null }>;
  notes: string[];
}

function timed(command: string, commandArgs: string[], out: string, env = process.env) {
  const timing = `${out}.time`;
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', '-o', timing, command, ...commandArgs], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
  });
  const [elapsed, maxKiB, user, system] = readFileSync(timing, 'utf8')
    .trim()
    .split('\n')
    .pop()!
    .split(' ')
    .map(Number);
  return {
    wallSeconds: elapsed!,
    cpuSeconds: user! + system!,
    peakRssMiB: maxKiB! / 1024,
    exitCode: result.status ?? -1,
    stderr: result.stderr?.toString() ?? '',
  };
}

/** vigil report's exit code 1 means "a --fail-on check failed", not used here; anything else is an error. */
function runVigil(data: DataSet, run: number, outDir: string, contender = 'vigil', cli = vigilCli): Measured {
  const html = join(outDir, `${contender}-${run}.html`);
  const json = join(outDir, `${contender}-${run}.json`);
  const t = timed(
    process.execPath,
    [
      ...nodeFlagsFor(cli),
      cli,
      'report',
      '--reference',
      data.reference,
      '--current',
      data.current,
      '--out',
      html,
      '--json',
      json,
    ],
    join(outDir, `${contender}-${run}`),
  );
  if (t.exitCode !== 0 || !existsSync(json))
    throw new Error(`vigil report failed (exit ${t.exitCode}):\n${t.stderr}`);
  const report = JSON.parse(readFileSync(json, 'utf8')) as {
    approximations?: string[];
    drift: {
      features: {
        column: string;
        method: string;
        value: number | null;
        threshold: number | null;
        status: string;
      }[];
    };
  };
  const decisions: Record<string, boolean> = {};
  const values: Measured['values'] = {};
  for (const f of report.drift.features) {
    decisions[f.column] = f.status === 'alert';
    values[f.column] = { method: f.method, value: f.value, threshold: f.threshold };
  }
  return {
    contender,
    size: data.label,
    run,
    ...t,
    decisions,
    values,
    notes: report.approximations ?? [],
  };
}

function runEvidently(data: DataSet, run: number, outDir: string, python: string): Measured {
  const html = join(outDir, `evidently-${run}.html`);
  const json = join(outDir, `evidently-${run}.json`);
  const env: NodeJS.ProcessEnv = { ...process.env, DO_NOT_TRACK: '1', ITERATIVE_DO_NOT_TRACK: '1' };
  // Host tuning variables for other work, removed so numpy runs with its defaults (as bench:drift).
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const t = timed(
    python,
    [
      '-P',
      evidentlyScript,
      ...['--reference', data.reference, '--current', data.current, '--manifest', data.manifestPath],
      ...['--out', html, '--json', json],
      ...(args['evidently-max-gib'] ? ['--max-memory-gib', args['evidently-max-gib']] : []),
    ],
    join(outDir, `evidently-${run}`),
    env,
  );
  if ((t.exitCode !== 0 || !existsSync(json)) && args['evidently-max-gib'] && /MemoryError/.test(t.stderr)) {
    writeFileSync(join(outDir, `evidently-${run}.stderr`), t.stderr);
    const note = `did not finish: out of its ${args['evidently-max-gib']} GiB address-space limit after ${t.wallSeconds.toFixed(0)} s; traceback in evidently-${run}.stderr`;
    return { contender: 'evidently', size: data.label, run, ...t, decisions: {}, values: {}, notes: [note] };
  }
  if (t.exitCode !== 0 || !existsSync(json))
    throw new Error(`Evidently failed (exit ${t.exitCode}):\n${t.stderr}`);
  const result = JSON.parse(readFileSync(json, 'utf8')) as {
    columns: Record<string, { method: string; statistic: number; threshold: number; drifted: boolean }>;
  };
  const decisions: Record<string, boolean> = {};
  const values: Measured['values'] = {};
  for (const [column, c] of Object.entries(result.columns)) {
    decisions[column] = c.drifted;
    values[column] = { method: c.method, value: c.statistic, threshold: c.threshold };
  }
  return { contender: 'evidently', size: data.label, run, ...t, decisions, values, notes: [] };
}

/** The bench venv, built once per pin set by the shared test-env helper. */
function pythonVenv(): string {
  const result = spawnSync(
    'bash',
    ['-c', `source scripts/lib/test-env.sh && python_venv bench ${requirementsFile} python`],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (result.status !== 0) throw new Error('could not build the Python venv for Evidently');
  return join(root, result.stdout.trim(), 'bin', 'python');
}

// ---------------------------------------------------------------------------------------------------
// Orchestration.

function main(): void {
  const contenders = args.contenders!.split(',');
  if (baselineCli) {
    if (!existsSync(baselineCli)) throw new Error(`--baseline-cli: ${baselineCli} is missing`);
    contenders.push('baseline');
  }
  const sizes = args.sizes!.split(',').map((s) => {
    const [rows, columns] = s.split('x').map(Number);
    if (!(Number.isInteger(rows) && rows! > 0 && Number.isInteger(columns) && columns! > 1))
      throw new Error(`--sizes: '${s}' is not ROWSxCOLUMNS (e.g. 500000x25)`);
    return { rows: rows!, columns: columns! };
  });
  if (contenders.includes('vigil') && !existsSync(vigilCli))
    throw new Error(`${vigilCli} is missing: build first (npm run build), as npm run bench:report does`);
  const python = contenders.includes('evidently') ? pythonVenv() : '';
  const datasets = sizes.map((s) => ensureData(s.rows, s.columns));
  const loadBefore = loadavg();
  const started = new Date();
  const measured: Measured[] = [];
  for (const data of datasets) {
    const outDir = join(data.dir, 'out');
    mkdirSync(outDir, { recursive: true });
    for (let run = 1; run <= RUNS; run++) {
      // Alternating order across runs, so a change of load does not favour one side.
      const order = run % 2 ? contenders : [...contenders].reverse();
      for (const c of order) {
        console.log(`${data.label}, run ${run}: ${c} ...`);
        const m =
          c === 'vigil'
            ? runVigil(data, run, outDir)
            : c === 'baseline'
              ? runVigil(data, run, outDir, 'baseline', baselineCli)
              : runEvidently(data, run, outDir, python);
        console.log(
          `  ${m.wallSeconds.toFixed(1)} s (CPU ${m.cpuSeconds.toFixed(1)} s), peak RSS ${m.peakRssMiB.toFixed(0)} MiB`,
        );
        measured.push(m);
      }
    }
  }
  const loadAfter = loadavg();

  const lines: string[] = [
    `## Report benchmark: vigil report vs Evidently Report([DataDriftPreset()]) with its HTML`,
    '',
    `Started ${started.toISOString()} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after.`,
    `Each contender is one whole process (start-up, reading both CSV files, computing, writing the HTML), ${RUNS} run(s) per size, order alternating; wall time and peak RSS from /usr/bin/time.`,
    '',
    '| Data | Contender | Wall time (s), median | Runs (s) | Peak RSS (MiB), median | Evidently / Vigil time | Vigil / Evidently memory |',
    '| ---- | --------- | --------------------: | -------- | ---------------------: | ---------------------: | -----------------------: |',
  ];
  const agreementLines: string[] = [];
  for (const data of datasets) {
    const of = (c: string) => measured.filter((m) => m.size === data.label && m.contender === c);
    const vigil = of('vigil');
    const evidently = of('evidently');
    // A run that did not finish has no decisions to compare.
    const decided = (ms: Measured[]) => ms.filter((m) => m.exitCode === 0);
    const time = (ms: Measured[]) => median(ms.map((m) => m.wallSeconds));
    const memory = (ms: Measured[]) => median(ms.map((m) => m.peakRssMiB));
    const baseline = of('baseline');
    for (const [c, ms] of [
      ['vigil report', vigil],
      ['Evidently DataDriftPreset + HTML', evidently],
      ['vigil report, baseline build', baseline],
    ] as const) {
      if (ms.length === 0) continue;
      const both = vigil.length > 0 && evidently.length > 0;
      const unfinished = ms.some((m) => m.exitCode !== 0)
        ? ` (${ms.find((m) => m.exitCode !== 0)!.notes[0]})`
        : '';
      lines.push(
        `| ${data.label} | ${c}${unfinished} | ${time(ms).toFixed(1)} | ${ms.map((m) => m.wallSeconds.toFixed(1)).join(', ')} | ${memory(ms).toFixed(0)} | ${both && c === 'vigil report' ? `${(time(evidently) / time(vigil)).toFixed(1)}x` : ''} | ${both && c === 'vigil report' ? `1/${(memory(evidently) / memory(vigil)).toFixed(1)}` : ''} |`,
      );
    }
    if (decided(vigil).length > 0 || decided(evidently).length > 0) {
      const differing: string[] = [];
      for (const column of data.manifest.columns) {
        const v = decided(vigil).at(-1)?.decisions[column.name];
        const e = decided(evidently).at(-1)?.decisions[column.name];
        const off = (x: boolean | undefined) => x !== undefined && x !== column.drift;
        if (
          off(v) ||
          off(e) ||
          (decided(vigil).length > 0 && v === undefined) ||
          (decided(evidently).length > 0 && e === undefined)
        ) {
          const show = (x: boolean | undefined) => (x === undefined ? 'missing' : x ? 'DRIFT' : 'ok');
          differing.push(
            `${column.name} (${column.change}; designed ${column.drift ? 'DRIFT' : 'ok'}, vigil ${show(v)}, Evidently ${show(e)})`,
          );
        }
      }
      const drifted = data.manifest.columns.filter((c) => c.drift).length;
      agreementLines.push(
        `- ${data.label}: ${data.manifest.columns.length} columns, ${drifted} drifted by design: ${
          differing.length === 0
            ? 'every decision agrees with the design on every column'
            : `decisions differ on ${differing.length}: ${differing.join('; ')}`
        }.${vigil.at(-1)?.notes.length ? ` vigil report's approximations: ${vigil.at(-1)!.notes.join(' ')}` : ''}`,
      );
    }
  }
  for (const data of datasets) {
    const of = (c: string) => measured.filter((m) => m.size === data.label && m.contender === c);
    const [vigil, baseline] = [of('vigil'), of('baseline')];
    if (vigil.length === 0 || baseline.length === 0) continue;
    // Ratios run by run: both builds ran back to back, under the same load.
    const timeRatios = vigil.map((v, i) => baseline[i]!.wallSeconds / v.wallSeconds);
    const cpuRatios = vigil.map((v, i) => baseline[i]!.cpuSeconds / v.cpuSeconds);
    const memoryRatios = vigil.map((v, i) => baseline[i]!.peakRssMiB / v.peakRssMiB);
    const sameDecisions = vigil.every((v, i) =>
      Object.entries(v.decisions).every(([column, d]) => baseline[i]!.decisions[column] === d),
    );
    lines.push(
      '',
      `${data.label}: baseline / this build, wall time ${timeRatios.map((r) => `${r.toFixed(2)}x`).join(', ')} (median ${median(timeRatios).toFixed(2)}x); CPU time ${cpuRatios.map((r) => `${r.toFixed(2)}x`).join(', ')}; peak RSS ${memoryRatios.map((r) => `${r.toFixed(2)}x`).join(', ')}; drift decisions ${sameDecisions ? 'equal' : 'DIFFER'}.`,
    );
  }
  console.log(`\n${lines.join('\n')}\n\nDrift decisions (last run of each):\n${agreementLines.join('\n')}\n`);
  writeFileSync(
    join(benchDir, 'report-results.json'),
    `${JSON.stringify({ started, loadBefore, loadAfter, measured }, null, 2)}\n`,
  );
}

main();
