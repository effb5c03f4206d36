import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import {
  type ColumnBatch,
  contentTypes,
  type IngestResult,
  LabelColumnBatch,
  type LabelRecord,
  PredictionColumnBatch,
  type PredictionRecord,
  predictionsAsArrow,
  type RawBody,
  type ReferenceOptions,
  type ReferenceRow,
  VigilApi,
  type VigilApiOptions,
  VigilError,
  VigilHttpError,
  VigilNetworkError,
  VigilRecordError,
} from '@vigil/sdk';
import { CliError, type CliIo } from '../io.js';
import { type ColumnChunk, chunkRow, labelColumns, predictionColumns, rowJson } from './columns.js';
import type { FileFormat, IngestConfig } from './config.js';
import {
  ColumnMapping,
  type ColumnNames,
  columnNames,
  jsonValue,
  missingColumns,
  toLabel,
  toPrediction,
} from './mapping.js';
import { Progress } from './progress.js';
import { contentId, openColumnSource, openSource, rowId, type Source, type SourceRecord } from './sources.js';

/** A row the server refused, located in the file. */
export interface RejectedRow {
  /** Line number (CSV, NDJSON) or row number (JSON, Parquet). */
  position: number;
  id: string | null;
  error: string;
}

export interface IngestSummary {
  /** Rows read from the file and sent. */
  sent: number;
  /** Rows of the file that could not be read (listed in `rejected` too): read, not sent. */
  unreadable: number;
  accepted: number;
  /** Rows refused by the server, and rows of the file that could not be read (not sent). */
  rejected: RejectedRow[];
  /** Accepted rows with data-quality violations, and how many of each kind. */
  qualityViolations: number;
  violationsByKind: Record<string, number>;
  elapsedMs: number;
}

/** Requests sent at the same time. */
const concurrency = 2;

/** One request's worth of rows, with their positions in the file. */
interface Batch {
  /** The rows as records (or CSV lines), unless they are held by column. */
  items: unknown[];
  /** Predictions by column, sent as the SDK's `logColumns` sends them. */
  columns?: ColumnBatch;
  positions: number[];
}

function batchLength(batch: Batch): number {
  return batch.columns ? batch.columns.length : batch.items.length;
}

/**
 * Reads `config.file` row by row and sends it in batches of `config.batchSize` through the SDK's
 * low-level client (retries, backoff, gzip). Resolves with what the server accepted and refused;
 * rejects with a {@link CliError} when the file cannot be read or the server fails for good.
 */
export async function runIngest(
  config: IngestConfig,
  io: Pick<CliIo, 'stderr'>,
  apiOptions: Partial<VigilApiOptions> = {},
): Promise<IngestSummary> {
  const started = Date.now();
  const progress = new Progress(io.stderr);
  const api = new VigilApi({
    url: config.url,
    apiKey: config.apiKey,
    maxRetries: config.retries,
    // Every retry is said on stderr, so that a server that cannot be reached is never a silent wait.
    onRetry: (event) =>
      progress.log(
        `${event.status === undefined ? 'cannot reach the server' : 'server busy'} (${event.reason}); ` +
          `retry ${event.retry} of ${config.retries} in ${(event.delayMs / 1000).toFixed(1)} s`,
      ),
    ...apiOptions,
  });
  // Before the file is opened: an opened stream flows whether or not it is read yet.
  const names =
    config.kind === 'reference'
      ? columnNames(null, config.columns)
      : await modelColumns(api, config, progress).catch((error: unknown) => {
          throw fatal(error, config);
        });
  const mapping = new ColumnMapping(names);
  // Predictions and labels from CSV and Parquet are read by column; everything else row by row.
  const columnSource =
    config.kind !== 'reference' ? await openColumnSource(config, config.batchSize) : undefined;
  const source = columnSource ?? (await openSource(config));
  const fileColumns = source.columns;
  if (fileColumns) {
    const missing = missingColumns(config.kind, fileColumns, names);
    if (missing.length > 0) {
      throw new CliError(
        `${config.file} has no ${missing.map((c) => `'${c}'`).join(' or ')} column, needed for --kind ${config.kind} ` +
          `(columns: ${fileColumns.join(', ')})`,
      );
    }
  }

  const summary: IngestSummary = {
    sent: 0,
    unreadable: 0,
    accepted: 0,
    rejected: [],
    qualityViolations: 0,
    violationsByKind: {},
    elapsedMs: 0,
  };
  const send = sender(api, config, 'rawHeader' in source ? source.rawHeader : undefined);
  const pending = new Set<Promise<void>>();
  let failure: unknown;

  let batches = 0;
  const dispatch = async (batch: Batch) => {
    batches++;
    const task = send(batch).then(
      (result) => {
        summary.sent += batchLength(batch);
        summary.accepted += result.accepted;
        summary.qualityViolations += result.quality_violations ?? 0;
        for (const [kind, n] of Object.entries(result.violations_by_kind ?? {})) {
          summary.violationsByKind[kind] = (summary.violationsByKind[kind] ?? 0) + n;
        }
        for (const r of result.rejected) {
          summary.rejected.push({ position: batch.positions[r.index] ?? -1, id: r.id, error: r.error });
        }
        progress.update(summary.sent, source.progress());
      },
      (error: unknown) => {
        failure ??= error;
      },
    );
    pending.add(task);
    void task.finally(() => pending.delete(task));
    // The batch that replaces a reference data set lands before any batch that appends to it.
    const limit = config.replace && batches === 1 ? 1 : concurrency;
    while (pending.size >= limit) await Promise.race(pending);
  };

  let readFailure: unknown;
  try {
    if (columnSource) {
      const fileName = basename(config.file);
      for await (const chunk of columnSource.chunks) {
        if (failure !== undefined) break;
        for (const { position, error } of chunk.errors) {
          if (config.stopOnError) throw new CliError(`${config.file}, line ${position}: ${error}`);
          summary.rejected.push({ position, id: null, error });
          summary.unreadable++;
        }
        if (chunk.length > 0) await dispatch(columnBatch(chunk, config, mapping, fileName));
      }
    }
    const rows = columnSource ? [] : (source as Source).chunks;
    let batch: Batch = { items: [], positions: [] };
    reading: for await (const chunk of rows) {
      for (const record of chunk) {
        if (failure !== undefined) break reading;
        if (record.error !== undefined) {
          if (config.stopOnError)
            throw new CliError(`${config.file}, line ${record.position}: ${record.error}`);
          summary.rejected.push({ position: record.position, id: null, error: record.error });
          summary.unreadable++;
          continue;
        }
        batch.items.push(toItem(config, source.format, record, mapping));
        batch.positions.push(record.position);
        if (batch.items.length >= config.batchSize) {
          await dispatch(batch);
          batch = { items: [], positions: [] };
        }
      }
    }
    if (batch.items.length > 0 && failure === undefined) await dispatch(batch);
  } catch (error) {
    readFailure = error;
  }
  // Requests already sent finish (or fail) before the command ends, whatever happened.
  await Promise.all(pending);
  progress.finish();
  if (failure !== undefined) throw fatal(failure, config);
  if (readFailure !== undefined) {
    const error = fatal(readFailure, config);
    if (summary.sent === 0) throw error;
    throw new CliError(
      `${error.message}\n${summary.accepted.toLocaleString('en-US')} rows before it were stored; ` +
        'sending the fixed file again does not store rows twice when they keep their ids or positions.',
    );
  }
  summary.rejected.sort((a, b) => a.position - b.position);
  summary.elapsedMs = Date.now() - started;
  return summary;
}

/**
 * The columns to read, from the model schema's field names and the column flags. A key that may
 * not read the model (a write key) gets the default names and the flags.
 */
async function modelColumns(api: VigilApi, config: IngestConfig, progress: Progress): Promise<ColumnNames> {
  try {
    const model = await api.getModel(config.model);
    return columnNames(model.schema, config.columns);
  } catch (error) {
    if (error instanceof VigilHttpError && error.status === 403) {
      progress.log(
        "note: this API key may not read the model's schema; using the default column names and the column flags",
      );
      return columnNames(null, config.columns);
    }
    throw error;
  }
}

/**
 * A batch of predictions or labels read by column: the SDK's column batch (no object per row),
 * or the records of the row path when a column has no Arrow form (a feature mixing numbers and
 * text).
 */
function columnBatch(
  chunk: ColumnChunk,
  config: IngestConfig,
  mapping: ColumnMapping,
  fileName: string,
): Batch {
  if (config.kind === 'labels') {
    try {
      const columns = new LabelColumnBatch(labelColumns(chunk, mapping.names));
      return { items: [], columns, positions: chunk.positions };
    } catch (error) {
      if (!(error instanceof VigilRecordError)) throw error;
    }
    const items: LabelRecord[] = [];
    for (let i = 0; i < chunk.length; i++) items.push(toLabel(chunkRow(chunk, i), mapping.names));
    return { items, positions: chunk.positions };
  }
  const ids = (i: number) =>
    contentId(fileName, chunk.positions[i]!, chunk.raws ? chunk.raws[i]! : rowJson(chunk, i));
  const input = predictionColumns(chunk, mapping, config.version, ids, chunk.raws !== undefined);
  try {
    return { items: [], columns: new PredictionColumnBatch(input), positions: chunk.positions };
  } catch (error) {
    if (!(error instanceof VigilRecordError)) throw error;
  }
  const items: PredictionRecord[] = [];
  for (let i = 0; i < chunk.length; i++) {
    const prediction = toPrediction(chunkRow(chunk, i), config.version, mapping);
    prediction.id ??= (input.id as string[])[i]!;
    items.push(prediction);
  }
  return { items, positions: chunk.positions };
}

function toItem(
  config: IngestConfig,
  format: FileFormat,
  record: SourceRecord,
  mapping: ColumnMapping,
): unknown {
  switch (config.kind) {
    case 'predictions': {
      const prediction = toPrediction(record.row, config.version, mapping);
      prediction.id ??= rowId(config.file, record);
      return prediction;
    }
    case 'labels':
      return toLabel(record.row, mapping.names);
    case 'reference':
      return format === 'csv' ? record.raw : jsonValue(record.row);
  }
}

/** Sends one batch; a batch the server finds too large (413) is sent again in halves. */
function sender(
  api: VigilApi,
  config: IngestConfig,
  csvHeader: string | undefined,
): (batch: Batch) => Promise<IngestResult> {
  const columns = config.columns;
  const reference = (items: unknown[], first: boolean): ReferenceOptions => ({
    version: config.version,
    dataset: config.dataset,
    // Only the first batch replaces; the others append to it.
    ...(config.replace ? { replace: first } : {}),
    // Each batch is its own upload: the same rows at another place in the file are another upload,
    // and running the same command again re-sends uploads the server already has.
    idempotencyKey: createHash('sha256')
      .update(basename(config.file))
      .update('\0')
      .update(String(positions.get(items) ?? 0))
      .update('\0')
      .update(JSON.stringify(items))
      .digest('hex'),
    ...(columns.id !== undefined ? { idColumn: columns.id } : {}),
    ...(columns.timestamp !== undefined ? { timestampColumn: columns.timestamp } : {}),
    ...(columns.prediction !== undefined ? { predictionColumn: columns.prediction } : {}),
    ...(columns.score !== undefined ? { scoreColumn: columns.score } : {}),
    ...(columns.label !== undefined ? { labelColumn: columns.label } : {}),
  });
  const positions = new WeakMap<unknown[], number>();
  let sentFirst = false;
  // Predictions go as Arrow until the server answers 415 (a version without it).
  let arrow = true;
  const predictions = async (records: PredictionRecord[]): Promise<IngestResult> => {
    const body = arrow ? predictionsAsArrow(records) : null;
    if (body === null) return api.ingestPredictions(config.model, records);
    try {
      return await api.ingestPredictions(config.model, body);
    } catch (error) {
      if (!(error instanceof VigilHttpError && error.status === 415)) throw error;
      arrow = false;
      return api.ingestPredictions(config.model, records);
    }
  };
  const once = (items: unknown[]): Promise<IngestResult> => {
    switch (config.kind) {
      case 'predictions':
        return predictions(items as PredictionRecord[]);
      case 'labels':
        return api.ingestLabels(config.model, items as LabelRecord[]);
      case 'reference': {
        const options = reference(items, !sentFirst);
        sentFirst = true;
        if (config.format !== 'csv')
          return api.ingestReference(config.model, items as ReferenceRow[], options);
        const body: RawBody = {
          body: `${csvHeader ?? ''}${items.join('')}`,
          contentType: contentTypes.csv,
        };
        return api.ingestReference(config.model, body, options);
      }
    }
  };
  /** Rows `start..end` of a column batch: Arrow, or columnar JSON to a server without Arrow. */
  const sendColumns = async (columns: ColumnBatch, start: number, end: number): Promise<IngestResult> => {
    try {
      const body = columns.body(start, end, arrow);
      return await (config.kind === 'labels'
        ? api.ingestLabels(config.model, body)
        : api.ingestPredictions(config.model, body));
    } catch (error) {
      if (error instanceof VigilHttpError && error.status === 415 && arrow) {
        arrow = false;
        return sendColumns(columns, start, end);
      }
      if (!(error instanceof VigilHttpError && error.status === 413 && end - start > 1)) throw error;
      const half = start + ((end - start) >>> 1);
      const first = await sendColumns(columns, start, half);
      const second = await sendColumns(columns, half, end);
      return {
        accepted: first.accepted + second.accepted,
        rejected: [
          ...first.rejected,
          ...second.rejected.map((r) => ({ ...r, index: r.index + half - start })),
        ],
        quality_violations: (first.quality_violations ?? 0) + (second.quality_violations ?? 0),
        violations_by_kind: mergeCounts(first.violations_by_kind, second.violations_by_kind),
      };
    }
  };
  const send = async (items: unknown[]): Promise<IngestResult> => {
    try {
      return await once(items);
    } catch (error) {
      if (!(error instanceof VigilHttpError && error.status === 413 && items.length > 1)) throw error;
      const half = items.length >>> 1;
      const first = await send(items.slice(0, half));
      const second = await send(items.slice(half));
      return {
        accepted: first.accepted + second.accepted,
        rejected: [...first.rejected, ...second.rejected.map((r) => ({ ...r, index: r.index + half }))],
        quality_violations: (first.quality_violations ?? 0) + (second.quality_violations ?? 0),
        violations_by_kind: mergeCounts(first.violations_by_kind, second.violations_by_kind),
      };
    }
  };
  return (batch) => {
    if (batch.columns) return sendColumns(batch.columns, 0, batch.columns.length);
    positions.set(batch.items, batch.positions[0] ?? 0);
    return send(batch.items);
  };
}

function mergeCounts(
  a: Record<string, number> | undefined,
  b: Record<string, number> | undefined,
): Record<string, number> {
  const out = { ...a };
  for (const [kind, n] of Object.entries(b ?? {})) out[kind] = (out[kind] ?? 0) + n;
  return out;
}

/** The message for a request that failed for good. */
function fatal(error: unknown, config: IngestConfig): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof VigilNetworkError) {
    return new CliError(
      `Cannot reach the Vigil server at ${config.url} (${error.attempts} attempts): ${error.message}. ` +
        'Is it running (vigil start), and is --url right?',
    );
  }
  if (error instanceof VigilHttpError) {
    if (error.status === 401) {
      const hint =
        config.apiKeySource === 'none'
          ? 'No API key was given: pass --api-key or set VIGIL_API_KEY.'
          : `The API key (from the ${config.apiKeySource}) was refused.`;
      return new CliError(`Authentication failed: ${hint}`);
    }
    if (error.status === 403) {
      return new CliError(
        `The API key may not ingest ${config.kind} into model '${config.model}': ${error.message}`,
      );
    }
    if (error.status === 404)
      return new CliError(`Not found: ${error.message} (does model '${config.model}' exist?)`);
    return new CliError(`The server refused a batch: ${error.message}`);
  }
  if (error instanceof VigilError) return new CliError(error.message);
  return new CliError(error instanceof Error ? error.message : String(error));
}

/** The summary printed at the end: totals, then the first few rejections. */
export function formatSummary(config: IngestConfig, summary: IngestSummary, shown = 5): string {
  const where = config.format === 'csv' || config.format === 'ndjson' ? 'line' : 'row';
  const lines = [
    `${config.kind} → model '${config.model}': ${summary.accepted.toLocaleString('en-US')} accepted, ` +
      `${summary.rejected.length.toLocaleString('en-US')} rejected ` +
      // Rows read: an unreadable row is one of the file's rows too, so the totals add up.
      `(${(summary.sent + summary.unreadable).toLocaleString('en-US')} rows in ${(summary.elapsedMs / 1000).toFixed(1)} s)`,
  ];
  for (const r of summary.rejected.slice(0, shown)) {
    lines.push(`  ${where} ${r.position}${r.id === null ? '' : ` (id ${r.id})`}: ${r.error}`);
  }
  if (summary.rejected.length > shown) lines.push(`  … and ${summary.rejected.length - shown} more`);
  if (summary.qualityViolations > 0) {
    const kinds = Object.entries(summary.violationsByKind)
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `${kind}: ${n.toLocaleString('en-US')}`)
      .join(', ');
    lines.push(
      `  ${summary.qualityViolations.toLocaleString('en-US')} accepted rows with data-quality violations${kinds ? ` (${kinds})` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
