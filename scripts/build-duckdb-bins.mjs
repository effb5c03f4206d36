#!/usr/bin/env node
// Builds the DuckDB extension of packages/server/native/duckdb-bins (vigil_profile, vigil_columns) with the
// system C compiler, when its source, headers or this script changed since the last build.
// Never fails: without a compiler, or when the build fails, the store profiles with DuckDB's own
// `count`, `avg` and `histogram` (the same results) and says so once at start-up.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'packages/server/native/duckdb-bins');
const buildDir = join(sourceDir, 'build');
const target = join(buildDir, 'vigil_bins.duckdb_extension');
const marker = join(buildDir, 'built-from');
const sources = ['vigil_bins.c', 'vigil_columns.c'].map((f) => join(sourceDir, f));
const inputs = [
  ...sources,
  ...['vigil_columns.h', 'duckdb/duckdb.h', 'duckdb/duckdb_extension.h'].map((f) => join(sourceDir, f)),
];

const hash = createHash('sha256');
for (const file of [...inputs, fileURLToPath(import.meta.url)]) hash.update(readFileSync(file));
const digest = hash.digest('hex');
if (existsSync(target) && existsSync(marker) && readFileSync(marker, 'utf8') === digest) process.exit(0);

/** DuckDB's name for this platform, which the extension's footer must carry (e.g. linux_amd64). */
async function duckDbPlatform() {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll('PRAGMA platform');
  const platform = String(reader.getRowObjects()[0]?.platform);
  connection.closeSync();
  return platform;
}

/**
 * DuckDB loads only files that end in a 512-byte footer: eight 32-byte fields, last first (the
 * magic "4", the platform, the C API version, the extension's version, the ABI type), then 256
 * bytes of signature, empty for an unsigned extension.
 */
function footer(platform) {
  const field = (text) => {
    const bytes = Buffer.alloc(32);
    bytes.write(text, 'ascii');
    return bytes;
  };
  const fields = ['4', platform, 'v1.2.0', 'v1', 'C_STRUCT', '', '', ''].map(field).reverse();
  return Buffer.concat([...fields, Buffer.alloc(256)]);
}

const compiler = process.env.CC || 'cc';
try {
  mkdirSync(buildDir, { recursive: true });
  rmSync(marker, { force: true });
  const partial = `${target}.tmp`;
  execFileSync(
    compiler,
    [
      '-O3',
      '-shared',
      '-fPIC',
      '-fvisibility=hidden',
      '-I',
      join(sourceDir, 'duckdb'),
      '-o',
      partial,
      ...sources,
      '-lm',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  appendFileSync(partial, footer(await duckDbPlatform()));
  renameSync(partial, target);
  writeFileSync(marker, digest);
} catch (error) {
  rmSync(target, { force: true });
  const output = String(error?.stderr ?? '').trim();
  const reason =
    error?.code === 'ENOENT'
      ? `no C compiler found (${compiler})`
      : `${output || error?.message || error}`.split('\n').slice(0, 5).join('\n');
  console.error(
    `The DuckDB profile extension was not built (${reason}); profiles use DuckDB's own aggregates.`,
  );
}
