import type { Table } from 'apache-arrow';
import { contentTypes, type RawBody, type ReferenceOptions, VigilApi, type VigilApiOptions } from './api.js';
import { ARROW_CONTENT_TYPE } from './arrow.js';
import {
  ArrowTableBatch,
  type ColumnValues,
  isArrowTable,
  LabelColumnBatch,
  type LabelColumnsInput,
  PredictionColumnBatch,
  type PredictionColumnsInput,
  ReferenceColumnBatch,
  TableBatch,
} from './column-batch.js';
import { COLUMNS_CONTENT_TYPE, PredictionColumns } from './columns.js';
import {
  VigilDeliveryError,
  VigilError,
  VigilHttpError,
  VigilQueueOverflowError,
  VigilRecordError,
} from './errors.js';
import { randomId, sha256Hex, unrefTimer } from './runtime.js';
import {
  type LabelInput,
  type PredictionInput,
  prepareLabel,
  preparePrediction,
  toNdjsonLine,
} from './serialize.js';
import type { IngestResult, PredictionRecord, ReferenceRow } from './types.js';

/** Options of {@link VigilClient}; those of {@link VigilApiOptions} configure each request. */
export interface VigilClientOptions extends VigilApiOptions {
  /** Model that `client.log` and `client.logLabel` write to; `client.model(name)` names others. */
  model?: string;
  /** Records per request. Default 1000. */
  batchSize?: number;
  /** Longest time a record waits in the queue before it is sent. Default 1000 ms. */
  flushIntervalMs?: number;
  /**
   * Records held in memory (queued, waiting or being sent) at most. When the queue is full `log`
   * drops the new record, counts it and reports it through `onError` with a
   * {@link VigilQueueOverflowError}; it never blocks and never throws. Default 100 000.
   */
  maxQueue?: number;
  /** Requests sent at the same time at most. Default 4: enough to keep a server busy while earlier batches commit. */
  maxInFlight?: number;
  /** Upper bound of an uncompressed request body, in UTF-16 code units. Default 8 MiB. */
  maxBatchBytes?: number;
  /**
   * Called for every failure that `log` cannot report by throwing: a batch that failed for good
   * ({@link VigilDeliveryError}), dropped records ({@link VigilQueueOverflowError},
   * {@link VigilRecordError}). Default: a `console.warn`.
   */
  onError?: (error: VigilError) => void;
  /** Called with the records the server refused in an otherwise successful request; they are not retried. */
  onRejected?: (rejected: readonly RejectedLogRecord[]) => void;
  /**
   * Wire format of logged predictions. `arrow` (default) lays each batch out by column as
   * records are logged and sends it as an Arrow IPC stream (`application/vnd.apache.arrow.stream`);
   * a batch whose columns have no Arrow type (a column mixing numbers and strings, objects) goes
   * as columnar JSON, and a server too old for Arrow (415) gets columnar JSON from then on.
   * `columns` sends columnar JSON (`application/vnd.vigil.columns+json`); in both, a feature
   * missing from some records is null there, which the server reads as absent. `ndjson` sends one
   * JSON line per record. Labels logged with `logLabel` are sent as NDJSON, and those of
   * `logLabelColumns` as Arrow (NDJSON with `columns` or `ndjson`, or to a server without Arrow).
   */
  format?: 'arrow' | 'columns' | 'ndjson';
}

export type LogKind = 'predictions' | 'labels';

/** A record the server refused, with the stream it was sent on. */
export interface RejectedLogRecord {
  kind: LogKind;
  model: string;
  id: string | null;
  error: string;
}

/**
 * What happened to logged records since the previous `flush` (or since the client was created):
 * once `flush` resolves, everything logged before the call has been settled and is counted here
 * or in an earlier result.
 */
export interface FlushResult {
  /** Records the server stored. */
  accepted: number;
  /** Records the server refused (not retried). */
  rejected: RejectedLogRecord[];
  /** Records of batches that failed for good (auth failure, server unreachable after retries...). */
  failed: number;
  /** Records never queued: queue full, not serialisable, no model, client closed. */
  dropped: number;
  /** The errors behind `failed` and `dropped`, also given to `onError`. */
  errors: VigilError[];
}

/** Counters since the client was created. */
export interface ClientStats {
  /** Records in memory: queued, waiting for a free request slot or being sent. */
  pending: number;
  accepted: number;
  rejected: number;
  failed: number;
  dropped: number;
}

/** Reference data given as a file's content rather than as rows. */
export interface ReferenceContent {
  content: string | Uint8Array | Blob;
  format: 'csv' | 'parquet' | 'json' | 'ndjson' | 'arrow';
}

/** Records of one batch being collected: NDJSON lines, or predictions by column. */
interface Records {
  readonly length: number;
  /** Upper bound of the body's length, in UTF-16 code units. */
  readonly chars: number;
  /** The request body of records `start` to `end` (exclusive); as Arrow when `arrow` and possible. */
  body(start: number, end: number, arrow: boolean): RawBody;
}

class Lines implements Records {
  readonly lines: string[] = [];
  chars = 0;

  get length(): number {
    return this.lines.length;
  }

  add(line: string): void {
    this.lines.push(line);
    this.chars += line.length + 1;
  }

  body(start: number, end: number): RawBody {
    const lines = start === 0 && end === this.lines.length ? this.lines : this.lines.slice(start, end);
    return { body: `${lines.join('\n')}\n`, contentType: contentTypes.ndjson };
  }
}

class Columns implements Records {
  readonly columns = new PredictionColumns();

  get length(): number {
    return this.columns.length;
  }

  get chars(): number {
    return this.columns.chars;
  }

  body(start: number, end: number, arrow: boolean): RawBody {
    if (arrow) {
      // A few rows of many columns can take more room as Arrow (a schema, 8-byte alignment) than
      // as JSON: such a batch goes as JSON, which keeps every body within maxBatchBytes.
      const stream = this.columns.arrowStream(start, end);
      if (stream !== null && stream.length <= this.columns.chars) {
        return { body: stream, contentType: ARROW_CONTENT_TYPE };
      }
    }
    return { body: this.columns.body(start, end), contentType: COLUMNS_CONTENT_TYPE };
  }
}

interface Stream {
  kind: LogKind;
  model: string;
  records: Lines | Columns;
}

interface Batch {
  kind: LogKind;
  model: string;
  records: Records;
  /** The rows of `records` this batch sends (a batch logged by column is sent in parts). */
  start: number;
  end: number;
  done: Promise<void>;
  settle: () => void;
}

/** A record to queue: a prediction (with its id) or a label. */
type Item =
  | { kind: 'predictions'; record: PredictionInput; id: string }
  | { kind: 'labels'; label: LabelInput };

type Enqueue = (model: string | undefined, item: Item) => void;
type EnqueueRows = (kind: LogKind, model: string | undefined, rows: Records) => void;

function emptyResult(): FlushResult {
  return { accepted: 0, rejected: [], failed: 0, dropped: 0, errors: [] };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isFinite(n) || n < 1)
    throw new VigilError('invalid_option', `${name} must be a number >= 1, got ${n}`);
  return n;
}

/** Logs to one model: `client.model('fraud').log({...})`. */
export class ModelLogger {
  readonly name: string;
  readonly #client: VigilClient;
  readonly #enqueue: Enqueue;
  readonly #enqueueRows: EnqueueRows;

  /** @internal Use {@link VigilClient.model}. */
  constructor(name: string, client: VigilClient, enqueue: Enqueue, enqueueRows: EnqueueRows) {
    this.name = name;
    this.#client = client;
    this.#enqueue = enqueue;
    this.#enqueueRows = enqueueRows;
  }

  /** Queues a batch of predictions given by column; see {@link VigilClient.logColumns}. */
  logColumns(columns: PredictionColumnsInput): string[] {
    const batch = new PredictionColumnBatch(columns);
    this.#enqueueRows('predictions', this.name, batch);
    return batch.ids;
  }

  /** Queues the predictions of an apache-arrow Table; see {@link VigilClient.logTable}. */
  logTable(table: Table): void {
    this.#enqueueRows('predictions', this.name, new ArrowTableBatch(table));
  }

  /** Queues labels given by column; see {@link VigilClient.logLabelColumns}. */
  logLabelColumns(columns: LabelColumnsInput): void {
    this.#enqueueRows('labels', this.name, new LabelColumnBatch(columns));
  }

  /** Uploads reference data given by column now; see {@link VigilClient.logReferenceColumns}. */
  logReferenceColumns(
    columns: Record<string, ColumnValues>,
    options: ReferenceOptions = {},
  ): Promise<IngestResult> {
    return this.#client.logReferenceColumns(columns, { ...options, model: this.name });
  }

  /**
   * Queues a prediction and returns at once with its id (the given one, or a new random one to
   * use with `logLabel`). The timestamp defaults to now. Never throws: problems go to `onError`.
   */
  log(record: PredictionInput): string {
    return logPrediction(this.#enqueue, this.name, record);
  }

  /** Queues a ground-truth label for the prediction with id `label.id`. Never throws. */
  logLabel(label: LabelInput): void {
    this.#enqueue(this.name, { kind: 'labels', label });
  }

  /** Uploads reference data now (not queued); see {@link VigilClient.logReference}. */
  logReference(
    data: readonly ReferenceRow[] | ReferenceContent | Table,
    options: ReferenceOptions = {},
  ): Promise<IngestResult> {
    return this.#client.logReference(data, { ...options, model: this.name });
  }

  /** Sends predictions now, bypassing the queue, and returns the server's answer. */
  ingestPredictions(records: readonly PredictionRecord[]): Promise<IngestResult> {
    return this.#client.api.ingestPredictions(this.name, records);
  }
}

function logPrediction(enqueue: Enqueue, model: string | undefined, record: PredictionInput): string {
  const id = record?.id ?? randomId();
  enqueue(model, { kind: 'predictions', record, id });
  return id;
}

/**
 * Batching client: `log` queues records and returns at once; batches are sent in the background
 * (on size or interval), gzip-compressed, retried with backoff on network errors, 5xx, 429 and 503
 * (honouring `Retry-After`). Every record gets a client-side id, so a retried batch never stores a
 * record twice.
 */
export class VigilClient {
  /** The low-level client used for every request. */
  readonly api: VigilApi;
  readonly #defaultModel: string | undefined;
  readonly #batchSize: number;
  readonly #flushIntervalMs: number;
  readonly #maxQueue: number;
  readonly #maxInFlight: number;
  readonly #maxBatchChars: number;
  readonly #onError: (error: VigilError) => void;
  readonly #onRejected: ((rejected: readonly RejectedLogRecord[]) => void) | undefined;
  readonly #columns: boolean;
  /** Predictions go as Arrow until a server answers 415 to it. */
  #arrow: boolean;
  readonly #enqueueFn: Enqueue = (model, item) => this.#enqueue(model, item);
  readonly #enqueueRowsFn: EnqueueRows = (kind, model, rows) => this.#enqueueRows(kind, model, rows);
  readonly #streams = new Map<string, Stream>();
  /** The stream of the last record queued. */
  #lastStream: Stream | undefined;
  readonly #loggers = new Map<string, ModelLogger>();
  readonly #ready: Batch[] = [];
  readonly #inFlight = new Set<Batch>();
  #held = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  #unreportedDrops = 0;
  #report = emptyResult();
  readonly #stats = { accepted: 0, rejected: 0, failed: 0, dropped: 0 };

  constructor(options: VigilClientOptions) {
    this.api = new VigilApi(options);
    this.#defaultModel = options.model;
    this.#batchSize = Math.floor(positive('batchSize', options.batchSize, 1000));
    this.#flushIntervalMs = positive('flushIntervalMs', options.flushIntervalMs, 1000);
    this.#maxQueue = Math.floor(positive('maxQueue', options.maxQueue, 100_000));
    this.#maxInFlight = Math.floor(positive('maxInFlight', options.maxInFlight, 4));
    this.#maxBatchChars = positive('maxBatchBytes', options.maxBatchBytes, 8 * 1024 * 1024);
    this.#onError = options.onError ?? ((error) => console.warn(`[vigil] ${error.message}`));
    this.#onRejected = options.onRejected;
    const format = options.format ?? 'arrow';
    if (format !== 'arrow' && format !== 'columns' && format !== 'ndjson') {
      throw new VigilError(
        'invalid_option',
        `format must be "arrow", "columns" or "ndjson", got ${String(format)}`,
      );
    }
    this.#columns = format !== 'ndjson';
    this.#arrow = format === 'arrow';
  }

  /** A logger bound to model `name`; it shares this client's queue, timer and limits. */
  model(name: string): ModelLogger {
    let logger = this.#loggers.get(name);
    if (!logger) {
      logger = new ModelLogger(name, this, this.#enqueueFn, this.#enqueueRowsFn);
      this.#loggers.set(name, logger);
    }
    return logger;
  }

  /** Queues a prediction for the default model; see {@link ModelLogger.log}. */
  log(record: PredictionInput): string {
    return logPrediction(this.#enqueueFn, this.#defaultModel, record);
  }

  /**
   * Queues a batch of predictions given by column for the default model and returns their ids
   * (the given ones, random ones for rows without). Each column holds one value per row (a
   * typed array, or an array with null where a row has none); row fields may instead be one
   * value for every row. The columns are checked and copied now, so the caller may reuse them;
   * the rows go in requests of `batchSize` rows, as Arrow, without an object per record, and are
   * settled like logged records (`flush`, `onRejected`, `onError`, retries with the same ids).
   * Unlike `log`, a batch whose columns are unusable (lengths that differ, a value of the
   * wrong kind, an object) throws a {@link VigilRecordError} naming the column and the row,
   * and nothing is queued. A batch that does not fit in the queue (`maxQueue`) is dropped whole
   * and reported like records `log` drops.
   */
  logColumns(columns: PredictionColumnsInput): string[] {
    const batch = new PredictionColumnBatch(columns);
    this.#enqueueRows('predictions', this.#defaultModel, batch);
    return batch.ids;
  }

  /**
   * Queues the predictions of an `apache-arrow` Table for the default model; its batches are
   * sent as Arrow IPC as they are, without per-record work. Columns are read by name as the
   * server's Arrow format says (`id`, `timestamp`, …, `features.<name>` or any other name as a
   * feature); a table without `id` gets random ids, one without `timestamp` the time of the call.
   */
  logTable(table: Table): void {
    this.#enqueueRows('predictions', this.#defaultModel, new ArrowTableBatch(table));
  }

  /**
   * Queues labels that arrive in bulk, by column, for the default model: `id` (the prediction
   * each label belongs to), `label`, and optionally `timestamp` (default: the time of the call,
   * as `logLabel` gives it). They are sent as Arrow in requests of `batchSize` rows and settled
   * like logged labels (`flush`, `onRejected`, `onError`, retries); a server without Arrow gets
   * NDJSON. Columns that are unusable throw a {@link VigilRecordError} naming the column and
   * the row, and nothing is queued.
   */
  logLabelColumns(columns: LabelColumnsInput): void {
    this.#enqueueRows('labels', this.#defaultModel, new LabelColumnBatch(columns));
  }

  /** Queues a label for the default model; see {@link ModelLogger.logLabel}. */
  logLabel(label: LabelInput): void {
    this.#enqueue(this.#defaultModel, { kind: 'labels', label });
  }

  /**
   * Uploads reference data now, bypassing the queue: rows are sent as NDJSON in chunks of
   * `batchSize` one after the other (the result's indices refer to `data`); file content is sent as
   * one request. Rejects with a {@link VigilError} when a request fails for good.
   */
  async logReference(
    data: readonly ReferenceRow[] | ReferenceContent | Table,
    options: ReferenceOptions & { model?: string } = {},
  ): Promise<IngestResult> {
    const model = options.model ?? this.#defaultModel;
    if (model === undefined) throw noModel();
    if (isArrowTable(data)) return this.#uploadReference(model, new TableBatch(data), options);
    const query: ReferenceOptions = {};
    if (options.version !== undefined) query.version = options.version;
    if (options.dataset !== undefined) query.dataset = options.dataset;
    if (!Array.isArray(data)) {
      const { content, format } = data as ReferenceContent;
      const body = content instanceof Blob ? new Uint8Array(await content.arrayBuffer()) : content;
      return this.api.ingestReference(model, { body, contentType: contentTypes[format] }, query);
    }
    const total: IngestResult = { accepted: 0, rejected: [] };
    for (let start = 0; start < data.length; start += this.#batchSize) {
      const result = await this.api.ingestReference(model, data.slice(start, start + this.#batchSize), query);
      total.accepted += result.accepted;
      for (const r of result.rejected) total.rejected.push({ ...r, index: r.index + start });
    }
    return total;
  }

  /**
   * Uploads reference data given by column now, bypassing the queue: one array (or typed array)
   * per column, named as a reference upload reads flat rows (the model schema's field names;
   * every other column is a feature). Rows go as Arrow in parts of `batchSize` rows, one after
   * the other; each part is an upload the server recognises if it is sent again (a retry stores
   * nothing twice), and with `replace` only the first part replaces the data set. Columns that
   * are unusable throw a {@link VigilRecordError} before anything is sent.
   */
  logReferenceColumns(
    columns: Record<string, ColumnValues>,
    options: ReferenceOptions & { model?: string } = {},
  ): Promise<IngestResult> {
    const model = options.model ?? this.#defaultModel;
    if (model === undefined) return Promise.reject(noModel());
    return this.#uploadReference(model, new ReferenceColumnBatch(columns), options);
  }

  async #uploadReference(
    model: string,
    rows: Records,
    options: ReferenceOptions & { model?: string },
  ): Promise<IngestResult> {
    const { model: _model, ...query } = options;
    const total: IngestResult = { accepted: 0, rejected: [] };
    const parts = Math.max(1, Math.ceil(rows.length / this.#batchSize));
    for (let part = 0; part < parts; part++) {
      const start = part * this.#batchSize;
      const end = Math.min(rows.length, start + this.#batchSize);
      // Only the first part replaces the data set; the others add to it.
      const partQuery = query.replace ? { ...query, replace: part === 0 } : query;
      // Each part is one upload, known by its place and its rows (as JSON: an Arrow body's
      // bytes hold dictionary ids that differ from call to call). Sent again (a retry, the same
      // call once more) it stores nothing, while equal rows at another place are stored.
      const key = `${query.idempotencyKey ?? (await sha256Hex(rows.body(start, end, false).body as string))}:${start}-${end}`;
      const upload = (arrow: boolean) =>
        this.api.ingestReference(model, rows.body(start, end, arrow), { ...partQuery, idempotencyKey: key });
      let result: IngestResult;
      try {
        result = await upload(this.#arrow);
      } catch (error) {
        if (!(error instanceof VigilHttpError && error.status === 415 && this.#arrow)) throw error;
        this.#arrow = false;
        result = await upload(false);
      }
      total.accepted += result.accepted;
      for (const r of result.rejected) total.rejected.push({ ...r, index: r.index + start });
    }
    return total;
  }

  /** Sends predictions for the default model now, bypassing the queue. */
  ingestPredictions(records: readonly PredictionRecord[]): Promise<IngestResult> {
    if (this.#defaultModel === undefined) return Promise.reject(noModel());
    return this.api.ingestPredictions(this.#defaultModel, records);
  }

  /**
   * Sends everything queued and resolves once every record logged before the call is stored,
   * refused or failed for good. Never rejects.
   */
  async flush(): Promise<FlushResult> {
    this.#cutAll();
    const waiting = [...this.#ready, ...this.#inFlight].map((batch) => batch.done);
    this.#pump();
    await Promise.all(waiting);
    this.#reportDrops();
    const result = this.#report;
    this.#report = emptyResult();
    return result;
  }

  /** Flushes and stops the timer; records logged afterwards are dropped and reported. */
  close(): Promise<FlushResult> {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    return this.flush();
  }

  get stats(): ClientStats {
    return { pending: this.#held, ...this.#stats };
  }

  #enqueue(model: string | undefined, item: Item): void {
    if (this.#closed) {
      this.#drop(new VigilRecordError('client_closed', 'Record logged after close()'));
      return;
    }
    if (model === undefined) {
      this.#drop(noModel());
      return;
    }
    if (this.#held >= this.#maxQueue) {
      this.#stats.dropped++;
      this.#report.dropped++;
      this.#unreportedDrops++;
      return;
    }
    const kind = item.kind;
    // Records mostly come to the stream of the one before: no key to build and look up then.
    let stream = this.#lastStream;
    if (stream === undefined || stream.kind !== kind || stream.model !== model) {
      const key = `${kind}\u0000${model}`;
      stream = this.#streams.get(key);
      if (!stream) {
        const columns = kind === 'predictions' && this.#columns;
        stream = { kind, model, records: columns ? new Columns() : new Lines() };
        this.#streams.set(key, stream);
      }
      this.#lastStream = stream;
    }
    // Everything the record needs is copied (or serialised) now, so the caller may reuse it.
    try {
      if (item.kind === 'predictions' && stream.records instanceof Columns) {
        const batch = stream.records.columns;
        batch.add(item.record, item.id);
        if (batch.length > 1 && batch.chars > this.#maxBatchChars) {
          batch.removeLast();
          this.#cut(stream);
          (stream.records as Columns).columns.add(item.record, item.id);
        }
      } else {
        const line =
          item.kind === 'labels'
            ? toNdjsonLine(prepareLabel(item.label))
            : toNdjsonLine(preparePrediction({ ...item.record, id: item.id }));
        const lines = stream.records as Lines;
        if (lines.length > 0 && lines.chars + line.length + 1 > this.#maxBatchChars) this.#cut(stream);
        (stream.records as Lines).add(line);
      }
    } catch (error) {
      this.#drop(error instanceof VigilError ? error : new VigilRecordError('invalid_record', String(error)));
      return;
    }
    const records = stream.records;
    this.#held++;
    if (records.length >= this.#batchSize) {
      this.#cut(stream);
      this.#pump();
    }
    this.#startTimer();
  }

  #enqueueRows(kind: LogKind, model: string | undefined, rows: Records): void {
    const length = rows.length;
    if (length === 0) return;
    if (this.#closed || model === undefined) {
      this.#stats.dropped += length - 1;
      this.#report.dropped += length - 1;
      this.#drop(
        model === undefined
          ? noModel()
          : new VigilRecordError('client_closed', 'Records logged after close()'),
      );
      return;
    }
    if (this.#held + length > this.#maxQueue) {
      this.#stats.dropped += length;
      this.#report.dropped += length;
      this.#unreportedDrops += length;
      return;
    }
    this.#held += length;
    for (let start = 0; start < length; start += this.#batchSize) {
      this.#ready.push(this.#batch(kind, model, rows, start, Math.min(length, start + this.#batchSize)));
    }
    this.#pump();
  }

  #drop(error: VigilError): void {
    this.#stats.dropped++;
    this.#report.dropped++;
    this.#report.errors.push(error);
    this.#emit(error);
  }

  #reportDrops(): void {
    if (this.#unreportedDrops === 0) return;
    const error = new VigilQueueOverflowError(this.#unreportedDrops, this.#maxQueue);
    this.#unreportedDrops = 0;
    this.#report.errors.push(error);
    this.#emit(error);
  }

  #emit(error: VigilError): void {
    try {
      this.#onError(error);
    } catch {
      // The application's handler failing must not break logging.
    }
  }

  #startTimer(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      this.#cutAll();
      this.#pump();
      this.#reportDrops();
    }, this.#flushIntervalMs);
    unrefTimer(this.#timer);
  }

  #cutAll(): void {
    for (const stream of this.#streams.values()) if (stream.records.length > 0) this.#cut(stream);
  }

  #batch(kind: LogKind, model: string, records: Records, start: number, end: number): Batch {
    let settle = () => {};
    const done = new Promise<void>((resolve) => {
      settle = resolve;
    });
    return { kind, model, records, start, end, done, settle };
  }

  #cut(stream: Stream): void {
    const { records } = stream;
    this.#ready.push(this.#batch(stream.kind, stream.model, records, 0, records.length));
    stream.records = stream.records instanceof Lines ? new Lines() : new Columns();
  }

  #pump(): void {
    while (this.#inFlight.size < this.#maxInFlight) {
      const batch = this.#ready.shift();
      if (!batch) return;
      this.#inFlight.add(batch);
      void this.#deliver(batch);
    }
  }

  async #deliver(batch: Batch): Promise<void> {
    try {
      await this.#send(batch.kind, batch.model, batch.records, batch.start, batch.end);
    } finally {
      this.#inFlight.delete(batch);
      this.#held -= batch.end - batch.start;
      batch.settle();
      this.#pump();
    }
  }

  /** Sends records `start` to `end` of a batch; a batch too large for the server (413) is split in halves. */
  async #send(kind: LogKind, model: string, records: Records, start: number, end: number): Promise<void> {
    const body = records.body(start, end, this.#arrow);
    const count = end - start;
    let result: IngestResult;
    try {
      result =
        kind === 'predictions'
          ? await this.api.ingestPredictions(model, body)
          : await this.api.ingestLabels(model, body);
    } catch (error) {
      if (
        error instanceof VigilHttpError &&
        error.status === 415 &&
        body.contentType === ARROW_CONTENT_TYPE
      ) {
        // A server without Arrow: columnar JSON from now on, this batch included.
        this.#arrow = false;
        await this.#send(kind, model, records, start, end);
        return;
      }
      if (error instanceof VigilHttpError && error.status === 413 && count > 1) {
        const half = start + (count >>> 1);
        await this.#send(kind, model, records, start, half);
        await this.#send(kind, model, records, half, end);
        return;
      }
      const cause =
        error instanceof VigilError ? error : new VigilError('unexpected', String(error), { cause: error });
      const failure = new VigilDeliveryError(kind, model, count, cause);
      this.#stats.failed += count;
      this.#report.failed += count;
      this.#report.errors.push(failure);
      this.#emit(failure);
      return;
    }
    this.#stats.accepted += result.accepted;
    this.#report.accepted += result.accepted;
    if (result.rejected.length === 0) return;
    const rejected = result.rejected.map((r) => ({ kind, model, id: r.id, error: r.error }));
    this.#stats.rejected += rejected.length;
    this.#report.rejected.push(...rejected);
    try {
      this.#onRejected?.(rejected);
    } catch {
      // The application's handler failing must not break logging.
    }
  }
}

function noModel(): VigilRecordError {
  return new VigilRecordError(
    'no_model',
    'No model named: pass `model` to VigilClient or use client.model(name)',
  );
}
