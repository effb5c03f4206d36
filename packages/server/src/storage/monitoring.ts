/**
 * Storage of monitors and their results. Results are the time series that alerting reads
 * (in `seq` order) and the dashboard draws; evaluation replaces a monitor's window as a
 * whole, so a re-evaluated window (late labels, an edited monitor) never leaves stale series.
 */
import type { MonitorKind, MonitorResult, NewMonitorResult, ResultStatus } from '../domain/index.js';

export interface MonitorRow {
  id: number;
  modelId: number;
  name: string;
  kind: MonitorKind;
  enabled: boolean;
  /** True for monitors Vigil created when the model got its first reference data. */
  isDefault: boolean;
  /** The monitor's definition (window, baseline, features, thresholds, …) as validated JSON. */
  config: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export type NewMonitor = Omit<MonitorRow, 'id' | 'createdAt' | 'updatedAt'>;

export interface MonitorRepository {
  create(input: NewMonitor): Promise<MonitorRow>;
  get(modelId: number, name: string): Promise<MonitorRow | null>;
  getById(id: number): Promise<MonitorRow | null>;
  list(modelId: number): Promise<MonitorRow[]>;
  /** The monitors of several models in one read, ordered by id. */
  listForModels(modelIds: number[]): Promise<MonitorRow[]>;
  /** Every enabled monitor of every model: what the scheduler walks. */
  listEnabled(): Promise<MonitorRow[]>;
  update(id: number, patch: Partial<Pick<MonitorRow, 'name' | 'enabled' | 'config'>>): Promise<MonitorRow>;
  /** Deletes the monitor and its results. */
  delete(id: number): Promise<void>;
}

export interface ResultQuery {
  modelId: number;
  monitorId?: number;
  feature?: string;
  metric?: string;
  version?: string;
  segment?: string;
  status?: ResultStatus;
  fromMicros?: number;
  toMicros?: number;
  limit: number;
  /** Resume after this (window start, seq) position. */
  after?: { windowStartMicros: number; seq: number };
}

/**
 * Results folded into fixed-width time buckets, for charts drawn at the screen's resolution:
 * one row per (bucket, monitor, feature, metric) however many windows fall in the bucket.
 */
export interface ResultBucketQuery {
  modelId: number;
  /** Only monitors of these kinds (all kinds when absent). */
  kinds?: MonitorKind[];
  feature?: string;
  /** The version the results are restricted to; null selects results over all versions. */
  version: string | null;
  /** `name=value` of the segment; null selects results over all traffic. */
  segment: string | null;
  /** Window start at or after `fromMicros` and before `toMicros`. */
  fromMicros: number;
  toMicros: number;
  /** Bucket width; buckets are aligned to the Unix epoch. */
  bucketMicros: number;
}

export interface ResultBucketRow {
  bucketStartMicros: number;
  monitorId: number;
  monitorKind: MonitorKind;
  feature: string | null;
  metric: string;
  /** Windows folded into the bucket. */
  windows: number;
  /** Mean of the windows' values weighted by their sample sizes (the plain mean when those are 0). */
  value: number | null;
  /** Widest confidence band and the mean thresholds of the windows. */
  bandLower: number | null;
  bandUpper: number | null;
  thresholdLower: number | null;
  thresholdUpper: number | null;
  /** The highest value / upper threshold among the windows (how far past its threshold), and that value. */
  peakRatio: number | null;
  peakValue: number | null;
  sampleSize: number;
  /** The worst status among the windows. */
  status: ResultStatus;
}

/** The newest window's worst status per monitor of a model, for health summaries. */
export interface LatestStatusRow {
  modelId: number;
  monitorId: number;
  windowStartMicros: number;
  windowEndMicros: number;
  status: ResultStatus;
}

/** Every result of one monitor for one window (see `ResultRepository.replaceWindow`). */
export interface WindowResults {
  monitorId: number;
  windowStartMicros: number;
  results: NewMonitorResult[];
}

export interface ResultRepository {
  /**
   * Replaces every result of `monitorId` for the window starting at `windowStartMicros`
   * with `results` (which may be empty), in one transaction; new rows get fresh `seq`s. Results
   * of a monitor that no longer exists (deleted while its window was evaluated) are not stored.
   */
  replaceWindow(monitorId: number, windowStartMicros: number, results: NewMonitorResult[]): Promise<void>;
  /** `replaceWindow` for many windows (of any monitors) in one transaction. */
  replaceWindows(windows: WindowResults[]): Promise<void>;
  /** Results with `seq` greater than `afterSeq`, in `seq` order: how alerting follows evaluation. */
  listAfter(afterSeq: number, limit: number): Promise<MonitorResult[]>;
  /** A model's results ordered by window start, then seq. */
  query(query: ResultQuery): Promise<MonitorResult[]>;
  /** Results folded into time buckets, ordered by bucket, monitor, feature and metric. */
  buckets(query: ResultBucketQuery): Promise<ResultBucketRow[]>;
  /** For each monitor of the given models, the worst status of its newest evaluated window. */
  latestStatuses(modelIds: number[]): Promise<LatestStatusRow[]>;
  /** Removes every result of a monitor (before its history is evaluated again). */
  deleteForMonitor(monitorId: number): Promise<void>;
}

/** A window of one monitor waiting to be (re-)evaluated. Times are epoch microseconds. */
export interface EvaluationTask {
  monitorId: number;
  windowStartMicros: number;
  windowEndMicros: number;
  dueMicros: number;
  /** Grows each time new data marks the window again, so a running evaluation knows it is stale. */
  generation: number;
  attempts: number;
  lastError: string | null;
}

export type NewEvaluationTask = Pick<
  EvaluationTask,
  'monitorId' | 'windowStartMicros' | 'windowEndMicros' | 'dueMicros'
>;

/**
 * The evaluation queue. It lives in the store so that a restart (even `kill -9`) resumes where
 * it stopped, and so that several servers can share it: a task is claimed with a lease, and a
 * lease that runs out (its holder died) makes the task claimable again.
 */
export interface EvaluationTaskRepository {
  /** Adds tasks; a task already queued keeps the earlier due time and moves to a new generation. */
  schedule(tasks: NewEvaluationTask[]): Promise<void>;
  /**
   * Leases up to `limit` due tasks to `owner` until `leaseUntilMicros`, earliest due first, then by
   * window (so the monitors of one window come together and can share its profile).
   */
  claim(owner: string, nowMicros: number, leaseUntilMicros: number, limit: number): Promise<EvaluationTask[]>;
  /**
   * Finishes a claimed task: removes it, or, when `followUpDueMicros` is given (its window is
   * still open), keeps it for that time. If new data marked the window while it was being
   * evaluated (a newer generation), the task stays due instead.
   */
  complete(task: EvaluationTask, owner: string, followUpDueMicros: number | null): Promise<void>;
  /**
   * `complete` for many tasks in one transaction, which also replaces the given windows' results
   * (as `ResultRepository.replaceWindows`): an evaluated batch lands whole or not at all.
   */
  completeMany(
    tasks: { task: EvaluationTask; followUpDueMicros: number | null }[],
    owner: string,
    results?: WindowResults[],
  ): Promise<void>;
  /** Releases every lease: for engines only one process can open, whatever is leased at start was leased by a dead process. */
  releaseAllLeases(): Promise<void>;
  /** Releases a claimed task after a failure, to be tried again at `retryAtMicros`. */
  fail(task: EvaluationTask, owner: string, retryAtMicros: number, error: string): Promise<void>;
  /** When the next task falls due (null when the queue is empty). */
  nextDueMicros(): Promise<number | null>;
  /** Tasks of a monitor, or only those due by `dueByMicros` (follow-ups of open windows wait for their close). */
  countForMonitor(monitorId: number, dueByMicros?: number): Promise<number>;
  deleteForMonitor(monitorId: number): Promise<void>;
  /** The end of the newest closed window a monitor has been scheduled for (for windows without data). */
  getScheduledThrough(monitorId: number): Promise<number | null>;
  setScheduledThrough(monitorId: number, micros: number): Promise<void>;
  /** `getScheduledThrough` of many monitors in one read (monitors never scheduled are absent). */
  getScheduledThroughMany(monitorIds: number[]): Promise<Map<number, number>>;
  /** Adds `tasks` (as `schedule`) and records how far each monitor is scheduled, in one transaction. */
  scheduleThrough(
    tasks: NewEvaluationTask[],
    through: { monitorId: number; micros: number }[],
  ): Promise<void>;
}
