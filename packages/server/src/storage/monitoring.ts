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

/** The newest window's worst status per monitor of a model, for health summaries. */
export interface LatestStatusRow {
  modelId: number;
  monitorId: number;
  windowStartMicros: number;
  windowEndMicros: number;
  status: ResultStatus;
}

export interface ResultRepository {
  /**
   * Replaces every result of `monitorId` for the window starting at `windowStartMicros`
   * with `results` (which may be empty), in one transaction; new rows get fresh `seq`s.
   */
  replaceWindow(monitorId: number, windowStartMicros: number, results: NewMonitorResult[]): Promise<void>;
  /** Results with `seq` greater than `afterSeq`, in `seq` order: how alerting follows evaluation. */
  listAfter(afterSeq: number, limit: number): Promise<MonitorResult[]>;
  /** A model's results ordered by window start, then seq. */
  query(query: ResultQuery): Promise<MonitorResult[]>;
  /** For each monitor of the given models, the worst status of its newest evaluated window. */
  latestStatuses(modelIds: number[]): Promise<LatestStatusRow[]>;
}
