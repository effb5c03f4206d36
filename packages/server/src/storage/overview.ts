/**
 * What the overview of every model needs, each part answered by one aggregate in the engine
 * (never per-model round trips from JS), so the page stays one fast call with 1,000 models.
 */
import type { ResultStatus } from '../domain/monitoring.js';

/** The status of one enabled monitor's newest window. */
export interface MonitorStatusRow {
  modelId: number;
  monitorName: string;
  status: ResultStatus;
  windowEndMicros: number;
}

export interface OpenAlertCounts {
  /** Alerts firing now. */
  firing: number;
  /** Of those, the ones nobody has acknowledged. */
  unacknowledged: number;
}

/**
 * Traffic buckets: `buckets` equal slices of [fromMicros, toMicros), each a whole number of
 * hours starting on a whole hour (UTC): traffic is kept per model and hour at ingestion.
 */
export interface TrafficRange {
  fromMicros: number;
  toMicros: number;
  buckets: number;
}

export interface ModelTraffic {
  modelId: number;
  /** The version on the newest prediction within the range; null when none there has one. */
  latestVersion: string | null;
  /** Predictions per bucket, oldest first; exactly `range.buckets` entries. */
  traffic: number[];
}

export interface OverviewRepository {
  /** Newest-window status of every enabled monitor of the project's models. */
  monitorStatuses(projectId: number): Promise<MonitorStatusRow[]>;
  /** Alerts firing now, per model of the project (models with none are absent). */
  openAlertCounts(projectId: number): Promise<Map<number, OpenAlertCounts>>;
  /** The newest registered version of each model of the project (models with none are absent). */
  newestRegisteredVersions(projectId: number): Promise<Map<number, string>>;
  /**
   * Traffic and newest version of each model; one entry per id, in order. Read from the hourly
   * rollup that ingestion keeps in the transaction of the rows (so it counts exactly what is
   * stored); the newest prediction of any age is `Store.lastPredictionTimes`, from the same rollup.
   */
  traffic(modelIds: number[], range: TrafficRange): Promise<ModelTraffic[]>;
}
