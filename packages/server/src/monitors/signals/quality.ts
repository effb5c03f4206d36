/**
 * Data quality of a window: per feature, the missing rate against the baseline's, the share of
 * numeric values outside the baseline's range and of categories the baseline never had; for the
 * model, the share of rows with each kind of violation recorded at ingestion.
 */
import type { NewMonitorResult } from '../../domain/index.js';
import {
  baselineAndCurrent,
  type EvaluationContext,
  loadBaseline,
  type Measures,
  makeResult,
} from '../context.js';
import type { EvaluationWindow } from '../windows.js';
import { nextUp } from './edges.js';

export const QUALITY_MIN_SAMPLE = 30;

/** Violation kinds ingestion records (see docs/api.md). */
const KNOWN_VIOLATIONS = [
  'missing_feature',
  'type_mismatch',
  'unknown_feature',
  'unseen_category',
  'unknown_segment',
  'non_finite',
];

/** Missing rates and the baseline's range need only a coarse numeric profile (one open bin). */
const OPEN = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];

/** The features a data-quality monitor watches, and what the baseline is profiled for. */
function qualityBaseline(ctx: EvaluationContext): {
  features: Map<string, 'numeric' | 'categorical'>;
  baselineMeasures: Measures;
} {
  const config = ctx.config;
  const wanted = config.kind === 'data_quality' && config.features ? new Set(config.features) : null;
  const features = new Map<string, 'numeric' | 'categorical'>();
  for (const column of ctx.columns) {
    if (column.role !== 'feature' || (wanted && !wanted.has(column.name))) continue;
    features.set(column.name, column.type === 'numeric' ? 'numeric' : 'categorical');
  }
  const names = [...features.keys()];
  const baselineMeasures: Measures = {
    numeric: names
      .filter((f) => features.get(f) === 'numeric')
      .map((f) => ({ key: f, target: { column: f }, edges: OPEN })),
    categorical: names
      .filter((f) => features.get(f) === 'categorical')
      .map((f) => ({ key: f, target: { column: f } })),
  };
  return { features, baselineMeasures };
}

/** Computes the baseline statistics `evaluateQuality` reads, for windows of each of `rows` rows. */
export async function warmQuality(
  ctx: EvaluationContext,
  window: EvaluationWindow,
  rows: number[],
): Promise<void> {
  if (ctx.config.kind !== 'data_quality') return;
  const { baselineMeasures } = qualityBaseline(ctx);
  for (const n of rows) await loadBaseline(ctx, window, baselineMeasures, n);
}

export async function evaluateQuality(
  ctx: EvaluationContext,
  window: EvaluationWindow,
): Promise<NewMonitorResult[]> {
  const config = ctx.config;
  if (config.kind !== 'data_quality') return [];
  const { features, baselineMeasures } = qualityBaseline(ctx);
  const names = [...features.keys()];
  const open = OPEN;
  // Violation counts come in the same pass; the numeric bins split at the baseline's range.
  const { baseline, current } = await baselineAndCurrent(ctx, window, baselineMeasures, (base) => {
    const ranged: Measures['numeric'] = [];
    for (const f of names) {
      if (features.get(f) !== 'numeric') continue;
      const ref = base.total.numeric[f];
      const edges =
        ref && ref.min !== null && ref.max !== null
          ? [Number.NEGATIVE_INFINITY, ref.min, nextUp(ref.max), Number.POSITIVE_INFINITY]
          : open;
      ranged.push({ key: f, target: { column: f }, edges, countsOnly: true });
    }
    return { ...baselineMeasures, numeric: ranged, violations: true };
  });
  const probe = current;
  const rows = current.rows;
  const minSample = config.min_sample_size ?? QUALITY_MIN_SAMPLE;
  const results: NewMonitorResult[] = [];
  const insufficient = rows < minSample;
  const add = (
    feature: string | null,
    metric: string,
    value: number,
    upper: number,
    details: Record<string, unknown>,
  ) => {
    results.push(
      makeResult(ctx, window, {
        feature,
        metric,
        sampleSize: rows,
        value: insufficient ? null : value,
        thresholdUpper: upper,
        status: insufficient ? 'insufficient_data' : value > upper ? 'alert' : 'ok',
        ...(insufficient
          ? { reason: `${rows} rows in the window; data quality needs at least ${minSample}.` }
          : {}),
        details,
      }),
    );
  };

  const baseRows = Math.max(1, baseline.total.rows);
  for (const f of names) {
    const kind = features.get(f)!;
    const cur = kind === 'numeric' ? current.numeric[f] : current.categorical[f];
    const ref = kind === 'numeric' ? baseline.total.numeric[f] : baseline.total.categorical[f];
    const nulls = cur?.nulls ?? rows;
    const missingRate = rows === 0 ? 0 : nulls / rows;
    const referenceMissing = (ref?.nulls ?? 0) / baseRows;
    add(f, 'missing_rate', missingRate, Math.min(1, referenceMissing + config.max_missing_rate_increase), {
      baseline_missing_rate: referenceMissing,
    });
    if (kind === 'numeric') {
      const counts = current.numeric[f]?.counts ?? [];
      const present = counts.reduce((a, b) => a + b, 0);
      if (counts.length === 3 && present > 0) {
        const outside = counts[0]! + counts[2]!;
        const refNumeric = baseline.total.numeric[f];
        add(f, 'out_of_range_rate', outside / present, config.max_out_of_range_rate, {
          baseline_min: refNumeric?.min ?? null,
          baseline_max: refNumeric?.max ?? null,
          below: counts[0],
          above: counts[2],
        });
      }
    } else {
      const refCounts = baseline.total.categorical[f]?.counts ?? {};
      const curCounts = current.categorical[f]?.counts ?? {};
      const present = Object.values(curCounts).reduce((a, b) => a + b, 0);
      if (present > 0 && Object.keys(refCounts).length > 0) {
        const unseen = Object.entries(curCounts).filter(([c]) => refCounts[c] === undefined);
        const unseenCount = unseen.reduce((a, [, n]) => a + n, 0);
        add(f, 'unseen_category_rate', unseenCount / present, config.max_unseen_category_rate, {
          unseen_categories: unseen
            .sort((a, b) => b[1] - a[1])
            .slice(0, 10)
            .map(([category, count]) => ({ category, count })),
        });
      }
    }
  }
  // Violations recorded at ingestion, by kind (`type_mismatch:age` counts under type_mismatch, feature age).
  const byKind = new Map<string, { count: number; features: Record<string, number> }>();
  for (const [violation, count] of Object.entries(probe.violations)) {
    const [kind, feature] = violation.includes(':')
      ? [violation.slice(0, violation.indexOf(':')), violation.slice(violation.indexOf(':') + 1)]
      : [violation, ''];
    const entry = byKind.get(kind) ?? { count: 0, features: {} };
    entry.count += count;
    if (feature) entry.features[feature] = (entry.features[feature] ?? 0) + count;
    byKind.set(kind, entry);
  }
  // Every known kind gets a value in every window, so a series that returns to zero resolves its alert.
  for (const kind of KNOWN_VIOLATIONS) if (!byKind.has(kind)) byKind.set(kind, { count: 0, features: {} });
  for (const [kind, entry] of [...byKind.entries()].sort()) {
    add(
      null,
      `violation_rate:${kind}`,
      rows === 0 ? 0 : Math.min(1, entry.count / rows),
      config.max_violation_rate,
      {
        count: entry.count,
        by_feature: entry.features,
      },
    );
  }
  return results;
}
