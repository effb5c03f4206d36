/**
 * What one result says under one rule: its labels, and whether its window breaches, heals, or
 * says nothing (insufficient data, an error, no value).
 */
import { Adwin, Cusum, type DetectorState, PageHinkley, restoreDetector } from '@vigil/stats';
import type { AlertRuleSpec, MonitorResult } from '../domain/index.js';
import type { SeriesState, SeriesWindow } from '../storage/alerts.js';

/** The labels a result series carries before a rule adds its own. */
export function seriesLabels(
  result: MonitorResult,
  modelName: string,
  monitorName: string,
): Record<string, string> {
  const labels: Record<string, string> = { model: modelName, monitor: monitorName, kind: result.monitorKind };
  if (result.version !== null) labels.version = result.version;
  if (result.segment !== null) labels.segment = result.segment;
  if (result.feature !== null) labels.feature = result.feature;
  labels.metric = result.metric;
  return labels;
}

/** The alert's labels: the series', the rule's extra labels, its severity and name. */
export function alertLabels(
  series: Record<string, string>,
  rule: { name: string; spec: AlertRuleSpec },
): Record<string, string> {
  return { ...rule.spec.labels, ...series, severity: rule.spec.severity, rule: rule.name };
}

function outside(value: number, lower: number | null | undefined, upper: number | null | undefined): boolean {
  return (
    (lower !== null && lower !== undefined && value < lower) ||
    (upper !== null && upper !== undefined && value > upper)
  );
}

function numberDetail(details: Record<string, unknown> | null, key: string): number | null {
  const value = details?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * The band a `reference_band` rule uses: the one evaluation calibrated on the reference
 * (`thresholdLower/Upper`), or, with the rule's own `k`, mean ± k·σ of the metric over the
 * reference chunks when evaluation reports them (`details.chunk_mean`, `details.chunk_std`).
 */
export function referenceBand(
  spec: AlertRuleSpec,
  result: MonitorResult,
): { lower: number | null; upper: number | null } {
  if (spec.k !== undefined) {
    const mean = numberDetail(result.details, 'chunk_mean');
    const std = numberDetail(result.details, 'chunk_std');
    if (mean !== null && std !== null) return { lower: mean - spec.k * std, upper: mean + spec.k * std };
  }
  return { lower: result.thresholdLower, upper: result.thresholdUpper };
}

function newDetector(spec: AlertRuleSpec) {
  const params = (spec.detector?.params ?? {}) as Record<string, never>;
  switch (spec.detector?.method ?? 'page_hinkley') {
    case 'cusum':
      return new Cusum(params);
    case 'adwin':
      return new Adwin(params);
    default:
      return new PageHinkley(params);
  }
}

function inOrder(windows: readonly SeriesWindow[]): boolean {
  for (let i = 1; i < windows.length; i++)
    if (windows[i - 1]!.startMicros > windows[i]!.startMicros) return false;
  return true;
}

/**
 * Evaluates `result` under the rule and records the window in `state` (mutated): replaces the
 * window of the same start (a re-evaluation), keeps the newest `keep` windows. Returns false
 * when the window is too old to matter (older than every kept window of a full history).
 */
export function recordWindow(
  state: SeriesState,
  spec: AlertRuleSpec,
  result: MonitorResult,
  keep: number,
): boolean {
  const windows = state.windows;
  const existing = windows.findIndex((w) => w.startMicros === result.windowStartMicros);
  if (existing < 0 && windows.length >= keep && result.windowStartMicros < windows[0]!.startMicros)
    return false;

  let lower = result.thresholdLower;
  let upper = result.thresholdUpper;
  let outcome: SeriesWindow['outcome'];
  const value = result.value;
  if (result.status === 'insufficient_data' || result.status === 'error') {
    outcome = 'no_data';
  } else if (spec.type === 'static') {
    if (spec.threshold && (spec.threshold.lower != null || spec.threshold.upper != null)) {
      lower = spec.threshold.lower ?? null;
      upper = spec.threshold.upper ?? null;
      outcome = value === null ? 'no_data' : outside(value, lower, upper) ? 'breach' : 'ok';
    } else {
      outcome = (spec.on_status ?? ['alert']).includes(result.status as 'ok') ? 'breach' : 'ok';
    }
  } else if (spec.type === 'reference_band') {
    ({ lower, upper } = referenceBand(spec, result));
    if (value === null) outcome = 'no_data';
    else if (lower === null && upper === null) outcome = result.status === 'alert' ? 'breach' : 'ok';
    else outcome = outside(value, lower, upper) ? 'breach' : 'ok';
  } else if (value === null) {
    outcome = 'no_data';
  } else if (state.lastFedMicros !== null && result.windowStartMicros <= state.lastFedMicros) {
    // A detector sees each window once, in order; a re-evaluated window keeps its first verdict.
    outcome = existing >= 0 ? windows[existing]!.outcome : 'ok';
  } else {
    const detector = state.detector ? restoreDetector(state.detector as DetectorState) : newDetector(spec);
    outcome = detector.update(value).drift ? 'breach' : 'ok';
    state.detector = detector.state;
    state.lastFedMicros = result.windowStartMicros;
  }

  const window: SeriesWindow = {
    startMicros: result.windowStartMicros,
    endMicros: result.windowEndMicros,
    seq: result.seq,
    value,
    lower,
    upper,
    outcome,
  };
  if (existing >= 0) windows[existing] = window;
  else {
    windows.push(window);
    // Windows mostly arrive in order: sorted only when they are not (a sort allocates).
    if (!inOrder(windows)) windows.sort((a, b) => a.startMicros - b.startMicros);
    if (windows.length > keep) windows.splice(0, windows.length - keep);
  }
  return true;
}
