/**
 * The data behind the model and feature pages, aggregated inside the store to the chart's
 * resolution: traffic, predictions and data quality from window profiles bucketed by the step,
 * performance and drift from monitor results folded into the same buckets.
 */
import type { MonitorKind } from '../domain/index.js';
import { WINDOW_SIZES } from '../domain/monitor-config.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { formatTimestamp } from '../ingest/timestamps.js';
import type { ColumnCatalog } from '../services/columns.js';
import type { ResultBucketRow } from '../storage/monitoring.js';
import {
  emptyWindowProfile,
  type ProfileRequest,
  type ProfileSource,
  type WindowProfile,
} from '../storage/profiles.js';
import type { ModelColumn, ModelRow, Store } from '../storage/types.js';
import { parseSegment, resolveRange, type TimeRange } from './resolution.js';
import type {
  DriftMap,
  DriftMapRow,
  FeatureDetail,
  FeatureDistribution,
  MetricSeries,
  ModelSeries,
  SeriesFrame,
} from './views.js';

export interface SeriesQuery {
  fromMicros: number | undefined;
  toMicros: number | undefined;
  points: number;
  version: string | undefined;
  /** `name=value`. */
  segment: string | undefined;
}

const SCORE_EDGES = Array.from({ length: 21 }, (_, i) => i / 20);
const HISTOGRAM_BINS = 24;
const EVERYTHING = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
const CATEGORY_LIMIT = 25;
const EXAMPLE_ROWS = 8;

interface Scope {
  frame: SeriesFrame;
  range: TimeRange;
  source: Extract<ProfileSource, { kind: 'predictions' }>;
  version: string | null;
  segment: string | null;
}

function sumCounts(target: Record<string, number>, counts: Record<string, number>): void {
  for (const [k, n] of Object.entries(counts)) target[k] = (target[k] ?? 0) + n;
}

function sortedCounts(counts: Record<string, number>): { value: string; count: number }[] {
  return Object.entries(counts)
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/** One request's profile of the current data and of the reference (none without a reference). */
type BothSides = (
  request: Omit<ProfileRequest, 'source'>,
) => Promise<[WindowProfile | undefined, WindowProfile | undefined]>;

export class DashboardService {
  constructor(
    private readonly store: Store,
    private readonly columns: ColumnCatalog,
    private readonly now: () => number = Date.now,
  ) {}

  private async scope(model: ModelRow, query: SeriesQuery, minStepSeconds = 1): Promise<Scope> {
    const segment = parseSegment(query.segment);
    if (segment) {
      const columns = await this.columns.get(model.id);
      if (!columns.some((c) => c.name === segment.name)) {
        throw new NotFoundError(
          `Model "${model.name}" has no segment or column "${segment.name}"; its segments are listed by GET /api/v1/models/${model.name}/series.`,
        );
      }
    }
    const range = resolveRange({
      fromMicros: query.fromMicros,
      toMicros: query.toMicros,
      points: query.points,
      stepSeconds: minStepSeconds,
      nowMicros: this.now() * 1000,
    });
    const segmentText = query.segment === undefined || query.segment === '' ? null : query.segment;
    return {
      range,
      version: query.version ?? null,
      segment: segmentText,
      source: {
        kind: 'predictions',
        fromMicros: range.fromMicros,
        toMicros: range.toMicros,
        ...(query.version !== undefined ? { version: query.version } : {}),
        ...(segment ? { segment } : {}),
      },
      frame: {
        model: model.name,
        from: formatTimestamp(range.fromMicros),
        to: formatTimestamp(range.toMicros),
        step_seconds: range.stepMicros / 1_000_000,
        version: query.version ?? null,
        segment: segmentText,
      },
    };
  }

  private profile(
    model: ModelRow,
    columns: ModelColumn[],
    request: ProfileRequest,
  ): Promise<WindowProfile[]> {
    return this.store.profile(model.id, columns, request);
  }

  /** Result buckets grouped into one series per (monitor, metric), points in time order. */
  private async metricSeries(
    model: ModelRow,
    scope: Scope,
    kinds: MonitorKind[],
    feature: string | null,
  ): Promise<MetricSeries[]> {
    const [rows, monitors] = await Promise.all([
      this.store.results.buckets({
        modelId: model.id,
        kinds,
        ...(feature !== null ? { feature } : {}),
        version: scope.version,
        segment: scope.segment,
        fromMicros: scope.range.fromMicros,
        toMicros: scope.range.toMicros,
        bucketMicros: scope.range.stepMicros,
      }),
      this.store.monitors.list(model.id),
    ]);
    const names = new Map(monitors.map((m) => [m.id, m.name]));
    const series = new Map<string, MetricSeries>();
    for (const row of rows) {
      if (row.feature !== feature) continue;
      const key = `${row.monitorId}\u0000${row.metric}`;
      let s = series.get(key);
      if (!s) {
        s = {
          monitor: names.get(row.monitorId) ?? String(row.monitorId),
          kind: row.monitorKind,
          metric: row.metric,
          estimated: row.monitorKind === 'estimated_performance',
          points: [],
        };
        series.set(key, s);
      }
      s.points.push({
        start: formatTimestamp(row.bucketStartMicros),
        value: row.value,
        band_lower: row.bandLower,
        band_upper: row.bandUpper,
        threshold_lower: row.thresholdLower,
        threshold_upper: row.thresholdUpper,
        status: row.status,
        sample_size: row.sampleSize,
        windows: row.windows,
      });
    }
    return [...series.values()];
  }

  async modelSeries(model: ModelRow, query: SeriesQuery): Promise<ModelSeries> {
    const scope = await this.scope(model, query);
    const columns = await this.columns.get(model.id);
    const regression = model.task === 'regression';
    const binary = model.task === 'binary_classification';
    const segmentColumns = columns.filter((c) => c.role === 'segment');

    const bucketed = this.profile(model, columns, {
      source: scope.source,
      bucketMicros: scope.range.stepMicros,
      numeric: regression
        ? [
            { key: 'mean', target: { field: 'prediction_num' }, edges: EVERYTHING },
            { key: 'label', target: { field: 'label_num' }, edges: EVERYTHING },
          ]
        : binary
          ? [{ key: 'mean', target: { field: 'score' }, edges: EVERYTHING }]
          : [],
      categorical: regression
        ? []
        : [
            { key: 'prediction', target: { field: 'prediction' }, limit: 20 },
            { key: 'label', target: { field: 'label' }, limit: 20 },
          ],
      violations: true,
    });
    // Filter choices come from all traffic in the range, whatever the current filter.
    const overall = this.profile(model, columns, {
      source: { kind: 'predictions', fromMicros: scope.range.fromMicros, toMicros: scope.range.toMicros },
      categorical: [
        { key: '__version', target: { field: 'version' }, limit: 100 },
        ...segmentColumns.map((c) => ({ key: `s:${c.name}`, target: { column: c.name }, limit: 100 })),
      ],
    });
    const scores = binary
      ? this.profile(model, columns, {
          source: scope.source,
          numeric: [{ key: 'score', target: { field: 'score' }, edges: SCORE_EDGES }],
        })
      : Promise.resolve([]);
    const [sparse, [everything], [scoreProfile], performance] = await Promise.all([
      bucketed,
      overall,
      scores,
      this.metricSeries(model, scope, ['performance', 'estimated_performance'], null),
    ]);

    const windows = everyBucket(scope.range, sparse);
    const classTotals: Record<string, number> = {};
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    const traffic = windows.map((w) => {
      const mean = w.numeric.mean;
      if (mean?.min != null) low = Math.min(low, mean.min);
      if (mean?.max != null) high = Math.max(high, mean.max);
      sumCounts(classTotals, w.categorical.prediction?.counts ?? {});
      return {
        start: formatTimestamp(w.window ?? 0),
        predictions: w.rows,
        labeled: w.labeled,
        label_coverage: w.rows > 0 ? w.labeled / w.rows : null,
        mean_score: mean?.mean ?? null,
      };
    });

    let histogram: { edges: number[]; counts: number[] } | null = null;
    if (binary && scoreProfile?.numeric.score) {
      histogram = { edges: SCORE_EDGES, counts: scoreProfile.numeric.score.counts };
    } else if (regression && Number.isFinite(low)) {
      const edges = evenEdges(low, high, HISTOGRAM_BINS);
      const [profile] = await this.profile(model, columns, {
        source: scope.source,
        numeric: [{ key: 'p', target: { field: 'prediction_num' }, edges: openEnded(edges) }],
      });
      histogram = { edges, counts: profile?.numeric.p?.counts ?? new Array(HISTOGRAM_BINS).fill(0) };
    }

    return {
      ...scope.frame,
      task: model.task,
      traffic,
      predictions: {
        kind: regression ? 'numeric' : 'categorical',
        classes: sortedCounts(classTotals),
        over_time: regression
          ? []
          : windows.map((w) => ({
              start: formatTimestamp(w.window ?? 0),
              counts: w.categorical.prediction?.counts ?? {},
            })),
        histogram,
      },
      performance,
      quality: windows.map((w) => {
        const byKind: Record<string, number> = {};
        for (const [violation, n] of Object.entries(w.violations)) {
          const kind = violation.split(':')[0]!;
          byKind[kind] = (byKind[kind] ?? 0) + n;
        }
        return { start: formatTimestamp(w.window ?? 0), rows: w.rows, violations: byKind };
      }),
      versions: Object.keys(everything?.categorical.__version?.counts ?? {}).sort(),
      segments: segmentColumns.map((c) => ({
        name: c.name,
        values: Object.keys(everything?.categorical[`s:${c.name}`]?.counts ?? {}).sort(),
      })),
    };
  }

  /** The smallest window of the model's drift monitors, so heat-map cells are never emptier than windows. */
  private async driftWindowSeconds(model: ModelRow): Promise<number> {
    const monitors = await this.store.monitors.list(model.id);
    let smallest: number | null = null;
    for (const m of monitors) {
      if (m.kind !== 'feature_drift') continue;
      const size = (m.config.window as { size?: keyof typeof WINDOW_SIZES } | undefined)?.size;
      const micros = size ? WINDOW_SIZES[size] : undefined;
      if (micros !== undefined) smallest = Math.min(smallest ?? micros, micros);
    }
    return smallest === null ? 1 : smallest / 1_000_000;
  }

  async driftMap(model: ModelRow, query: SeriesQuery): Promise<DriftMap> {
    const scope = await this.scope(model, query, await this.driftWindowSeconds(model));
    const rows = await this.store.results.buckets({
      modelId: model.id,
      kinds: ['feature_drift'],
      version: scope.version,
      segment: scope.segment,
      fromMicros: scope.range.fromMicros,
      toMicros: scope.range.toMicros,
      bucketMicros: scope.range.stepMicros,
    });
    const { fromMicros, toMicros, stepMicros } = scope.range;
    const count = Math.round((toMicros - fromMicros) / stepMicros);
    const buckets = Array.from({ length: count }, (_, i) => formatTimestamp(fromMicros + i * stepMicros));
    const byFeature = new Map<string, DriftMapRow>();
    for (const row of rows) {
      if (row.feature === null) continue;
      let entry = byFeature.get(row.feature);
      if (!entry) {
        entry = {
          feature: row.feature,
          metric: row.metric,
          scores: new Array(count).fill(null),
          thresholds: new Array(count).fill(null),
          ratios: new Array(count).fill(null),
          statuses: new Array(count).fill(null),
          max_ratio: null,
        };
        byFeature.set(row.feature, entry);
      }
      const i = Math.round((row.bucketStartMicros - fromMicros) / stepMicros);
      if (i < 0 || i >= count) continue;
      mergeCell(entry, i, row);
    }
    const features = [...byFeature.values()].sort(
      (a, b) => (b.max_ratio ?? -1) - (a.max_ratio ?? -1) || a.feature.localeCompare(b.feature),
    );
    return { ...scope.frame, buckets, features };
  }

  async featureDetail(
    model: ModelRow,
    featureName: string,
    query: SeriesQuery & {
      dataset: string | undefined;
      /** The current distribution's own range (one window, say); the whole range by default. */
      currentFromMicros?: number | undefined;
      currentToMicros?: number | undefined;
    },
  ): Promise<FeatureDetail> {
    const columns = await this.columns.get(model.id);
    const column =
      columns.findLast((c) => c.name === featureName && c.role === 'feature') ??
      columns.findLast((c) => c.name === featureName);
    if (!column) {
      throw new NotFoundError(
        `Model "${model.name}" has no feature "${featureName}"; its features are in GET /api/v1/models/${model.name}.`,
      );
    }
    // Drift buckets no narrower than a window, so each point stands for whole windows.
    const scope = await this.scope(model, query, await this.driftWindowSeconds(model));
    const currentFromMicros = query.currentFromMicros ?? scope.range.fromMicros;
    const currentToMicros = query.currentToMicros ?? scope.range.toMicros;
    if (currentFromMicros >= currentToMicros) {
      const message = `must be after current_from (${formatTimestamp(currentFromMicros)}); got ${formatTimestamp(currentToMicros)}.`;
      throw new BadRequestError(`current_to: ${message}`, [{ field: 'current_to', message }]);
    }
    const current: ProfileSource = {
      ...scope.source,
      fromMicros: currentFromMicros,
      toMicros: currentToMicros,
    };
    const datasets = await this.store.listReferenceDatasets(model.id);
    const dataset =
      query.dataset !== undefined
        ? datasets.find((d) => d.name === query.dataset)
        : datasets.toSorted((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id).at(-1);
    if (query.dataset !== undefined && !dataset) {
      throw new NotFoundError(`Model "${model.name}" has no reference dataset "${query.dataset}".`);
    }
    const target = { column: column.name };
    const numeric = column.type === 'numeric';
    const reference: ProfileSource | null = dataset ? { kind: 'reference', datasetId: dataset.id } : null;

    const bothSides: BothSides = async (request) => {
      const [[cur], [ref]] = await Promise.all([
        this.profile(model, columns, { ...request, source: current }),
        reference ? this.profile(model, columns, { ...request, source: reference }) : Promise.resolve([]),
      ]);
      return [cur, ref];
    };
    const distribution = numeric
      ? await this.numericDistribution(target, bothSides)
      : await this.categoricalDistribution(target, bothSides);

    const [sparse, drift, examples] = await Promise.all([
      this.profile(model, columns, {
        source: scope.source,
        bucketMicros: scope.range.stepMicros,
        ...(numeric
          ? { numeric: [{ key: 'f', target, edges: EVERYTHING }] }
          : { categorical: [{ key: 'f', target, limit: 1 }] }),
        violations: true,
      }),
      this.metricSeries(model, scope, ['feature_drift'], column.name),
      this.store.listPredictions(model.id, columns, {
        fromMicros: scope.range.fromMicros,
        toMicros: scope.range.toMicros,
        ...(query.version !== undefined ? { version: query.version } : {}),
        limit: EXAMPLE_ROWS,
        newestFirst: true,
      }),
    ]);
    const windows = everyBucket(scope.range, sparse);
    const suffix = `:${column.name}`;
    return {
      ...scope.frame,
      feature: column.name,
      role: column.role,
      type: column.type,
      reference_dataset: dataset?.name ?? null,
      distribution: {
        ...distribution,
        current_from: formatTimestamp(currentFromMicros),
        current_to: formatTimestamp(currentToMicros),
      },
      drift,
      quality: windows.map((w) => {
        const violations: Record<string, number> = {};
        for (const [v, n] of Object.entries(w.violations)) {
          if (v.endsWith(suffix)) violations[v.slice(0, -suffix.length)] = n;
        }
        const missing = numeric ? (w.numeric.f?.nulls ?? 0) : (w.categorical.f?.nulls ?? 0);
        return { start: formatTimestamp(w.window ?? 0), rows: w.rows, missing, violations };
      }),
      examples: examples.map((e) => {
        const values = column.role === 'segment' ? e.segments : e.features;
        return {
          id: e.id,
          timestamp: formatTimestamp(e.timestampMicros),
          value: values[column.name] ?? null,
          invalid_value: e.invalid?.[column.name] ?? null,
          prediction: e.prediction,
          score: e.score,
          label: e.label,
          violations: e.violations.filter((v) => v.endsWith(suffix)),
        };
      }),
    };
  }

  private async numericDistribution(
    target: { column: string },
    bothSides: BothSides,
  ): Promise<FeatureDistribution> {
    const summary = { key: 'f', target, edges: EVERYTHING, quantiles: [0.005, 0.995] };
    const [cur, ref] = await bothSides({ numeric: [summary] });
    // Bins span the bulk of both distributions (0.5% to 99.5%) so one outlier cannot squash them.
    const ends = [cur, ref].flatMap((p) => (p?.numeric.f?.quantiles ?? []).filter((q) => q !== null));
    const empty = { edges: null, reference: [], current: [], categories: null };
    if (ends.length === 0) {
      return {
        kind: 'numeric',
        ...empty,
        reference_missing: ref?.numeric.f?.nulls ?? 0,
        current_missing: cur?.numeric.f?.nulls ?? 0,
        reference_rows: ref?.rows ?? 0,
        current_rows: cur?.rows ?? 0,
      };
    }
    const edges = evenEdges(Math.min(...ends), Math.max(...ends), HISTOGRAM_BINS);
    const histogram = { key: 'f', target, edges: openEnded(edges) };
    const [curHist, refHist] = await bothSides({ numeric: [histogram] });
    const zeros = () => new Array<number>(HISTOGRAM_BINS).fill(0);
    return {
      kind: 'numeric',
      edges,
      reference: refHist?.numeric.f?.counts ?? zeros(),
      current: curHist?.numeric.f?.counts ?? zeros(),
      categories: null,
      reference_missing: refHist?.numeric.f?.nulls ?? 0,
      current_missing: curHist?.numeric.f?.nulls ?? 0,
      reference_rows: refHist?.rows ?? 0,
      current_rows: curHist?.rows ?? 0,
    };
  }

  private async categoricalDistribution(
    target: { column: string },
    bothSides: BothSides,
  ): Promise<FeatureDistribution> {
    const spec = { key: 'f', target, limit: CATEGORY_LIMIT };
    const [cur, ref] = await bothSides({ categorical: [spec] });
    const refCounts = ref?.categorical.f?.counts ?? {};
    const curCounts = cur?.categorical.f?.counts ?? {};
    const combined: Record<string, number> = {};
    sumCounts(combined, refCounts);
    sumCounts(combined, curCounts);
    const top = sortedCounts(combined)
      .slice(0, CATEGORY_LIMIT)
      .map((c) => c.value);
    const kept = new Set(top);
    const rest = (counts: Record<string, number>, other: number) =>
      other + Object.entries(counts).reduce((sum, [k, n]) => (kept.has(k) ? sum : sum + n), 0);
    const refOther = rest(refCounts, ref?.categorical.f?.otherCount ?? 0);
    const curOther = rest(curCounts, cur?.categorical.f?.otherCount ?? 0);
    const withOther = refOther + curOther > 0;
    return {
      kind: 'categorical',
      edges: null,
      categories: withOther ? [...top, null] : top,
      reference: [...top.map((k) => refCounts[k] ?? 0), ...(withOther ? [refOther] : [])],
      current: [...top.map((k) => curCounts[k] ?? 0), ...(withOther ? [curOther] : [])],
      reference_missing: ref?.categorical.f?.nulls ?? 0,
      current_missing: cur?.categorical.f?.nulls ?? 0,
      reference_rows: ref?.rows ?? 0,
      current_rows: cur?.rows ?? 0,
    };
  }
}

/** One profile per bucket of the range, empty where the store found no rows (so gaps show as zero). */
function everyBucket(range: TimeRange, profiles: WindowProfile[]): WindowProfile[] {
  const byStart = new Map(profiles.map((p) => [p.window, p]));
  const all: WindowProfile[] = [];
  for (let t = range.fromMicros; t < range.toMicros; t += range.stepMicros) {
    all.push(byStart.get(t) ?? emptyWindowProfile(t));
  }
  return all;
}

/** `bins` equal bins from `low` to `high` (a unit-wide range around a single value). */
function evenEdges(low: number, high: number, bins: number): number[] {
  let lo = low;
  let hi = high;
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width));
}

/** The same bins with open outer edges, so values beyond the shown range land in the first and last bin. */
function openEnded(edges: number[]): number[] {
  return [Number.NEGATIVE_INFINITY, ...edges.slice(1, -1), Number.POSITIVE_INFINITY];
}

/** Folds one result bucket into a heat-map cell; the cell keeps the most drifted monitor's value. */
function mergeCell(entry: DriftMapRow, i: number, row: ResultBucketRow): void {
  const ratio = row.peakRatio;
  const current = entry.ratios[i];
  if (current !== null && current !== undefined && (ratio === null || ratio <= current)) return;
  entry.scores[i] = row.peakValue ?? row.value;
  entry.thresholds[i] = row.thresholdUpper;
  entry.ratios[i] = ratio;
  entry.statuses[i] = row.status;
  if (ratio !== null) entry.max_ratio = Math.max(entry.max_ratio ?? ratio, ratio);
}
