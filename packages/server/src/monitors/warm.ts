/**
 * Computing a monitor's reference baselines ahead of its first window (after a reference upload),
 * through the same functions its evaluation reads them with, so that they land in the cache and
 * the store under the same keys and the first window is evaluated warm.
 */
import { chunkCount } from '@vigil/stats';
import type { MonitorKind } from '../domain/index.js';
import { baselineSource, currentProfile, type EvaluationContext } from './context.js';
import { warmDrift } from './signals/drift.js';
import { warmEstimated } from './signals/estimated.js';
import { warmMultivariate } from './signals/multivariate.js';
import { warmPerformance } from './signals/performance.js';
import { warmQuality } from './signals/quality.js';
import { type EvaluationWindow, windowMicros } from './windows.js';

type Warmer = (ctx: EvaluationContext, window: EvaluationWindow, rows: number[]) => Promise<void>;

/** The kinds whose baselines come from a reference dataset (the others read no baseline). */
const WARMERS: Partial<Record<MonitorKind, Warmer>> = {
  data_quality: warmQuality,
  feature_drift: warmDrift,
  prediction_drift: warmDrift,
  label_drift: warmDrift,
  performance: warmPerformance,
  estimated_performance: warmEstimated,
  multivariate_drift: warmMultivariate,
};

/**
 * Computes the reference baselines the monitor's next window will read. Chunk profiles depend on
 * the window's size class (see `chunkCount`): the class of the monitor's last window if this
 * process saw one, else of the latest window with traffic, else (no traffic yet) every class.
 * Returns false when the monitor reads no reference baseline.
 */
export async function warmReferenceBaselines(ctx: EvaluationContext): Promise<boolean> {
  const warm = WARMERS[ctx.config.kind];
  if (!warm || ctx.config.baseline.type !== 'reference') return false;
  const size = windowMicros(ctx.config.window) ?? 60_000_000;
  const start = Math.floor(ctx.nowMicros / size) * size;
  const window = { startMicros: start, endMicros: start + size };
  const { rows: referenceRows } = await baselineSource(ctx, window);
  const rows = await expectedWindowRows(ctx, size);
  const candidates =
    rows !== null
      ? [rows]
      : [referenceRows, referenceRows / 10, referenceRows / 20].map((n) => Math.max(1, Math.floor(n)));
  const byClass = new Map(candidates.map((n) => [chunkCount(referenceRows, n), n]));
  await warm(ctx, window, [...byClass.values()]);
  return true;
}

async function expectedWindowRows(ctx: EvaluationContext, size: number): Promise<number | null> {
  const hint = ctx.cache.hint(ctx.model.id, `rows:${ctx.monitor.id}`);
  if (hint !== undefined) return hint;
  const newest = (await ctx.store.lastPredictionTimes([ctx.model.id])).get(ctx.model.id);
  if (newest === undefined) return null;
  // The last closed window before the newest prediction, else the one it falls in.
  const current = Math.floor(newest / size) * size;
  for (const startMicros of [current - size, current]) {
    const probe = await currentProfile(ctx, { startMicros, endMicros: startMicros + size }, {});
    if (probe.rows > 0) return probe.rows;
  }
  return null;
}
