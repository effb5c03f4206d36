import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { CliError } from '../io.js';

export const kinds = ['predictions', 'labels', 'reference'] as const;
export type IngestKindOption = (typeof kinds)[number];

export const formats = ['csv', 'parquet', 'ndjson', 'json'] as const;
export type FileFormat = (typeof formats)[number];

/** Options of `vigil ingest` as commander gives them (all strings). */
export interface IngestFlags {
  model: string;
  kind: string;
  url?: string;
  apiKey?: string;
  batchSize?: string;
  version?: string;
  dataset?: string;
  format?: string;
  retries?: string;
  idColumn?: string;
  timestampColumn?: string;
  predictionColumn?: string;
  scoreColumn?: string;
  classScoreColumns?: string;
  labelColumn?: string;
  segmentColumns?: string;
  replace?: boolean;
  stopOnError?: boolean;
}

/**
 * Columns named on the command line; each overrides the model schema's field name
 * (`id_field`, `timestamp_field`, `prediction_field`, `score_field`, `class_score_fields`,
 * `label_field`, `segments`).
 */
export interface ColumnFlags {
  id?: string;
  timestamp?: string;
  prediction?: string;
  score?: string;
  /** Class → column. */
  classScores?: Record<string, string>;
  label?: string;
  segments?: string[];
}

/** Everything `runIngest` needs, checked and with defaults applied. */
export interface IngestConfig {
  file: string;
  model: string;
  kind: IngestKindOption;
  format: FileFormat;
  /** Whether the file is gzip-compressed (`.gz`). */
  gzipped: boolean;
  url: string;
  apiKey: string | undefined;
  /** Where the API key came from, for error messages. */
  apiKeySource: 'option' | 'environment' | 'data directory' | 'none';
  batchSize: number;
  version: string | undefined;
  dataset: string | undefined;
  /** Retries of a request after the first attempt. */
  retries: number;
  columns: ColumnFlags;
  /** Reference: replace the dataset's rows (the first batch replaces, the others append). */
  replace: boolean;
  /** Stop at the first malformed row instead of listing it as rejected. */
  stopOnError: boolean;
}

export const defaultUrl = 'http://localhost:4000';
export const defaultBatchSize = 5000;
export const defaultRetries = 8;

function columnName(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new CliError(`--${flag} must name a column`);
  return value;
}

function list(flag: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (names.length === 0) throw new CliError(`--${flag} must name at least one column`);
  return names;
}

/** `--class-score-columns cat=p_cat,dog=p_dog`. */
function classScores(value: string | undefined): Record<string, string> | undefined {
  const pairs = list('class-score-columns', value);
  if (pairs === undefined) return undefined;
  const scores: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) {
      throw new CliError(`--class-score-columns takes class=column pairs separated by commas; got '${pair}'`);
    }
    scores[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return scores;
}

/** The column flags, checked; only those given are set. */
export function columnFlags(flags: IngestFlags): ColumnFlags {
  const columns: ColumnFlags = {};
  const set = <K extends keyof ColumnFlags>(key: K, value: ColumnFlags[K] | undefined) => {
    if (value !== undefined) columns[key] = value;
  };
  set('id', columnName('id-column', flags.idColumn));
  set('timestamp', columnName('timestamp-column', flags.timestampColumn));
  set('prediction', columnName('prediction-column', flags.predictionColumn));
  set('score', columnName('score-column', flags.scoreColumn));
  set('classScores', classScores(flags.classScoreColumns));
  set('label', columnName('label-column', flags.labelColumn));
  set('segments', list('segment-columns', flags.segmentColumns));
  return columns;
}

const extensions: Record<string, FileFormat> = {
  csv: 'csv',
  parquet: 'parquet',
  pq: 'parquet',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  json: 'json',
};

/** The format named by the file's extension (`.gz` looked through), if any. */
export function formatFromPath(file: string): { format: FileFormat | undefined; gzipped: boolean } {
  const parts = basename(file).toLowerCase().split('.');
  const gzipped = parts.at(-1) === 'gz';
  const ext = gzipped ? parts.at(-2) : parts.at(-1);
  return { format: parts.length > (gzipped ? 2 : 1) && ext ? extensions[ext] : undefined, gzipped };
}

function isLocalhost(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]', '::1'].includes(url.hostname);
}

/**
 * Reads the options once: API key from `--api-key`, then `VIGIL_API_KEY`, then
 * `<data dir>/admin.key` when the server is on this machine (`VIGIL_DATA_DIR`, default `./vigil-data`).
 */
export function resolveIngestConfig(
  file: string,
  flags: IngestFlags,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): IngestConfig {
  if (!(kinds as readonly string[]).includes(flags.kind)) {
    throw new CliError(`--kind must be one of ${kinds.join(', ')}; got '${flags.kind}'`);
  }
  const kind = flags.kind as IngestKindOption;

  const detected = formatFromPath(file);
  let format: FileFormat;
  if (flags.format !== undefined) {
    if (!(formats as readonly string[]).includes(flags.format)) {
      throw new CliError(`--format must be one of ${formats.join(', ')}; got '${flags.format}'`);
    }
    format = flags.format as FileFormat;
  } else if (detected.format) {
    format = detected.format;
  } else {
    throw new CliError(
      `Cannot tell the format of '${file}' from its extension; pass --format csv|parquet|ndjson|json`,
    );
  }
  if (format === 'parquet' && detected.gzipped)
    throw new CliError('Gzip-compressed Parquet files are not supported');

  const urlText = flags.url ?? env.VIGIL_URL ?? defaultUrl;
  let url: URL;
  try {
    url = new URL(urlText);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new CliError(`--url must be an http(s) URL such as ${defaultUrl}; got '${urlText}'`);
  }

  const batchSize = flags.batchSize === undefined ? defaultBatchSize : Number(flags.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new CliError(`--batch-size must be a whole number >= 1; got '${flags.batchSize}'`);
  }
  if (flags.model.trim() === '') throw new CliError('--model must not be empty');
  const retries = flags.retries === undefined ? defaultRetries : Number(flags.retries);
  if (!Number.isInteger(retries) || retries < 0) {
    throw new CliError(`--retries must be a whole number >= 0; got '${flags.retries}'`);
  }
  if (flags.replace && kind !== 'reference') throw new CliError('--replace applies to --kind reference only');

  let apiKey: string | undefined;
  let apiKeySource: IngestConfig['apiKeySource'] = 'none';
  if (flags.apiKey !== undefined && flags.apiKey !== '') {
    apiKey = flags.apiKey;
    apiKeySource = 'option';
  } else if (env.VIGIL_API_KEY) {
    apiKey = env.VIGIL_API_KEY;
    apiKeySource = 'environment';
  } else if (isLocalhost(url)) {
    const keyFile = resolve(cwd, env.VIGIL_DATA_DIR || 'vigil-data', 'admin.key');
    try {
      apiKey = readFileSync(keyFile, 'utf8').trim() || undefined;
      if (apiKey) apiKeySource = 'data directory';
    } catch {
      // No local key file: the server will answer 401 and the message explains how to pass a key.
    }
  }

  return {
    file: resolve(cwd, file),
    model: flags.model,
    kind,
    format,
    gzipped: detected.gzipped,
    url: url.href,
    apiKey,
    apiKeySource,
    batchSize,
    version: flags.version,
    dataset: flags.dataset,
    retries,
    columns: columnFlags(flags),
    replace: flags.replace === true,
    stopOnError: flags.stopOnError === true,
  };
}
