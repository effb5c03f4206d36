/**
 * Annotations: the summary, the value against the thresholds, the dashboard link and the
 * runbook. A rule may give templates; `{{name}}` is replaced by a label (`model`, `feature`, …)
 * or one of `value`, `threshold_lower`, `threshold_upper`, `window_start`, `window_end`,
 * `dashboard_url`. Unknown names render empty.
 */
import type { AlertRuleSpec } from '../domain/index.js';
import type { SeriesWindow } from '../storage/alerts.js';

function formatNumber(value: number | null): string {
  if (value === null) return '';
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

const iso = (micros: number) => new Date(micros / 1000).toISOString();

export function dashboardUrl(
  externalUrl: string,
  labels: Record<string, string>,
  window: SeriesWindow,
): string {
  const query = new URLSearchParams();
  if (labels.feature) query.set('feature', labels.feature);
  if (labels.metric) query.set('metric', labels.metric);
  query.set('from', iso(window.startMicros));
  query.set('to', iso(window.endMicros));
  return `${externalUrl}/models/${encodeURIComponent(labels.model ?? '')}/monitors/${encodeURIComponent(
    labels.monitor ?? '',
  )}?${query}`;
}

/** Where an API client fetches the result series around the window. */
export function resultsUrl(
  externalUrl: string,
  labels: Record<string, string>,
  fromMicros: number,
  toMicros: number,
): string {
  const query = new URLSearchParams();
  for (const name of ['monitor', 'feature', 'metric', 'version', 'segment']) {
    if (labels[name]) query.set(name, labels[name]!);
  }
  query.set('from', iso(fromMicros));
  query.set('to', iso(toMicros));
  return `${externalUrl}/api/v1/models/${encodeURIComponent(labels.model ?? '')}/results?${query}`;
}

function render(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name: string) => values[name] ?? '');
}

function bounds(window: SeriesWindow): string {
  const lower = window.lower === null ? '-∞' : formatNumber(window.lower);
  const upper = window.upper === null ? '+∞' : formatNumber(window.upper);
  return `[${lower}, ${upper}]`;
}

/** The value against its thresholds in words: a one-sided threshold reads as "above 0.05". */
function comparison(window: SeriesWindow): string {
  const breach = window.outcome === 'breach';
  if (window.lower === null && window.upper !== null) {
    return `${breach ? 'above' : 'at or below'} the threshold ${formatNumber(window.upper)}`;
  }
  if (window.upper === null && window.lower !== null) {
    return `${breach ? 'below' : 'at or above'} the threshold ${formatNumber(window.lower)}`;
  }
  return `${breach ? 'outside' : 'within'} ${bounds(window)}`;
}

export function buildAnnotations(
  spec: AlertRuleSpec,
  labels: Record<string, string>,
  window: SeriesWindow,
  externalUrl: string,
): Record<string, string> {
  const dashboard = dashboardUrl(externalUrl, labels, window);
  const values: Record<string, string> = {
    ...labels,
    value: formatNumber(window.value),
    threshold_lower: formatNumber(window.lower),
    threshold_upper: formatNumber(window.upper),
    window_start: iso(window.startMicros),
    window_end: iso(window.endMicros),
    dashboard_url: dashboard,
  };
  const what = `${labels.metric}${labels.feature ? ` of ${labels.feature}` : ''}`;
  const where = [labels.version && `version ${labels.version}`, labels.segment && `segment ${labels.segment}`]
    .filter(Boolean)
    .join(', ');
  const summary = spec.annotations.summary
    ? render(spec.annotations.summary, values)
    : `${labels.model}: ${what} (${labels.monitor})${where ? ` in ${where}` : ''}`;
  const description = spec.annotations.description
    ? render(spec.annotations.description, values)
    : window.value === null
      ? `No value in window ${values.window_start} – ${values.window_end}.`
      : `${what} is ${values.value}, ${comparison(window)}, in window ${values.window_start} – ${values.window_end}.`;
  const annotations: Record<string, string> = {
    summary,
    description,
    value: values.value!,
    dashboard_url: dashboard,
  };
  if (window.lower !== null || window.upper !== null) annotations.threshold = bounds(window);
  if (spec.annotations.runbook_url) annotations.runbook_url = render(spec.annotations.runbook_url, values);
  return annotations;
}
