/**
 * The demo: registers the sample churn model with its training set, backfills the last days of
 * traffic and late labels, then streams new predictions and labels while the server runs. It
 * writes through the same ingestion service as the API, so monitors, alerts and the dashboard
 * treat it as real traffic. Removing it deletes exactly the models it created.
 */
import { createSeededRandom, type RandomStream } from '@vigil/stats';
import type { FastifyBaseLogger } from 'fastify';
import type { ChangeAuditor } from '../audit/index.js';
import { ModelSchema } from '../domain/index.js';
import { ConflictError } from '../errors.js';
import type { ColumnCatalog } from '../services/columns.js';
import type { IngestService } from '../services/ingest.js';
import type { ModelRow, Store } from '../storage/types.js';
import { Mutex } from '../util/mutex.js';
import {
  DEMO_MODEL,
  DEMO_SCHEMA,
  DEMO_TAG,
  type DemoPrediction,
  referenceRows,
  trafficBetween,
} from './churn.js';
import {
  CHALLENGER_SINCE_HOURS,
  CHALLENGER_VERSION,
  challengerPrediction,
  createDemoRegistry,
  removeDemoExperiment,
  unaudited,
} from './experiment.js';

const HOUR_MS = 3_600_000;
/** Predictions and labels sent per ingest call while backfilling. */
const BATCH = 5000;
const REFERENCE_ROWS = 4000;
export const DEFAULT_TICK_MS = 2000;

export interface DemoOptions {
  /** Hours of history to backfill before now. */
  hours: number;
  ratePerHour: number;
  seed: number;
}

/** Most predictions of history one start backfills (hours × rate), which keeps a start to seconds. */
export const MAX_DEMO_HISTORY = 20_000;

export const DEFAULT_DEMO_OPTIONS: DemoOptions = { hours: 48, ratePerHour: 300, seed: 7 };

export interface DemoStatus {
  model: string;
  created: boolean;
  streaming: boolean;
  /** What the backfill stored (zero when the demo already existed). */
  predictions: number;
  labels: number;
}

interface PendingLabel {
  id: string;
  label: string;
  atMs: number;
}

/** One demo model's live traffic. */
class Stream {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly model: ModelRow,
    private readonly ingest: IngestService,
    private readonly random: RandomStream,
    private readonly ratePerHour: number,
    private lastMs: number,
    private pending: PendingLabel[],
    private readonly now: () => number,
    private readonly log: FastifyBaseLogger,
    private readonly shadow: (traffic: DemoPrediction[]) => Promise<void>,
  ) {}

  start(tickMs: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.tick(), tickMs);
    this.timer.unref();
  }

  /** Sends what happened since the last tick: new predictions, then the labels that fell due. */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.send()
      .catch((error: unknown) =>
        this.log.warn({ err: error, model: this.model.name }, 'demo traffic not sent'),
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async send(): Promise<void> {
    const now = this.now();
    const traffic = trafficBetween(
      this.random,
      this.lastMs,
      now,
      this.model.createdAt.getTime(),
      this.ratePerHour,
    );
    if (traffic.length > 0) {
      await this.ingest.predictions(this.model, { rows: traffic.map((p) => p.record), errors: [] });
      await this.shadow(traffic);
      this.pending.push(...pendingLabels(traffic));
    }
    this.lastMs = now;
    const due = this.pending.filter((l) => l.atMs <= now);
    if (due.length > 0) {
      this.pending = this.pending.filter((l) => l.atMs > now);
      await this.ingest.labels(this.model, { rows: due.map(({ id, label }) => ({ id, label })), errors: [] });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

function pendingLabels(traffic: DemoPrediction[]): PendingLabel[] {
  return traffic.flatMap((p) =>
    p.labelAtMs === null ? [] : [{ id: p.record.id, label: p.label, atMs: p.labelAtMs }],
  );
}

export interface DemoDependencies {
  store: Store;
  columns: ColumnCatalog;
  ingest: IngestService;
  log: FastifyBaseLogger;
  now?: () => number;
  tickMs?: number;
}

export class DemoService {
  private readonly streams = new Map<number, Stream>();
  private readonly lock = new Mutex();
  private readonly now: () => number;
  private stopped = false;

  constructor(private readonly deps: DemoDependencies) {
    this.now = deps.now ?? Date.now;
  }

  private async demoModels(projectId: number): Promise<ModelRow[]> {
    return (await this.deps.store.listModels(projectId)).filter((m) => m.tags[DEMO_TAG] !== undefined);
  }

  /** The demo model of the project, if any, and whether it streams. */
  async status(projectId: number): Promise<{ model: string | null; streaming: boolean }> {
    const [model] = await this.demoModels(projectId);
    return { model: model?.name ?? null, streaming: model !== undefined && this.streams.has(model.id) };
  }

  /**
   * Creates the demo (or resumes streaming an existing one). With `audit`, every change it makes
   * is recorded as the operation it is: the model's create, each version's create, each alias
   * set and removal of its history, each default monitor's create.
   */
  start(
    projectId: number,
    options: DemoOptions = DEFAULT_DEMO_OPTIONS,
    audit: ChangeAuditor = unaudited,
  ): Promise<DemoStatus> {
    return this.lock.run(async () => {
      const [existing] = await this.demoModels(projectId);
      if (existing) {
        this.resumeStream(existing);
        return { model: existing.name, created: false, streaming: true, predictions: 0, labels: 0 };
      }
      if (await this.deps.store.getModel(projectId, DEMO_MODEL)) {
        throw new ConflictError(
          `A model named "${DEMO_MODEL}" already exists and was not created by the demo; rename or delete it to start the demo.`,
        );
      }
      return this.create(projectId, options, audit);
    });
  }

  private async create(projectId: number, options: DemoOptions, audit: ChangeAuditor): Promise<DemoStatus> {
    const { store, columns, ingest } = this.deps;
    const schema = ModelSchema.parse(DEMO_SCHEMA);
    await columns.checkSchema(DEMO_MODEL, null, schema);
    const createModel = (input: Parameters<Store['createModel']>[0]) =>
      audit({ entity: 'model', action: 'create', names: { name: DEMO_MODEL } }, () =>
        store.createModel(input),
      );
    const model = await createModel({
      projectId,
      name: DEMO_MODEL,
      task: 'binary_classification',
      description:
        'Sample churn classifier from the demo: generated customers, a price change that came and went, ' +
        'a broken pipeline, and an acquisition campaign that is still going. Remove it from the overview or with DELETE /api/v1/demo.',
      tags: {
        [DEMO_TAG]: 'churn',
        [`${DEMO_TAG}.rate`]: String(options.ratePerHour),
        [`${DEMO_TAG}.seed`]: String(options.seed),
      },
      schema,
      schemaSource: 'declared',
    });
    // Versions 1–3, the runs they came from, and their aliases' history.
    await createDemoRegistry(store, model, model.createdAt.getTime(), options.seed, audit);
    // The training set: default monitors are created from it, as for any model.
    await ingest.reference(
      model,
      { rows: referenceRows(REFERENCE_ROWS, options.seed), errors: [] },
      { dataset: 'training', version: '1', replace: false, audit },
    );

    const origin = model.createdAt.getTime();
    const random = createSeededRandom(options.seed + 1);
    const history = trafficBetween(
      random,
      origin - options.hours * HOUR_MS,
      origin,
      origin,
      options.ratePerHour,
    );
    for (let i = 0; i < history.length; i += BATCH) {
      const batch = history.slice(i, i + BATCH);
      await ingest.predictions(model, { rows: batch.map((p) => p.record), errors: [] });
      await this.shadowPredictions(model, batch);
    }
    const labels = pendingLabels(history);
    const known = labels.filter((l) => l.atMs <= origin);
    for (let i = 0; i < known.length; i += BATCH) {
      const batch = known.slice(i, i + BATCH).map(({ id, label }) => ({ id, label }));
      await ingest.labels(model, { rows: batch, errors: [] });
    }
    this.startStream(
      model,
      random,
      options.ratePerHour,
      origin,
      labels.filter((l) => l.atMs > origin),
    );
    return {
      model: model.name,
      created: true,
      streaming: true,
      predictions: history.length,
      labels: known.length,
    };
  }

  /** The challenger's predictions for the ids the champion served since the challenger was set. */
  private async shadowPredictions(model: ModelRow, traffic: DemoPrediction[]): Promise<void> {
    const since = model.createdAt.getTime() - CHALLENGER_SINCE_HOURS * HOUR_MS;
    const rows = traffic.filter((p) => Date.parse(p.record.timestamp) >= since).map(challengerPrediction);
    if (rows.length > 0)
      await this.deps.store.comparison.insertShadowPredictions(model.id, CHALLENGER_VERSION, rows);
  }

  private startStream(
    model: ModelRow,
    random: RandomStream,
    ratePerHour: number,
    fromMs: number,
    pending: PendingLabel[],
  ): void {
    if (this.stopped || this.streams.has(model.id)) return;
    const stream = new Stream(
      model,
      this.deps.ingest,
      random,
      ratePerHour,
      fromMs,
      pending,
      this.now,
      this.deps.log,
      (traffic) => this.shadowPredictions(model, traffic),
    );
    this.streams.set(model.id, stream);
    stream.start(this.deps.tickMs ?? DEFAULT_TICK_MS);
  }

  /** Streams on from now for a demo model found in the store (after a restart). */
  private resumeStream(model: ModelRow): void {
    const rate = Number(model.tags[`${DEMO_TAG}.rate`] ?? DEFAULT_DEMO_OPTIONS.ratePerHour);
    const seed = Number(model.tags[`${DEMO_TAG}.seed`] ?? DEFAULT_DEMO_OPTIONS.seed);
    const random = createSeededRandom((seed + this.now()) | 0);
    this.startStream(model, random, Number.isFinite(rate) && rate > 0 ? rate : 600, this.now(), []);
  }

  /** At server start: demo models left from an earlier run stream again. */
  async resume(projectId: number): Promise<void> {
    await this.lock.run(async () => {
      for (const model of await this.demoModels(projectId)) this.resumeStream(model);
    });
  }

  /**
   * Stops streaming and deletes every model the demo created, with all their data; with `audit`,
   * each is recorded as a model delete.
   */
  remove(projectId: number, audit: ChangeAuditor = unaudited): Promise<string[]> {
    return this.lock.run(async () => {
      const models = await this.demoModels(projectId);
      await removeDemoExperiment(this.deps.store, projectId);
      for (const model of models) {
        await this.streams.get(model.id)?.stop();
        this.streams.delete(model.id);
        await audit({ entity: 'model', action: 'delete', names: { name: model.name } }, () =>
          this.deps.store.deleteModel(model.id),
        );
        this.deps.columns.forget(model.id);
      }
      return models.map((m) => m.name);
    });
  }

  /** Sends one tick of every stream now (what the timer does every few seconds). */
  async tickNow(): Promise<void> {
    await Promise.all([...this.streams.values()].map((s) => s.tick()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.streams.values()].map((s) => s.stop()));
    this.streams.clear();
  }
}
