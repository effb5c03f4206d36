/**
 * The monitoring service: creates and edits monitors (with validation and backfill), keeps the
 * evaluation queue fed from ingestion, and runs evaluation in the background.
 *
 * Windows are queued, not evaluated inline: ingestion marks the windows its rows fall in (due a
 * short debounce later, so a burst is evaluated once, seconds after it arrived); late labels
 * mark the windows of their predictions; a window still open is evaluated again when it closes;
 * traffic monitors also queue windows that received nothing. The queue lives in the store, so a
 * restart resumes it, and evaluation replaces a window's results whole, so running a window
 * twice changes nothing.
 */

import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { ChangeAuditor } from '../audit/index.js';
import type { MonitoringConfig } from '../config.js';
import { MonitorConfig, type MonitorConfigInput } from '../domain/monitor-config.js';
import { ConflictError } from '../errors.js';
import type { ColumnCatalog } from '../services/columns.js';
import type { IngestListener } from '../services/ingest.js';
import type { EvaluationTask, MonitorRow, NewEvaluationTask, WindowResults } from '../storage/monitoring.js';
import type { ModelColumn, ModelRow, Store } from '../storage/types.js';
import { BaselineCache, type EvaluationContext } from './context.js';
import { BUDGETED_KINDS, defaultMonitors } from './defaults.js';
import { evaluateWindow, resolveWindow } from './evaluate.js';
import { landingChunks } from './landing.js';
import { PartialMemory } from './partial-profile.js';
import { WindowSamples } from './partial-sample.js';
import { ProfileBatch } from './profile-batch.js';
import { SharedWindowProfile } from './shared-profile.js';
import { validateMonitor } from './validate.js';
import { warmReferenceBaselines } from './warm.js';
import { type EvaluationWindow, windowMicros, windowStartsOf } from './windows.js';

export interface MonitoringOptions extends MonitoringConfig {
  now?: () => number;
  /**
   * Whether the monitors of a model evaluated for the same window share one window profile
   * (default). Off, each monitor profiles the window on its own: what tests and benchmarks
   * compare the shared profile with.
   */
  shareWindowProfiles?: boolean;
  /**
   * Whether windows of several minutes merge stored per-minute partial profiles instead of
   * scanning every minute again (default; needs shared window profiles). Off: what tests and
   * benchmarks compare them with.
   */
  partialProfiles?: boolean;
  /**
   * Whether windows known to be small are read once and profiled in-process (default; needs
   * shared window profiles; see `small-window.ts`). Off: what tests and benchmarks compare with.
   */
  smallWindows?: boolean;
}

export const DEFAULT_MONITORING_OPTIONS: MonitoringOptions = {
  falseAlarmsPerWeek: 1,
  debounceMs: 500,
  closeGraceMs: 5_000,
  defaultWindow: '1h',
  maxBackfillWindows: 2_000,
};

const LEASE_MS = 120_000;
const MINUTE_MICROS = 60_000_000;
/**
 * Tasks claimed at a time: a batch's results land in one transaction and its windows' profiles
 * are computed together, so larger batches pay fewer fixed costs. The size adapts so that a
 * batch takes about `CLAIM_TARGET_MS`, well inside its lease, whether windows are small or large.
 */
const CLAIM_BATCH_MIN = 64;
const CLAIM_BATCH_MAX = 1024;
const CLAIM_TARGET_MS = 10_000;
const RETRY_MS = 30_000;
/**
 * A claimed batch lands in transactions of at most about this many result rows (whole
 * model-windows each): the writer is DuckDB's only one, and ingestion's commits wait for
 * whatever transaction holds it, so no evaluation transaction may hold it for long.
 */
const LAND_CHUNK_ROWS = 2_000;

type ResultsListener = () => void;

/** What evaluating a claimed batch gave: tasks to complete (with their results) and tasks to retry. */
interface GroupOutcome {
  /** `group` numbers the batch's model-windows: a model-window's tasks land together. */
  done: {
    task: EvaluationTask;
    followUpDueMicros: number | null;
    write: WindowResults | null;
    group: number;
  }[];
  failed: { task: EvaluationTask; error: unknown }[];
}

export class MonitorService implements IngestListener {
  private readonly cache = new BaselineCache();
  /** Long open windows' row samples and parsed partial profiles, kept between their evaluations. */
  private readonly windowSamples = new WindowSamples();
  private readonly partialMemory = new PartialMemory();
  private readonly owner = `evaluator-${randomUUID()}`;
  private readonly listeners: ResultsListener[] = [];
  private readonly monitorsByModel = new Map<number, MonitorRow[]>();
  /** Counts monitor definition changes, so a list read before one is not cached after it. */
  private definitionsChanged = 0;
  private enabledById: Map<number, MonitorRow> | null = null;
  private readonly lastData = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private unsubscribeHealth: (() => void) | null = null;
  private readonly pendingMarks = new Map<number, Set<number>>();
  /** Models whose new data is being written to the queue right now. */
  private readonly marking = new Map<number, number>();
  private running: Promise<void> | null = null;
  private stopped = true;
  private wakeRequested = false;
  private readonly now: () => number;
  private claimSize = CLAIM_BATCH_MIN;

  constructor(
    private readonly store: Store,
    private readonly columns: ColumnCatalog,
    private readonly log: FastifyBaseLogger,
    readonly options: MonitoringOptions = DEFAULT_MONITORING_OPTIONS,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Called after every batch of results is stored (alerting follows them). */
  onResults(listener: ResultsListener): void {
    this.listeners.push(listener);
  }

  // ------------------------------------------------------------ definitions

  parse(monitor: MonitorRow): MonitorConfig {
    return MonitorConfig.parse(monitor.config);
  }

  private async monitorsOf(modelId: number): Promise<MonitorRow[]> {
    let monitors = this.monitorsByModel.get(modelId);
    if (!monitors) {
      const generation = this.definitionsChanged;
      monitors = await this.store.monitors.list(modelId);
      // A monitor created or edited while the list was read: the list may miss it, keep it uncached.
      if (generation === this.definitionsChanged) this.monitorsByModel.set(modelId, monitors);
    }
    return monitors;
  }

  private forget(modelId: number): void {
    // Baseline statistics stay: their keys name the baseline and the measures, not the monitor.
    this.definitionsChanged++;
    this.monitorsByModel.delete(modelId);
    this.enabledById = null;
  }

  /**
   * A monitor by id, from memory when this process is the store's only user (every definition
   * change then goes through this service); null when it is gone or disabled.
   */
  private async enabledMonitor(id: number): Promise<MonitorRow | null> {
    if (!this.store.exclusive) {
      const monitor = await this.store.monitors.getById(id);
      return monitor?.enabled ? monitor : null;
    }
    let byId = this.enabledById;
    if (!byId) {
      const generation = this.definitionsChanged;
      byId = new Map((await this.store.monitors.listEnabled()).map((m) => [m.id, m]));
      if (generation === this.definitionsChanged) this.enabledById = byId;
    }
    return byId.get(id) ?? null;
  }

  async create(
    model: ModelRow,
    name: string,
    input: MonitorConfigInput,
    isDefault = false,
  ): Promise<MonitorRow> {
    const config = MonitorConfig.parse(input);
    validateMonitor(model, await this.columns.get(model.id), config);
    if (await this.store.monitors.get(model.id, name)) {
      throw new ConflictError(`Model "${model.name}" already has a monitor named "${name}".`);
    }
    const monitor = await this.store.monitors.create({
      modelId: model.id,
      name,
      kind: config.kind,
      enabled: true,
      isDefault,
      config: config as unknown as Record<string, unknown>,
    });
    this.forget(model.id);
    await this.backfill(model, monitor);
    return monitor;
  }

  async update(
    model: ModelRow,
    monitor: MonitorRow,
    patch: { enabled?: boolean; config?: MonitorConfigInput },
  ): Promise<MonitorRow> {
    let config = this.parse(monitor);
    if (patch.config !== undefined) {
      config = MonitorConfig.parse(patch.config);
      if (config.kind !== monitor.kind) {
        throw new ConflictError(
          `A monitor's kind cannot change (it is ${monitor.kind}); create another monitor.`,
        );
      }
      validateMonitor(model, await this.columns.get(model.id), config);
    }
    const updated = await this.store.monitors.update(monitor.id, {
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      ...(patch.config !== undefined ? { config: config as unknown as Record<string, unknown> } : {}),
    });
    this.forget(model.id);
    if (patch.config !== undefined) {
      // The definition changed: its history is evaluated again under the new one.
      await this.store.evaluationTasks.deleteForMonitor(monitor.id);
      await this.store.results.deleteForMonitor(monitor.id);
    }
    if (updated.enabled && (patch.config !== undefined || patch.enabled === true))
      await this.backfill(model, updated);
    return updated;
  }

  async delete(model: ModelRow, monitor: MonitorRow): Promise<void> {
    await this.store.monitors.delete(monitor.id);
    this.forget(model.id);
  }

  /**
   * Creates the default monitors once, when the model gets reference data; with `audit`, each
   * is recorded in the audit trail as a monitor create by whoever sent the data.
   */
  async ensureDefaults(model: ModelRow, audit?: ChangeAuditor): Promise<MonitorRow[]> {
    const existing = await this.store.monitors.list(model.id);
    if (existing.some((m) => m.isDefault)) return [];
    const created: MonitorRow[] = [];
    const columns = await this.columns.get(model.id);
    for (const { name, config } of defaultMonitors(model, this.options.defaultWindow, columns)) {
      if (existing.some((m) => m.name === name)) continue;
      const create = () => this.create(model, name, config, true);
      created.push(
        await (audit
          ? audit({ entity: 'monitor', action: 'create', model: model.name, names: { name } }, create)
          : create()),
      );
    }
    return created;
  }

  /** Queues the windows of stored history a monitor should have results for. */
  private async backfill(model: ModelRow, monitor: MonitorRow): Promise<void> {
    const config = this.parse(monitor);
    const size = windowMicros(config.window);
    const nowMicros = this.now() * 1000;
    if (size === null) {
      await this.store.evaluationTasks.schedule([
        { monitorId: monitor.id, windowStartMicros: 0, windowEndMicros: 0, dueMicros: nowMicros },
      ]);
    } else {
      const windows = await this.store.profile(model.id, await this.columns.get(model.id), {
        source: { kind: 'predictions' },
        bucketMicros: size,
      });
      const starts = windows
        .filter((w) => w.window !== null && w.rows > 0)
        .map((w) => w.window!)
        .slice(-this.options.maxBackfillWindows);
      await this.store.evaluationTasks.schedule(
        starts.map((start) => ({
          monitorId: monitor.id,
          windowStartMicros: start,
          windowEndMicros: start + size,
          dueMicros: nowMicros,
        })),
      );
      if (config.kind === 'traffic') {
        await this.store.evaluationTasks.setScheduledThrough(monitor.id, Math.floor(nowMicros / size) * size);
      }
    }
    this.poke();
  }

  // ------------------------------------------------------------ ingestion hooks

  /**
   * Marks the windows that new predictions fall in. Called after the rows are durable; the
   * marks are gathered in memory (per minute, the smallest window) and written to the queue
   * once per debounce interval, so ingestion pays no extra write. A crash before that write is
   * covered by `catchUp` at the next start.
   */
  predictionsStored(modelId: number, timestampsMicros: ArrayLike<number>): void {
    if (timestampsMicros.length === 0) return;
    let minutes = this.pendingMarks.get(modelId);
    if (!minutes) {
      minutes = new Set();
      this.pendingMarks.set(modelId, minutes);
    }
    let newest = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < timestampsMicros.length; i++) {
      const t = timestampsMicros[i]!;
      if (t > newest) newest = t;
      minutes.add(Math.floor(t / MINUTE_MICROS) * MINUTE_MICROS);
    }
    const known = this.lastData.get(modelId);
    if (known !== undefined)
      this.lastData.set(modelId, Number.isFinite(known) ? Math.max(known, newest) : newest);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.flushMarks().catch((error: unknown) =>
          this.log.error({ err: error }, 'could not queue evaluations'),
        );
      }, this.options.debounceMs);
    }
  }

  /** Writes the gathered marks to the evaluation queue. */
  async flushMarks(): Promise<void> {
    const pending = [...this.pendingMarks.entries()];
    this.pendingMarks.clear();
    for (const [modelId, minutes] of pending) {
      await this.whileMarking(modelId, () => this.mark(modelId, [...minutes], () => true));
    }
  }

  private async whileMarking(modelId: number, work: () => Promise<void>): Promise<void> {
    this.marking.set(modelId, (this.marking.get(modelId) ?? 0) + 1);
    try {
      await work();
    } finally {
      const left = (this.marking.get(modelId) ?? 1) - 1;
      if (left === 0) this.marking.delete(modelId);
      else this.marking.set(modelId, left);
    }
  }

  /**
   * Windows of a monitor due for evaluation, counting data whose windows are not queued yet:
   * zero means every stored row is reflected in the results (open windows are also evaluated
   * once more when they close).
   */
  async pendingWindows(monitor: MonitorRow): Promise<number> {
    const unqueued = this.pendingMarks.has(monitor.modelId) || this.marking.has(monitor.modelId) ? 1 : 0;
    const dueBy = (this.now() + this.options.debounceMs) * 1000;
    return (await this.store.evaluationTasks.countForMonitor(monitor.id, dueBy)) + unqueued;
  }

  /**
   * Queues the windows of predictions ingested shortly before this start, in case marks were
   * lost with the previous process.
   */
  async catchUp(sinceMicros: number): Promise<void> {
    if (this.store.exclusive) await this.store.evaluationTasks.releaseAllLeases();
    for (const monitor of await this.store.monitors.listEnabled()) {
      const size = windowMicros(this.parse(monitor).window);
      const model = await this.store.getModelById(monitor.modelId);
      if (!model) continue;
      const windows = await this.store.profile(model.id, await this.columns.get(model.id), {
        source: { kind: 'predictions', ingestedAfterMicros: sinceMicros },
        ...(size !== null ? { bucketMicros: size } : {}),
      });
      const nowMicros = this.now() * 1000;
      await this.store.evaluationTasks.schedule(
        windows
          .filter((w) => w.rows > 0)
          .map((w) =>
            size === null
              ? { monitorId: monitor.id, windowStartMicros: 0, windowEndMicros: 0, dueMicros: nowMicros }
              : {
                  monitorId: monitor.id,
                  windowStartMicros: w.window!,
                  windowEndMicros: w.window! + size,
                  dueMicros: nowMicros,
                },
          ),
      );
    }
  }

  /** Marks the windows of the predictions that late labels belong to (`minutesMicros`: see `Store.upsertLabels`). */
  labelsStored(modelId: number, minutesMicros: number[]): void {
    this.whileMarking(modelId, () => this.markLabels(modelId, minutesMicros)).catch((error: unknown) =>
      this.log.error({ err: error }, 'could not queue evaluations for labels'),
    );
  }

  private async markLabels(modelId: number, minutesMicros: number[]): Promise<void> {
    if (minutesMicros.length === 0) return;
    const monitors = (await this.monitorsOf(modelId)).filter(
      (m) => m.enabled && (m.kind === 'performance' || m.kind === 'label_drift'),
    );
    // Every window length is a whole number of minutes, so a minute's start names its window.
    await this.scheduleWindows(monitors, (size) => windowStartsOf(minutesMicros, size));
  }

  /**
   * New reference data: default monitors for a model that has none, and fresh baselines,
   * computed in the background (`warmBaselines`) so that the next window is evaluated warm.
   */
  async referenceStored(modelId: number, audit?: ChangeAuditor): Promise<void> {
    this.cache.clearModel(modelId);
    const model = await this.store.getModelById(modelId);
    if (model) await this.ensureDefaults(model, audit);
    this.queueWarmUp(modelId);
  }

  /** Models waiting for their baselines to be computed, and the end of that queue. */
  private readonly warmUpQueued = new Set<number>();
  private warmUps: Promise<void> = Promise.resolve();
  /** Bumped by `stop`: warm-ups queued before it are dropped. */
  private warmUpEpoch = 0;

  /** One model at a time, so that many uploads at once do not compete with evaluation for the engine. */
  private queueWarmUp(modelId: number): void {
    if (this.warmUpQueued.has(modelId)) return;
    this.warmUpQueued.add(modelId);
    const epoch = this.warmUpEpoch;
    this.warmUps = this.warmUps.then(async () => {
      this.warmUpQueued.delete(modelId);
      if (epoch !== this.warmUpEpoch) return;
      try {
        await this.warmBaselines(modelId, epoch);
      } catch (error) {
        this.log.warn(
          { err: error, modelId },
          'could not compute reference baselines ahead; the first evaluation will',
        );
      }
    });
  }

  /** Resolves when the baselines queued for computation so far are computed (or failed). */
  baselinesWarmed(): Promise<void> {
    return this.warmUps;
  }

  /**
   * Computes the reference baselines of the model's enabled monitors into the cache and the
   * store (see `warm.ts`). A monitor that fails is logged and skipped: its first evaluation
   * computes what it needs, and reports the error if there is one.
   */
  async warmBaselines(modelId: number, epoch = this.warmUpEpoch): Promise<number> {
    const model = await this.store.getModelById(modelId);
    if (!model) return 0;
    const columns = await this.columns.get(modelId);
    let warmed = 0;
    for (const monitor of await this.monitorsOf(modelId)) {
      if (!monitor.enabled || epoch !== this.warmUpEpoch) continue;
      try {
        if (await warmReferenceBaselines(await this.contextFor(model, columns, monitor))) warmed++;
      } catch (error) {
        this.log.debug({ err: error, monitorId: monitor.id }, 'reference baseline not computed ahead');
      }
    }
    return warmed;
  }

  private async mark(
    modelId: number,
    timestamps: number[],
    wanted: (m: MonitorRow) => boolean,
  ): Promise<void> {
    const monitors = (await this.monitorsOf(modelId)).filter((m) => m.enabled && wanted(m));
    if (monitors.length === 0 || timestamps.length === 0) return;
    await this.scheduleWindows(monitors, (size) => windowStartsOf(timestamps, size));
  }

  /** Queues, for each monitor, the windows `startsFor(its window length)` names. */
  private async scheduleWindows(monitors: MonitorRow[], startsFor: (sizeMicros: number) => number[]) {
    const due = (this.now() + this.options.debounceMs) * 1000;
    const tasks = [];
    for (const monitor of monitors) {
      const size = windowMicros(this.parse(monitor).window);
      if (size === null) {
        if (startsFor(MINUTE_MICROS).length > 0)
          tasks.push({ monitorId: monitor.id, windowStartMicros: 0, windowEndMicros: 0, dueMicros: due });
        continue;
      }
      for (const start of startsFor(size)) {
        tasks.push({
          monitorId: monitor.id,
          windowStartMicros: start,
          windowEndMicros: start + size,
          dueMicros: due,
        });
      }
    }
    if (tasks.length === 0) return;
    await this.store.evaluationTasks.schedule(tasks);
    this.wakeAt(due / 1000);
  }

  /** The newest prediction time of each model (from memory once known, else from the store). */
  async lastPredictionTimes(modelIds: number[]): Promise<Map<number, number>> {
    const unknown = modelIds.filter((id) => !this.lastData.has(id));
    if (unknown.length > 0) {
      const found = await this.store.lastPredictionTimes(unknown);
      for (const id of unknown) this.lastData.set(id, found.get(id) ?? Number.NaN);
    }
    const out = new Map<number, number>();
    for (const id of modelIds) {
      const t = this.lastData.get(id)!;
      if (Number.isFinite(t)) out.set(id, t);
    }
    return out;
  }

  // ------------------------------------------------------------ evaluation loop

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribeHealth = this.store.onHealthChange((health) => {
      if (health.writable) this.poke();
    });
    this.poke();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.warmUpEpoch++;
    this.unsubscribeHealth?.();
    this.unsubscribeHealth = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    await this.running;
    await this.warmUps;
    await this.flushMarks().catch((error: unknown) =>
      this.log.warn({ err: error }, 'could not queue evaluations'),
    );
  }

  /** Runs the loop now (new work may be due). */
  poke(): void {
    this.wakeAt(this.now());
  }

  private wakeAt(atMs: number): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.runLoop(), Math.max(0, atMs - this.now()));
  }

  private runLoop(): void {
    this.timer = null;
    this.running = this.drain()
      .then(() => undefined)
      .catch((error: unknown) => this.log.error({ err: error }, 'evaluation loop failed'))
      .finally(async () => {
        this.running = null;
        if (this.stopped) return;
        const next = await this.store.evaluationTasks.nextDueMicros().catch(() => null);
        const again = this.wakeRequested;
        this.wakeRequested = false;
        // Poll at least every few seconds: traffic windows close without any data arriving.
        const nextMs = again
          ? this.now()
          : Math.min(next === null ? Number.POSITIVE_INFINITY : next / 1000, this.now() + 5_000);
        this.wakeAt(nextMs);
      });
  }

  /** Evaluates every task that is due; returns when none is left (or the store cannot write). */
  async drain(): Promise<number> {
    let evaluated = 0;
    // Results could not be stored: wait until the store says it can write again.
    if (!this.store.health().writable) return 0;
    await this.queueEmptyWindows();
    for (;;) {
      const nowMicros = this.now() * 1000;
      const tasks = await this.store.evaluationTasks.claim(
        this.owner,
        nowMicros,
        nowMicros + LEASE_MS * 1000,
        this.claimSize,
      );
      if (tasks.length === 0) break;
      const started = Date.now();
      const outcomes: GroupOutcome = { done: [], failed: [] };
      const groups = await this.groupByModelWindow(tasks);
      const models = await this.store.getModelsByIds([
        ...new Set(groups.flatMap((g) => (g[0]!.monitor?.enabled ? [g[0]!.monitor.modelId] : []))),
      ]);
      if (this.options.shareWindowProfiles === false) {
        for (const [index, group] of groups.entries())
          await this.evaluateGroup(group, index, models, outcomes);
      } else {
        // Every model-window of the batch at once: their profiles are computed together.
        const batch = new ProfileBatch(this.store);
        await Promise.all(
          groups.map((group, index) =>
            batch.participate(() => this.evaluateGroup(group, index, models, outcomes, batch)),
          ),
        );
      }
      await this.land(outcomes);
      evaluated += tasks.length;
      this.adaptClaimSize(tasks.length, Date.now() - started);
      for (const listener of this.listeners) listener();
    }
    return evaluated;
  }

  /** Doubles the claim after a quick full batch, halves it after a slow one. */
  private adaptClaimSize(claimed: number, elapsedMs: number): void {
    if (elapsedMs > CLAIM_TARGET_MS) this.claimSize = Math.max(CLAIM_BATCH_MIN, this.claimSize >> 1);
    else if (claimed === this.claimSize && elapsedMs < CLAIM_TARGET_MS / 4)
      this.claimSize = Math.min(CLAIM_BATCH_MAX, this.claimSize * 2);
  }

  /**
   * Traffic monitors need a result for windows that received nothing. One read and one write
   * transaction for all of them, whatever their number (this runs before every drain).
   */
  private async queueEmptyWindows(): Promise<void> {
    const nowMicros = this.now() * 1000;
    const traffic = (await this.store.monitors.listEnabled()).flatMap((monitor) => {
      if (monitor.kind !== 'traffic') return [];
      const size = windowMicros(this.parse(monitor).window);
      return size === null ? [] : [{ monitor, size, closedThrough: Math.floor(nowMicros / size) * size }];
    });
    if (traffic.length === 0) return;
    const known = await this.store.evaluationTasks.getScheduledThroughMany(traffic.map((t) => t.monitor.id));
    const tasks: NewEvaluationTask[] = [];
    const through: { monitorId: number; micros: number }[] = [];
    for (const { monitor, size, closedThrough } of traffic) {
      const scheduled = known.get(monitor.id) ?? null;
      if (scheduled !== null && scheduled >= closedThrough) continue;
      const from = Math.max(scheduled ?? closedThrough - size, closedThrough - 100 * size);
      for (let start = from; start < closedThrough; start += size) {
        tasks.push({
          monitorId: monitor.id,
          windowStartMicros: start,
          windowEndMicros: start + size,
          dueMicros: nowMicros,
        });
      }
      through.push({ monitorId: monitor.id, micros: closedThrough });
    }
    if (through.length > 0) await this.store.evaluationTasks.scheduleThrough(tasks, through);
  }

  /**
   * Claimed tasks grouped by model and window: a group's monitors are evaluated together and
   * share the window's profile. Tasks whose monitor is gone or disabled form groups of one.
   */
  private async groupByModelWindow(
    tasks: EvaluationTask[],
  ): Promise<{ task: EvaluationTask; monitor: MonitorRow | null }[][]> {
    const groups = new Map<string, { task: EvaluationTask; monitor: MonitorRow | null }[]>();
    for (const task of tasks) {
      const monitor = await this.enabledMonitor(task.monitorId);
      const key =
        monitor?.enabled === true
          ? `${monitor.modelId}|${task.windowStartMicros}|${task.windowEndMicros}`
          : `task|${task.monitorId}|${task.windowStartMicros}`;
      groups.set(key, [...(groups.get(key) ?? []), { task, monitor }]);
    }
    return [...groups.values()];
  }

  /**
   * Evaluates the tasks of one model's window into `outcomes`. A task that fails is released
   * for a retry; the others still land.
   */
  private async evaluateGroup(
    group: { task: EvaluationTask; monitor: MonitorRow | null }[],
    index: number,
    models: Map<number, ModelRow>,
    outcomes: GroupOutcome,
    batch?: ProfileBatch,
  ): Promise<void> {
    const { done, failed } = outcomes;
    const first = group[0]!.monitor;
    const model = first?.enabled ? (models.get(first.modelId) ?? null) : null;
    let columns: ModelColumn[] = [];
    try {
      columns = model ? await this.columns.get(model.id) : [];
    } catch (error) {
      for (const { task } of group) failed.push({ task, error });
      return;
    }
    const shared =
      model && (batch || (group.length > 1 && this.options.shareWindowProfiles !== false))
        ? new SharedWindowProfile(
            this.store,
            model.id,
            columns,
            batch,
            this.options.partialProfiles === false ? undefined : { nowMicros: this.now() * 1000 },
            this.options.smallWindows === false ? undefined : this.cache,
            this.windowSamples,
            this.partialMemory,
          )
        : undefined;
    const evaluate = async ({ task, monitor }: (typeof group)[number]) => {
      try {
        const outcome =
          monitor?.enabled && model ? await this.evaluateTask(task, monitor, model, columns, shared) : null;
        done.push({
          task,
          followUpDueMicros: outcome?.followUpDueMicros ?? null,
          write: outcome?.write ?? null,
          group: index,
        });
      } catch (error) {
        failed.push({ task, error });
      }
    };
    if (shared) await Promise.all(group.map((entry) => shared.participate(() => evaluate(entry))));
    else for (const entry of group) await evaluate(entry);
  }

  /**
   * Stores the results of a claimed batch and completes its tasks, a few model-windows per
   * transaction (many per commit, yet none holding the writer for long: see `LAND_CHUNK_ROWS`);
   * failed tasks are released for a retry. A chunk lands whole or not at all, and a crash between
   * chunks leaves the rest leased, to be evaluated again once the lease runs out or at restart.
   */
  private async land({ done, failed }: GroupOutcome): Promise<void> {
    for (const chunk of landingChunks(done, LAND_CHUNK_ROWS)) {
      try {
        await this.store.evaluationTasks.completeMany(
          chunk,
          this.owner,
          chunk.flatMap((d) => (d.write ? [d.write] : [])),
        );
      } catch (error) {
        failed.push(...chunk.map(({ task }) => ({ task, error })));
      }
    }
    for (const { task, error } of failed) {
      this.log.warn({ err: error, monitorId: task.monitorId }, 'evaluation failed; retrying later');
      await this.store.evaluationTasks
        .fail(task, this.owner, (this.now() + RETRY_MS) * 1000, (error as Error).message)
        .catch((failure: unknown) => this.log.warn({ err: failure }, 'could not release a failed task'));
    }
  }

  /**
   * Evaluates one queued window of an enabled monitor: its results (null when there is nothing
   * to evaluate) and when to evaluate it again (its close), or null.
   */
  private async evaluateTask(
    task: { monitorId: number; windowStartMicros: number; windowEndMicros: number },
    monitor: MonitorRow,
    model: ModelRow,
    columns: ModelColumn[],
    shared?: SharedWindowProfile,
  ): Promise<{ write: WindowResults | null; followUpDueMicros: number | null }> {
    const context = await this.contextFor(model, columns, monitor, shared);
    const window: EvaluationWindow | null = await resolveWindow(context, {
      startMicros: task.windowStartMicros,
      endMicros: task.windowEndMicros,
    });
    if (window === null) return { write: null, followUpDueMicros: null };
    const results = await evaluateWindow(context, window);
    const isOpen = windowMicros(context.config.window) !== null && task.windowEndMicros > context.nowMicros;
    return {
      write: { monitorId: monitor.id, windowStartMicros: window.startMicros, results },
      followUpDueMicros: isOpen ? task.windowEndMicros + this.options.closeGraceMs * 1000 : null,
    };
  }

  /**
   * What one monitor is evaluated with, for a window or for computing its baselines ahead
   * (`warmBaselines`): both read the same cache entries, so both build it here.
   */
  private async contextFor(
    model: ModelRow,
    columns: ModelColumn[],
    monitor: MonitorRow,
    shared?: SharedWindowProfile,
  ): Promise<EvaluationContext> {
    const nowMicros = this.now() * 1000;
    return {
      store: this.store,
      model,
      columns,
      monitor,
      config: this.parse(monitor),
      budgetPerWeek: await this.budgetOf(model.id, monitor),
      nowMicros,
      cache: this.cache,
      ...(shared ? { shared } : {}),
    };
  }

  private async budgetOf(modelId: number, monitor: MonitorRow): Promise<number> {
    const sharing = (await this.monitorsOf(modelId)).filter(
      (m) => m.enabled && BUDGETED_KINDS.has(m.kind),
    ).length;
    return this.options.falseAlarmsPerWeek / Math.max(1, BUDGETED_KINDS.has(monitor.kind) ? sharing : 1);
  }
}
