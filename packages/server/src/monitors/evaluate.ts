/** Evaluates one window of one monitor into result rows; never throws for a signal that fails. */
import type { NewMonitorResult } from '../domain/index.js';
import { BaselineUnavailable, currentProfile, type EvaluationContext, makeResult } from './context.js';
import { evaluateCustom } from './signals/custom.js';
import { evaluateDrift } from './signals/drift.js';
import { evaluateEstimated } from './signals/estimated.js';
import { evaluateFairness } from './signals/fairness.js';
import { evaluateMultivariate } from './signals/multivariate.js';
import { evaluatePerformance } from './signals/performance.js';
import { evaluateQuality } from './signals/quality.js';
import { evaluateTraffic } from './signals/traffic.js';
import type { EvaluationWindow } from './windows.js';

const SIGNALS = {
  data_quality: evaluateQuality,
  feature_drift: evaluateDrift,
  prediction_drift: evaluateDrift,
  label_drift: evaluateDrift,
  performance: evaluatePerformance,
  estimated_performance: evaluateEstimated,
  fairness: evaluateFairness,
  multivariate_drift: evaluateMultivariate,
  traffic: evaluateTraffic,
  custom_metric: evaluateCustom,
} as const;

/**
 * For "last N predictions" monitors the window is wherever those predictions fall: it is found
 * first, and results carry it. Returns null when there is nothing to evaluate.
 */
export async function resolveWindow(
  ctx: EvaluationContext,
  window: EvaluationWindow,
): Promise<EvaluationWindow | null> {
  if (!('last_n' in ctx.config.window)) return window;
  const probe = await currentProfile(ctx, window, {});
  if (probe.rows === 0 || probe.firstMicros === null || probe.lastMicros === null) return null;
  return { startMicros: probe.firstMicros, endMicros: probe.lastMicros + 1 };
}

export async function evaluateWindow(
  ctx: EvaluationContext,
  window: EvaluationWindow,
): Promise<NewMonitorResult[]> {
  const signal = SIGNALS[ctx.config.kind];
  try {
    return await signal(ctx, window);
  } catch (error) {
    const reason =
      error instanceof BaselineUnavailable ? error.message : `Evaluation failed: ${(error as Error).message}`;
    return [makeResult(ctx, window, { metric: 'evaluation', sampleSize: 0, status: 'error', reason })];
  }
}
