/**
 * Ingestion: checks records, lays them out in the model's columns (adding columns
 * for new features), and stores them durably. Per-record problems never fail the
 * batch; the result lists each rejected record with its position, id and reason.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ChangeAuditor } from '../audit/index.js';
import {
  type IngestResult,
  type ModelSchema,
  type RejectedRecord,
  violationsByKind,
} from '../domain/index.js';
import { BadRequestError } from '../errors.js';
import type { ParsedBody } from '../ingest/body.js';
import {
  type ColumnarBody,
  checkPredictionColumns,
  layOutColumns,
  missingColumnsOf,
} from '../ingest/columns.js';
import { inferSchema } from '../ingest/infer-schema.js';
import {
  checkLabels,
  checkPredictions,
  checkReference,
  declaredClasses,
  type FirstPass,
  missingColumns,
  type NormalizeContext,
  type PendingRecord,
  toEventRecords,
} from '../ingest/normalize.js';
import {
  describeInference,
  flatColumnNames,
  type InferredColumns,
  type ReferenceColumns,
  resolveReferenceColumns,
  withFieldNames,
} from '../ingest/reference-columns.js';
import type { Metrics } from '../metrics/registry.js';
import { schemaColumns } from '../storage/columns.js';
import type { ModelColumn, ModelRow, Store } from '../storage/types.js';
import { Mutex } from '../util/mutex.js';
import { ColumnCatalog } from './columns.js';

export interface ReferenceOptions {
  dataset: string;
  version: string | undefined;
  replace: boolean;
  /** Columns the upload names for the id, timestamp, prediction, score and label. */
  columns?: ReferenceColumns;
  /**
   * Identifies the upload (a digest of its body or of the client's Idempotency-Key): an upload
   * already applied to the dataset is not stored again and answers as the first time.
   */
  uploadKey?: string;
  /** Records the configuration the upload creates (the default monitors) in the audit trail. */
  audit?: ChangeAuditor;
}

export interface ReferenceResult extends IngestResult {
  schema_inferred: boolean;
  /** What the inferred schema made of the upload's columns; null when no schema was inferred. */
  inferred: InferredColumns | null;
  /** True when the same upload was applied before: nothing was stored this time. */
  replayed: boolean;
}

function merged(parseErrors: ParsedBody['errors'], rejected: RejectedRecord[]): RejectedRecord[] {
  const all = [...parseErrors.map((e) => ({ index: e.index, id: null, error: e.error })), ...rejected];
  return all.sort((a, b) => a.index - b.index);
}

/** Keeps the first record of each id: re-sent ids are accepted but stored once. */
function dropRepeatedIds(first: FirstPass): FirstPass {
  const seen = new Set<string>();
  const pending = first.pending.filter((p) => {
    if (seen.has(p.event.id)) return false;
    seen.add(p.event.id);
    return true;
  });
  return { pending, rejected: first.rejected };
}

/**
 * Rows with at least one violation. A loop of its own: inside `predictionColumns`, a loop over
 * every row made V8 optimise that function, which is called once per request and inlines the
 * checks and the layout, several times over a server's first few hundred requests (about 90 ms
 * of compilation each time).
 */
function countViolating(violations: readonly (readonly string[] | null)[]): number {
  let count = 0;
  for (const list of violations) if (list !== null) count++;
  return count;
}

/** Told about what ingestion stored, after it is durable (monitors queue evaluations from it). */
export interface IngestListener {
  predictionsStored(modelId: number, timestampsMicros: ArrayLike<number>): void;
  /** `minutesMicros`: the minutes of the stored predictions the labels belong to (`Store.upsertLabels`). */
  labelsStored(modelId: number, minutesMicros: number[]): void;
  /** May create default monitors; awaited so that the upload's answer reflects them. */
  referenceStored(modelId: number, audit?: ChangeAuditor): Promise<void>;
}

export class IngestService {
  constructor(
    private readonly store: Store,
    private readonly columns: ColumnCatalog,
    private readonly metrics: Metrics,
    private readonly listener?: IngestListener,
  ) {}

  private context(model: ModelRow, schema: ModelSchema | null = model.schema): NormalizeContext {
    return { task: model.task, schema, nowMicros: Date.now() * 1000, classes: declaredClasses(schema) };
  }

  private count(kind: string, accepted: number, rejected: number): void {
    this.metrics.ingestedRecords.inc({ kind, outcome: 'accepted' }, accepted);
    if (rejected > 0) this.metrics.ingestedRecords.inc({ kind, outcome: 'rejected' }, rejected);
  }

  /** Adds columns for features the model has not seen yet, then lays the records out in them. */
  private async layOut(modelId: number, pending: PendingRecord[], schema: ModelSchema | null) {
    let columns = await this.columns.get(modelId);
    const missing = missingColumns(pending, columns, schema);
    if (missing.length > 0) columns = await this.columns.add(modelId, missing);
    return { columns, events: toEventRecords(pending, columns, schema) };
  }

  async predictions(model: ModelRow, body: ParsedBody): Promise<IngestResult> {
    const timer = this.metrics.ingestDuration.startTimer({ kind: 'predictions' });
    const checking = this.metrics.ingestStages.startTimer({ stage: 'check' });
    const first = checkPredictions(body.rows, this.context(model));
    const unique = dropRepeatedIds(first);
    const { columns, events } = await this.layOut(model.id, unique.pending, model.schema);
    checking();
    const storing = this.metrics.ingestStages.startTimer({ stage: 'store' });
    await this.store.insertPredictions(model.id, columns, events);
    storing();
    this.listener?.predictionsStored(
      model.id,
      events.map((e) => e.timestampMicros),
    );
    const rejected = merged(body.errors, first.rejected);
    this.count('predictions', first.pending.length, rejected.length);
    timer();
    return {
      accepted: first.pending.length,
      rejected,
      quality_violations: events.filter((e) => e.violations.length > 0).length,
      violations_by_kind: violationsByKind(events.map((e) => e.violations)),
    };
  }

  /**
   * Predictions sent by column: checked and converted column by column, stored without an object
   * per row. Between its steps that hold the event loop for milliseconds (the body decoded by the
   * route, the checks, the layout) it lets the loop serve what waits: under load, the writer's
   * INSERT of earlier batches, which needs the loop for each chunk of rows and is the step every
   * acknowledgement waits for, while this batch has time to spare until the writer is free.
   */
  async predictionColumns(model: ModelRow, body: ColumnarBody): Promise<IngestResult> {
    const timer = this.metrics.ingestDuration.startTimer({ kind: 'predictions' });
    await nextTurn();
    const checking = this.metrics.ingestStages.startTimer({ stage: 'check' });
    const first = checkPredictionColumns(body, this.context(model));
    await nextTurn();
    let columns = await this.columns.get(model.id);
    const missing = missingColumnsOf(first, columns, model.schema);
    if (missing.length > 0) columns = await this.columns.add(model.id, missing);
    const batch = layOutColumns(first, columns, model.schema);
    checking();
    const storing = this.metrics.ingestStages.startTimer({ stage: 'store' });
    await this.store.insertPredictionColumns(model.id, columns, batch);
    storing();
    this.listener?.predictionsStored(model.id, batch.timestampMicros);
    this.count('predictions', first.accepted, first.rejected.length);
    timer();
    return {
      accepted: first.accepted,
      rejected: first.rejected,
      quality_violations: countViolating(batch.violations),
      violations_by_kind: violationsByKind(batch.violations),
    };
  }

  async labels(model: ModelRow, body: ParsedBody): Promise<IngestResult> {
    const timer = this.metrics.ingestDuration.startTimer({ kind: 'labels' });
    const { labels, rejected } = checkLabels(body.rows, this.context(model));
    const minutes = await this.store.upsertLabels(model.id, labels);
    this.listener?.labelsStored(model.id, minutes);
    const all = merged(body.errors, rejected);
    this.count('labels', labels.length, all.length);
    timer();
    return { accepted: labels.length, rejected: all };
  }

  /**
   * Stores reference rows; the first reference upload of a model without a schema infers
   * one. Everything is checked first; then the inferred schema, new columns, the dataset
   * (created, or emptied with `replace`) and the rows are stored all-or-nothing.
   */
  async reference(model: ModelRow, body: ParsedBody, options: ReferenceOptions): Promise<ReferenceResult> {
    // One upload of a model at a time, so that the same upload sent twice at once is stored once.
    let lock = this.referenceLocks.get(model.id);
    if (!lock) {
      lock = new Mutex();
      this.referenceLocks.set(model.id, lock);
    }
    return lock.run(() => this.referenceLocked(model, body, options));
  }

  private readonly referenceLocks = new Map<number, Mutex>();

  private async referenceLocked(
    model: ModelRow,
    body: ParsedBody,
    options: ReferenceOptions,
  ): Promise<ReferenceResult> {
    const timer = this.metrics.ingestDuration.startTimer({ kind: 'reference' });
    const key = options.uploadKey;
    if (key !== undefined && !options.replace) {
      const earlier = await this.store.getReferenceDataset(model.id, options.dataset);
      const answer = earlier ? await this.store.referenceUploads.find(earlier.id, key) : null;
      if (answer !== null) {
        timer();
        return { ...(answer as Omit<ReferenceResult, 'replayed'>), replayed: true };
      }
    }
    // The output columns: named by the upload, else the schema's, else recognised by name.
    const present = flatColumnNames(body.rows);
    const fields = resolveReferenceColumns(present, model.schema, options.columns ?? {});
    let first = checkReference(body.rows, this.context(model, withFieldNames(model.schema, fields)));
    let schema = model.schema === null ? null : withFieldNames(model.schema, fields);
    let inferred: ModelSchema | null = null;
    if (schema === null && first.pending.length > 0) {
      const guess = inferSchema(first.pending, model.task);
      inferred = {
        ...guess,
        id_field: fields.id,
        timestamp_field: fields.timestamp,
        prediction_field: fields.prediction,
        label_field: fields.label,
      };
      if (guess.score_field !== undefined) inferred.score_field = fields.score;
      schema = inferred;
      first = checkReference(body.rows, this.context(model, schema));
    }
    let versionId: number | null = null;
    if (options.version !== undefined) {
      const version = await this.store.getModelVersion(model.id, options.version);
      if (!version) {
        throw new BadRequestError(
          `Model "${model.name}" has no version "${options.version}"; register it with POST /api/v1/models/${model.name}/versions first.`,
        );
      }
      versionId = version.id;
    }
    if (inferred) await this.columns.checkSchema(model.name, model.id, inferred);
    // Lay the records out in the columns they will have: the model's, the inferred schema's,
    // then new features (as many as the column limit leaves room for).
    const existing = await this.columns.get(model.id);
    const target: ModelColumn[] = [
      ...existing,
      ...ColumnCatalog.newColumns(existing, inferred ? schemaColumns(inferred) : []).map((c, i) => ({
        ...c,
        position: -1 - i,
      })),
    ];
    const room = Math.max(0, this.columns.limit - target.length);
    const missing = missingColumns(first.pending, target, schema)
      .slice(0, room)
      .map((c, i) => ({ ...c, position: -1 - target.length - i }));
    const columns = [...target, ...missing];
    const events = toEventRecords(first.pending, columns, schema);
    const rejected = merged(body.errors, first.rejected);
    const answer = {
      accepted: first.pending.length,
      rejected,
      quality_violations: events.filter((e) => e.violations.length > 0).length,
      violations_by_kind: violationsByKind(events.map((e) => e.violations)),
      schema_inferred: inferred !== null,
      inferred: inferred === null ? null : describeInference(inferred, present, fields),
    };
    const stored = await this.store.storeReferenceUpload({
      modelId: model.id,
      ...(inferred ? { schema: { schema: inferred, source: 'inferred' as const } } : {}),
      dataset: { name: options.dataset, versionId },
      replace: options.replace,
      columns: columns.map(({ position: _, ...c }) => c),
      records: events,
      ...(key !== undefined ? { upload: { key, answer } } : {}),
    });
    this.columns.set(model.id, stored.columns);
    await this.listener?.referenceStored(model.id, options.audit);
    this.count('reference', first.pending.length, rejected.length);
    timer();
    return { ...answer, replayed: false };
  }
}
