/**
 * Traffic: the number of predictions in a window against the same time of day in past windows
 * (the median of the last `history_windows` days for windows shorter than a day, else of the
 * last windows), so daily seasonality is not mistaken for a drop. No data at all is an alert
 * once the model has had traffic.
 */
import type { NewMonitorResult } from '../../domain/index.js';
import type { EvaluationContext } from '../context.js';
import { makeResult, trafficScope } from '../context.js';
import { type EvaluationWindow, windowMicros } from '../windows.js';

const DAY = 86_400_000_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function evaluateTraffic(
  ctx: EvaluationContext,
  window: EvaluationWindow,
  /** Read the whole history bucketed by window, as before (what tests compare with). */
  options: { wholeHistory?: boolean } = {},
): Promise<NewMonitorResult[]> {
  const config = ctx.config;
  if (config.kind !== 'traffic') return [];
  const size = windowMicros(config.window) ?? window.endMicros - window.startMicros;
  const step = Math.max(size, DAY);
  const history = config.history_windows;
  const fromMicros = window.startMicros - history * step;
  const scope = trafficScope(config);
  let count: number;
  let past: number[];
  let hadTraffic: boolean;
  // Clock windows whose past windows are windows of the same clock (a day is a whole number of them).
  const aligned =
    window.startMicros % size === 0 && window.endMicros === window.startMicros + size && step % size === 0;
  if (aligned && options.wholeHistory !== true) {
    // Only the windows compared, each counted as a time range of its own, so the engine reads
    // just their rows however long the history (a week of 1-minute windows is 10,080 windows).
    const starts = Array.from({ length: history }, (_, k) => window.startMicros - (k + 1) * step);
    const ranges = starts.map((start) => ({ fromMicros: start, toMicros: start + size }));
    const own = { fromMicros: window.startMicros, toMicros: window.endMicros };
    // The window's own rows are counted by its shared profile, which the other monitors read anyway.
    const current = ctx.shared?.request({ kind: 'predictions', ...own, ...scope }, {});
    // Whether the history had traffic matters only when the compared windows had none; asked
    // always, as it stops at the first row.
    const [counted, profile] = await Promise.all([
      ctx.store.countPredictions(ctx.model.id, ctx.columns, {
        ranges: current ? ranges : [own, ...ranges],
        anyIn: { fromMicros, toMicros: window.startMicros },
        ...scope,
      }),
      current,
    ]);
    count = current ? (profile?.rows ?? 0) : counted.counts.shift()!;
    past = counted.counts;
    hadTraffic = past.some((c) => c > 0) || counted.any;
  } else {
    const request = {
      source: { kind: 'predictions', fromMicros, toMicros: window.endMicros, ...scope },
      bucketMicros: size,
    } as const;
    const profiles = ctx.shared
      ? await ctx.shared.profileAlone(request)
      : await ctx.store.profile(ctx.model.id, ctx.columns, request);
    const counts = new Map(profiles.map((p) => [p.window, p.rows]));
    count = counts.get(window.startMicros) ?? 0;
    past = [];
    for (let k = 1; k <= history; k++) past.push(counts.get(window.startMicros - k * step) ?? 0);
    hadTraffic =
      past.some((c) => c > 0) || profiles.some((p) => p.window !== window.startMicros && p.rows > 0);
  }
  const usual = median(past);
  // The window still open is compared pro rata, so a half-elapsed hour is not a "drop".
  const elapsed = Math.min(1, Math.max(0, (ctx.nowMicros - window.startMicros) / size));
  const expected = usual * (window.endMicros > ctx.nowMicros ? elapsed : 1);
  const lowerFromHistory = usual > 0 ? expected * config.drop_ratio : null;
  const upperFromHistory = usual > 0 ? Math.max(expected, 1) * config.spike_ratio : null;
  const lower = config.min_count ?? lowerFromHistory;
  const upper = config.max_count ?? upperFromHistory;
  const results: NewMonitorResult[] = [];
  if (lower === null && upper === null) {
    results.push(
      makeResult(ctx, window, {
        metric: 'prediction_count',
        value: count,
        sampleSize: count,
        status: hadTraffic ? 'ok' : 'insufficient_data',
        reason: hadTraffic ? null : 'No traffic history to compare with yet.',
        details: { history: past },
      }),
    );
  } else {
    const breach = (lower !== null && count < lower) || (upper !== null && count > upper);
    results.push(
      makeResult(ctx, window, {
        metric: 'prediction_count',
        value: count,
        thresholdLower: lower,
        thresholdUpper: upper,
        sampleSize: count,
        status: breach ? 'alert' : 'ok',
        reason: count === 0 && hadTraffic ? 'No predictions in this window.' : null,
        details: { usual, history: past, elapsed_fraction: elapsed },
      }),
    );
  }
  return results;
}
