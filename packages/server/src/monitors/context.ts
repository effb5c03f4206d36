/**
 * What evaluating one monitor's window needs: the model, its columns, the parsed definition,
 * the false-alarm budget share, and access to the current window's and the baseline's profiles.
 */

import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { chunkCount, DRIFT_EDGE_QUANTILES, driftEdgesFromQuantiles } from '@vigil/stats';
import type { MonitorResult, NewMonitorResult, ResultStatus } from '../domain/index.js';
import type { MonitorConfig } from '../domain/monitor-config.js';
import type { MonitorRow } from '../storage/monitoring.js';
import type { ProfileRequest, ProfileSource, WindowProfile } from '../storage/profiles.js';
import type { ModelColumn, ModelRow, Store } from '../storage/types.js';
import { mergeProfiles } from './profile-math.js';
import type { SharedWindowProfile } from './shared-profile.js';
import { type EvaluationWindow, windowMicros } from './windows.js';

/** The part of a profile request that says what to measure (the source and windows are the evaluator's). */
export type Measures = Omit<ProfileRequest, 'source' | 'bucketMicros'>;

export interface Baseline {
  total: WindowProfile;
  /** Consecutive pieces of the baseline, for calibrating thresholds on its own variation. */
  chunks: WindowProfile[];
  description: string;
}

export class BaselineUnavailable extends Error {}

/**
 * An LRU of baseline statistics (histogram edges, chunk profiles), kept per model: reference
 * profiles are computed once per dataset and request, and only new reference data for a model
 * drops that model's entries.
 */
export class BaselineCache {
  private readonly entries = new Map<string, Promise<unknown>>();
  private readonly hints = new Map<string, number>();
  constructor(private readonly capacity = 2000) {}

  get<T>(modelId: number, key: string, load: () => Promise<T>): Promise<T> {
    const fullKey = `${modelId}|${key}`;
    const hit = this.entries.get(fullKey);
    if (hit) {
      this.entries.delete(fullKey);
      this.entries.set(fullKey, hit);
      return hit as Promise<T>;
    }
    const value = load();
    this.entries.set(fullKey, value);
    value.catch(() => this.entries.delete(fullKey));
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  /** A number remembered from an earlier evaluation (e.g. a monitor's last window size). */
  hint(modelId: number, key: string): number | undefined {
    return this.hints.get(`${modelId}|${key}`);
  }

  setHint(modelId: number, key: string, value: number): void {
    const fullKey = `${modelId}|${key}`;
    this.hints.delete(fullKey);
    this.hints.set(fullKey, value);
    while (this.hints.size > this.capacity) this.hints.delete(this.hints.keys().next().value!);
  }

  /**
   * Forgets one model's entries (its reference data changed). Its hints stay: they describe
   * its windows, not its reference data.
   */
  clearModel(modelId: number): void {
    const prefix = `${modelId}|`;
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
    this.hints.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

export interface EvaluationContext {
  store: Store;
  model: ModelRow;
  columns: ModelColumn[];
  monitor: MonitorRow;
  config: MonitorConfig;
  /** Expected false alarms per week this monitor may raise under no drift. */
  budgetPerWeek: number;
  nowMicros: number;
  cache: BaselineCache;
  /** The window's profile shared with the model's other monitors evaluated for the same window. */
  shared?: SharedWindowProfile;
}

/** The monitor's version and segment restrictions, as a predictions source takes them. */
export function trafficScope(config: MonitorConfig): {
  version?: string;
  segment?: { name: string; value: string };
} {
  return {
    ...(config.version !== undefined ? { version: config.version } : {}),
    ...(config.segment !== undefined ? { segment: config.segment } : {}),
  };
}

/** The current window's source, with the monitor's version and segment restrictions. */
export function currentSource(ctx: EvaluationContext, window: EvaluationWindow): ProfileSource {
  const { config } = ctx;
  return {
    kind: 'predictions',
    ...('last_n' in config.window
      ? { lastN: config.window.last_n }
      : { fromMicros: window.startMicros, toMicros: window.endMicros }),
    ...trafficScope(config),
  };
}

export async function currentProfile(
  ctx: EvaluationContext,
  window: EvaluationWindow,
  measures: Measures,
): Promise<WindowProfile> {
  const source = currentSource(ctx, window);
  const profile = ctx.shared
    ? await ctx.shared.request(source, measures)
    : (await ctx.store.profile(ctx.model.id, ctx.columns, { ...measures, source }))[0];
  return profile ?? mergeProfiles([]);
}

function stableKey(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

export { chunkCount };

/**
 * The model's reference datasets change only through uploads, which drop the model's cache
 * entries; with more than one process on the store another may upload, so they are read each time.
 */
function cachedWhenExclusive<T>(ctx: EvaluationContext, key: string, load: () => Promise<T>): Promise<T> {
  return ctx.store.exclusive ? ctx.cache.get(ctx.model.id, key, load) : load();
}

async function referenceDataset(ctx: EvaluationContext) {
  const { baseline } = ctx.config;
  const name = baseline.type === 'reference' ? baseline.dataset : undefined;
  if (name !== undefined) {
    const dataset = await cachedWhenExclusive(ctx, `dataset:${name}`, () =>
      ctx.store.getReferenceDataset(ctx.model.id, name),
    );
    if (!dataset || dataset.rowCount === 0)
      throw new BaselineUnavailable(`Reference dataset "${name}" has no rows.`);
    return dataset;
  }
  const datasets = (
    await cachedWhenExclusive(ctx, 'datasets', () => ctx.store.listReferenceDatasets(ctx.model.id))
  ).filter((d) => d.rowCount > 0);
  const newest = datasets.at(-1);
  if (!newest) {
    throw new BaselineUnavailable(
      `Model "${ctx.model.name}" has no reference data; upload it with POST /api/v1/models/${ctx.model.name}/reference or give the monitor another baseline.`,
    );
  }
  return newest;
}

/** A reference dataset's rows as of one revision: what reference baselines are computed on. */
export interface ReferenceRevision {
  datasetId: number;
  revision: number;
}

/** The baseline's source for a window, and a cache key when it does not depend on the window. */
export async function baselineSource(
  ctx: EvaluationContext,
  window: EvaluationWindow,
): Promise<{
  source: ProfileSource;
  rows: number;
  cacheKey: string | null;
  description: string;
  bucketMicros?: number;
  /** Set for a reference dataset: its baselines are kept in the store (`referenceBaseline`). */
  reference?: ReferenceRevision;
}> {
  const { baseline } = ctx.config;
  const size = windowMicros(ctx.config.window);
  const scope = trafficScope(ctx.config);
  if (baseline.type === 'reference') {
    const dataset = await referenceDataset(ctx);
    return {
      source: { kind: 'reference', datasetId: dataset.id },
      rows: dataset.rowCount,
      cacheKey: `ref:${ctx.model.id}:${dataset.id}:${dataset.revision}:${dataset.rowCount}`,
      description: `reference dataset "${dataset.name}" (${dataset.rowCount} rows)`,
      reference: { datasetId: dataset.id, revision: dataset.revision },
    };
  }
  if (baseline.type === 'period') {
    const fromMicros = Date.parse(baseline.from) * 1000;
    const toMicros = Date.parse(baseline.to) * 1000;
    return {
      source: { kind: 'predictions', fromMicros, toMicros, ...scope },
      rows: Number.NaN,
      cacheKey: `period:${ctx.model.id}:${fromMicros}:${toMicros}:${stableKey(scope)}`,
      description: `predictions from ${baseline.from} to ${baseline.to}`,
      ...(size !== null ? { bucketMicros: size } : {}),
    };
  }
  const width = size ?? Math.max(1, window.endMicros - window.startMicros);
  return {
    source: {
      kind: 'predictions',
      fromMicros: window.startMicros - baseline.windows * width,
      toMicros: window.startMicros,
      ...scope,
    },
    rows: Number.NaN,
    cacheKey: null,
    description: `the ${baseline.windows} windows before`,
    bucketMicros: width,
  };
}

/**
 * Histogram edges for numeric measures from the baseline's deciles (ties collapsed), open at
 * both ends so every current value falls in a bin.
 */
export async function baselineEdges(
  ctx: EvaluationContext,
  window: EvaluationWindow,
  targets: { key: string; target: NonNullable<Measures['numeric']>[number]['target'] }[],
): Promise<Record<string, number[]>> {
  if (targets.length === 0) return {};
  const { source, cacheKey, reference } = await baselineSource(ctx, window);
  const load = async () => {
    const [profile] = await ctx.store.profile(ctx.model.id, ctx.columns, {
      source,
      numeric: targets.map((t) => ({
        ...t,
        edges: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
        quantiles: [...DRIFT_EDGE_QUANTILES],
      })),
    });
    const edges: Record<string, number[]> = {};
    for (const t of targets) edges[t.key] = driftEdgesFromQuantiles(profile?.numeric[t.key]?.quantiles ?? []);
    return edges;
  };
  if (reference) return referenceBaseline(ctx, reference, 'edges', `${cacheKey}:${stableKey(targets)}`, load);
  return cacheKey ? ctx.cache.get(ctx.model.id, `edges:${cacheKey}:${stableKey(targets)}`, load) : load();
}

/** The baseline's profile as a whole and in chunks of about the current window's size. */
export async function loadBaseline(
  ctx: EvaluationContext,
  window: EvaluationWindow,
  measures: Measures,
  currentRows: number,
): Promise<Baseline> {
  const { source, rows, cacheKey, description, bucketMicros, reference } = await baselineSource(ctx, window);
  if (source.kind === 'reference' && reference) {
    const chunks = chunkCount(rows, currentRows);
    const load = async (): Promise<Baseline> => {
      const pieces = await ctx.store.profile(ctx.model.id, ctx.columns, {
        ...measures,
        source: { ...source, chunks },
      });
      return { total: mergeProfiles(pieces), chunks: pieces, description };
    };
    return referenceBaseline(ctx, reference, 'chunks', `${cacheKey}:${chunks}:${stableKey(measures)}`, load);
  }
  const load = async (): Promise<Baseline> => {
    const pieces = await ctx.store.profile(ctx.model.id, ctx.columns, {
      ...measures,
      source,
      ...(bucketMicros !== undefined ? { bucketMicros } : {}),
    });
    const total = mergeProfiles(pieces);
    if (total.rows === 0) throw new BaselineUnavailable(`The baseline (${description}) has no data.`);
    return { total, chunks: pieces, description };
  };
  return cacheKey ? ctx.cache.get(ctx.model.id, `baseline:${cacheKey}:${stableKey(measures)}`, load) : load();
}

/**
 * Bump when what a reference baseline holds or how it is computed changes: entries stored by
 * older code are then never read (and are replaced as they are computed again).
 */
export const REFERENCE_BASELINE_FORMAT = 1;

/**
 * A statistic of a reference dataset's rows (histogram edges, chunk profiles, a PCA fit): from
 * the evaluator's memory, else from the store (computed by an earlier process or at upload),
 * else computed and stored. The key says everything the value depends on besides the dataset's
 * rows (the request, the model's columns, the format); a value that cannot be stored or read
 * back is simply computed, so the store never fails an evaluation.
 */
export function referenceBaseline<T>(
  ctx: Pick<EvaluationContext, 'store' | 'model' | 'columns' | 'cache'>,
  reference: ReferenceRevision,
  kind: string,
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  const columns = ctx.columns.map((c) => `${c.position}:${c.role}:${c.type}:${c.name}`).join('|');
  const fullKey = `${REFERENCE_BASELINE_FORMAT}|${kind}|${key}|${columns}`;
  return ctx.cache.get(ctx.model.id, fullKey, async () => {
    const storeKey = `${kind}:${createHash('sha256').update(fullKey).digest('hex')}`;
    const { datasetId, revision } = reference;
    const stored = await ctx.store.referenceBaselines.get(datasetId, revision, storeKey).catch(() => null);
    if (stored) {
      try {
        return deserialize(stored) as T;
      } catch {
        // Unreadable (written by another runtime): computed and stored again below.
      }
    }
    const value = await load();
    await ctx.store.referenceBaselines
      .put({ modelId: ctx.model.id, datasetId, revision, key: storeKey, kind, body: serialize(value) })
      .catch(() => false);
    return value;
  });
}

/** Which baseline `loadBaseline` gives for a window of `currentRows` rows (its chunk count). */
async function baselineVariant(
  ctx: EvaluationContext,
  window: EvaluationWindow,
  currentRows: number,
): Promise<number> {
  const { source, rows } = await baselineSource(ctx, window);
  return source.kind === 'reference' ? chunkCount(rows, currentRows) : 0;
}

/**
 * The baseline sized for the window (`loadBaseline`) and the window's profile with measures
 * that depend on that baseline. The baseline's size depends on the window's row count, which
 * is known only from a profile of the window: the count this monitor saw in its last window is
 * tried first, so the window is profiled once (together with the other monitors' requests);
 * when the count falls in another size class the window is profiled again, as without a guess.
 */
export async function baselineAndCurrent(
  ctx: EvaluationContext,
  window: EvaluationWindow,
  baselineMeasures: Measures,
  currentMeasures: (baseline: Baseline) => Measures,
): Promise<{ baseline: Baseline; current: WindowProfile }> {
  const hintKey = `rows:${ctx.monitor.id}`;
  const guess = ctx.cache.hint(ctx.model.id, hintKey);
  if (guess !== undefined) {
    const baseline = await loadBaseline(ctx, window, baselineMeasures, guess);
    const current = await currentProfile(ctx, window, currentMeasures(baseline));
    ctx.cache.setHint(ctx.model.id, hintKey, current.rows);
    const [guessed, actual] = await Promise.all([
      baselineVariant(ctx, window, guess),
      baselineVariant(ctx, window, current.rows),
    ]);
    if (guessed === actual) return { baseline, current };
  }
  const probe = await currentProfile(ctx, window, {});
  const baseline = await loadBaseline(ctx, window, baselineMeasures, probe.rows);
  const current = await currentProfile(ctx, window, currentMeasures(baseline));
  ctx.cache.setHint(ctx.model.id, hintKey, current.rows);
  return { baseline, current };
}

/** A result of this monitor for this window, with defaults for everything not given. */
export function makeResult(
  ctx: EvaluationContext,
  window: EvaluationWindow,
  fields: Partial<NewMonitorResult> & { metric: string; status: ResultStatus; sampleSize: number },
): NewMonitorResult {
  return {
    modelId: ctx.model.id,
    monitorId: ctx.monitor.id,
    monitorKind: ctx.monitor.kind,
    version: ctx.config.version ?? null,
    segment: ctx.config.segment ? `${ctx.config.segment.name}=${ctx.config.segment.value}` : null,
    windowStartMicros: window.startMicros,
    windowEndMicros: window.endMicros,
    feature: null,
    value: null,
    thresholdLower: null,
    thresholdUpper: null,
    bandLower: null,
    bandUpper: null,
    reason: null,
    details: null,
    evaluatedAtMicros: ctx.nowMicros,
    ...fields,
  };
}

/** The status of a value against its thresholds. */
export function statusOf(value: number | null, lower: number | null, upper: number | null): ResultStatus {
  if (value === null || !Number.isFinite(value)) return 'error';
  if ((lower !== null && value < lower) || (upper !== null && value > upper)) return 'alert';
  return 'ok';
}

export type { MonitorResult };
