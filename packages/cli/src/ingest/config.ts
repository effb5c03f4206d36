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
}

export const defaultUrl = 'http://localhost:4000';
export const defaultBatchSize = 5000;

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
  };
}
