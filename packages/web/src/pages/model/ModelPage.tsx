/**
 * A model at a glance: traffic, predictions, performance measured and estimated on one chart,
 * data quality, the drift heat map and the alerts, all on the same time range, with the range,
 * version and segment in the URL.
 */

import { useQuery } from '@tanstack/react-query';
import { createRoute, Link } from '@tanstack/react-router';
import type { Alert, DriftMap, Model, ModelSeries } from '@vigil/sdk';
import { useMemo, useState } from 'react';
import { api } from '../../api';
import { EChart } from '../../charts/EChart';
import { chartColors, GRID, timeAxis, valueAxis } from '../../charts/palette';
import { EmptyState, ErrorState, Loading, PageHeader } from '../../components/states';
import { signedInRoute } from '../../routes/root';
import { AlertState } from '../alerts/AlertsPage';
import { alertSpans, alertTimelineOption } from './alerts-overlay';
import { DriftHeatMap } from './DriftHeatMap';
import { RangeControls } from './RangeControls';
import { formatNumber, formatTime, type RangeSearch, resolveRange, validateRangeSearch } from './range';

const REFRESH_MS = 30_000;

export function useModelQueries(model: string, search: RangeSearch) {
  const { from, to } = useMemo(() => resolveRange(search), [search]);
  const filters = { from, to, version: search.version, segment: search.segment };
  const series = useQuery({
    queryKey: ['series', model, filters],
    queryFn: () =>
      api.get<ModelSeries>(`/models/${encodeURIComponent(model)}/series`, {
        query: { ...filters, points: 240 },
      }),
    refetchInterval: REFRESH_MS,
  });
  const driftMap = useQuery({
    queryKey: ['drift-map', model, filters],
    queryFn: () =>
      api.get<DriftMap>(`/models/${encodeURIComponent(model)}/drift-map`, {
        query: { ...filters, points: 48 },
      }),
    refetchInterval: REFRESH_MS,
  });
  const alerts = useQuery({
    queryKey: ['alerts', { model }],
    queryFn: async () => (await api.get<{ data: Alert[] }>('/alerts', { query: { model, limit: 500 } })).data,
    refetchInterval: REFRESH_MS,
  });
  return { from, to, series, driftMap, alerts };
}

/** The alerts of monitors of these kinds (the `kind` label), so each chart shades only its own. */
function ofKinds(alerts: Alert[], kinds: string[]): Alert[] {
  return alerts.filter((a) => kinds.includes(a.labels.kind ?? '') && a.severity === 'critical');
}

function inRange(alerts: Alert[], from: string, to: string): Alert[] {
  const start = Date.parse(from);
  const end = Date.parse(to);
  return alerts.filter((a) => Date.parse(a.window_end) >= start && Date.parse(a.window_start) <= end);
}

function Section({ title, children, id }: { title: string; children: React.ReactNode; id?: string }) {
  return (
    <section className="card chart-card" aria-labelledby={id ?? title}>
      <h2 id={id ?? title}>{title}</h2>
      {children}
    </section>
  );
}

function trafficOption(series: ModelSeries, alerts: Alert[]) {
  const c = chartColors();
  return {
    grid: GRID,
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0, textStyle: { color: c.muted } },
    xAxis: timeAxis(series.from, series.to),
    yAxis: [valueAxis('predictions'), valueAxis('mean score', { splitLine: { show: false } })],
    series: [
      {
        name: 'Predictions',
        type: 'bar' as const,
        itemStyle: { color: c.line },
        barMaxWidth: 12,
        data: series.traffic.map((p) => [p.start, p.predictions]),
        markArea: alertSpans(alerts, series.to),
      },
      {
        name: series.task === 'regression' ? 'Mean prediction' : 'Mean score',
        type: 'line' as const,
        yAxisIndex: 1,
        showSymbol: false,
        connectNulls: false,
        itemStyle: { color: c.series[1] },
        data: series.traffic.map((p) => [p.start, p.mean_score]),
      },
    ],
  };
}

function performanceOption(series: ModelSeries, metric: string, alerts: Alert[]) {
  const c = chartColors();
  const measured = series.performance.find((s) => !s.estimated && s.metric === metric);
  const estimated = series.performance.find((s) => s.estimated && s.metric === metric);
  const threshold = (measured ?? estimated)?.points ?? [];
  const band = estimated?.points.filter((p) => p.band_lower !== null && p.band_upper !== null) ?? [];
  const names = {
    estimated: `Estimated ${metric} (no labels)`,
    measured: `Measured ${metric} (labels)`,
  };
  return {
    grid: { ...GRID, top: 64 },
    tooltip: { trigger: 'axis' as const, valueFormatter: (v: unknown) => formatNumber(v as number) },
    legend: {
      top: 0,
      textStyle: { color: c.muted },
      data: [names.measured, names.estimated, 'Estimate band', 'Threshold', 'Label coverage'],
    },
    xAxis: timeAxis(series.from, series.to),
    yAxis: [
      valueAxis(metric, { scale: true }),
      valueAxis('label coverage', {
        min: 0,
        max: 1,
        splitLine: { show: false },
        axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%`, color: c.muted },
      }),
    ],
    series: [
      {
        name: 'Label coverage',
        type: 'bar' as const,
        yAxisIndex: 1,
        barMaxWidth: 10,
        itemStyle: { color: c.muted, opacity: 0.18 },
        data: series.traffic.map((p) => [p.start, p.label_coverage]),
        markArea: alertSpans(alerts, series.to),
      },
      // The band is drawn as a stack: an invisible lower edge, then the band's width on top.
      {
        name: 'band-base',
        type: 'line' as const,
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        tooltip: { show: false },
        data: band.map((p) => [p.start, p.band_lower]),
      },
      {
        name: 'Estimate band',
        type: 'line' as const,
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        areaStyle: { color: c.series[1], opacity: 0.2 },
        data: band.map((p) => [p.start, (p.band_upper ?? 0) - (p.band_lower ?? 0)]),
      },
      {
        name: names.estimated,
        type: 'line' as const,
        symbol: 'triangle',
        symbolSize: 6,
        lineStyle: { type: 'dashed' as const, color: c.series[1] },
        itemStyle: { color: c.series[1] },
        data: (estimated?.points ?? []).map((p) => [p.start, p.value]),
      },
      {
        name: names.measured,
        type: 'line' as const,
        symbol: 'circle',
        symbolSize: 6,
        itemStyle: { color: c.line },
        data: (measured?.points ?? []).map((p) => [p.start, p.value]),
      },
      {
        name: 'Threshold',
        type: 'line' as const,
        symbol: 'none',
        step: 'middle' as const,
        lineStyle: { type: 'dotted' as const, color: c.alert },
        itemStyle: { color: c.alert },
        data: threshold.map((p) => [p.start, p.threshold_lower ?? p.threshold_upper]),
      },
    ],
  };
}

function predictionOption(series: ModelSeries) {
  const c = chartColors();
  if (series.predictions.kind === 'numeric' || series.predictions.classes.length === 0) {
    const h = series.predictions.histogram;
    return {
      grid: GRID,
      tooltip: { trigger: 'axis' as const },
      xAxis: {
        type: 'category' as const,
        data: (h?.edges.slice(0, -1) ?? []).map((e) => formatNumber(e)),
        axisLabel: { color: c.muted },
      },
      yAxis: valueAxis('predictions'),
      series: [
        { type: 'bar' as const, name: 'Predictions', itemStyle: { color: c.line }, data: h?.counts ?? [] },
      ],
    };
  }
  const classes = series.predictions.classes.map((k) => k.value);
  return {
    grid: GRID,
    tooltip: {
      trigger: 'axis' as const,
      valueFormatter: (v: unknown) => `${Math.round((v as number) * 100)}%`,
    },
    legend: { top: 0, textStyle: { color: c.muted } },
    xAxis: timeAxis(series.from, series.to),
    yAxis: valueAxis('share', {
      min: 0,
      max: 1,
      axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%`, color: c.muted },
    }),
    series: classes.map((value, i) => ({
      name: value,
      type: 'line' as const,
      stack: 'classes',
      symbol: 'none',
      areaStyle: { opacity: 0.6 },
      itemStyle: { color: c.series[i % c.series.length] },
      data: series.predictions.over_time.map((p) => {
        const total = Object.values(p.counts).reduce((a, b) => a + b, 0);
        return [p.start, total > 0 ? (p.counts[value] ?? 0) / total : null];
      }),
    })),
  };
}

function scoreHistogramOption(series: ModelSeries) {
  const c = chartColors();
  const h = series.predictions.histogram;
  return {
    grid: { ...GRID, top: 16 },
    tooltip: { trigger: 'axis' as const },
    xAxis: {
      type: 'category' as const,
      name: 'score',
      data: (h?.edges.slice(0, -1) ?? []).map((e) => e.toFixed(2)),
      axisLabel: { color: c.muted },
    },
    yAxis: valueAxis('predictions'),
    series: [
      { type: 'bar' as const, name: 'Predictions', itemStyle: { color: c.line }, data: h?.counts ?? [] },
    ],
  };
}

function qualityOption(series: ModelSeries, alerts: Alert[]) {
  const c = chartColors();
  const kinds = [...new Set(series.quality.flatMap((q) => Object.keys(q.violations)))].sort();
  return {
    grid: GRID,
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0, textStyle: { color: c.muted } },
    xAxis: timeAxis(series.from, series.to),
    yAxis: valueAxis('rows with violations'),
    series: kinds.map((kind, i) => ({
      name: kind.replaceAll('_', ' '),
      type: 'bar' as const,
      stack: 'violations',
      barMaxWidth: 12,
      itemStyle: { color: c.series[(i + 2) % c.series.length] },
      data: series.quality.map((q) => [q.start, q.violations[kind] ?? 0]),
      ...(i === 0 ? { markArea: alertSpans(alerts, series.to) } : {}),
    })),
  };
}

function ModelPage() {
  const { model } = modelRoute.useParams();
  const search = modelRoute.useSearch();
  const info = useQuery({
    queryKey: ['model', model],
    queryFn: () => api.get<Model>(`/models/${encodeURIComponent(model)}`),
  });
  const { from, to, series, driftMap, alerts } = useModelQueries(model, search);
  const [metricChoice, setMetric] = useState<string | null>(null);

  if (info.isError) return <ErrorState error={info.error} title={`Cannot show model ${model}`} />;
  const data = series.data;
  const shownAlerts = inRange(alerts.data ?? [], from, to);
  const metrics = [...new Set(data?.performance.map((s) => s.metric) ?? [])];
  const metric =
    metricChoice && metrics.includes(metricChoice)
      ? metricChoice
      : metrics.includes('accuracy')
        ? 'accuracy'
        : metrics[0];
  const totalPredictions = data?.traffic.reduce((s, p) => s + p.predictions, 0) ?? 0;

  return (
    <>
      <PageHeader
        title={model}
        description={
          info.data ? (
            <>
              {info.data.task.replaceAll('_', ' ')}
              {info.data.description ? ` — ${info.data.description}` : ''}
            </>
          ) : undefined
        }
        actions={
          <Link to="/monitors" search={{ model } as never} className="button button-quiet">
            Monitors
          </Link>
        }
      />
      <RangeControls search={search} versions={data?.versions ?? []} segments={data?.segments ?? []} />
      {series.isError && <ErrorState error={series.error} onRetry={() => void series.refetch()} />}
      {series.isPending && <Loading label="Loading the model's charts…" />}
      {data && totalPredictions === 0 && (
        <EmptyState title="No predictions in this range">
          <p>
            Send predictions to <code>/api/v1/models/{model}/predictions</code> (see the overview for
            snippets), or pick a longer time range.
          </p>
        </EmptyState>
      )}
      {data && (
        <div className="chart-grid">
          <Section title="Traffic">
            <EChart
              option={trafficOption(data, ofKinds(shownAlerts, ['traffic']))}
              label={`Predictions per ${formatStep(data.step_seconds)}: ${totalPredictions} in the range`}
              testId="traffic-chart"
            />
          </Section>
          <Section title="Performance">
            {metrics.length === 0 ? (
              <p className="muted">
                No performance results yet: measured performance needs labels (send them to{' '}
                <code>/api/v1/models/{model}/labels</code>); binary classifiers also get an estimate without
                labels.
              </p>
            ) : (
              <>
                <label className="field-inline">
                  <span>Metric</span>
                  <select value={metric} onChange={(e) => setMetric(e.target.value)}>
                    {metrics.map((m) => (
                      <option key={m} value={m}>
                        {m}
                      </option>
                    ))}
                  </select>
                </label>
                <EChart
                  option={performanceOption(
                    data,
                    metric!,
                    ofKinds(shownAlerts, ['performance', 'estimated_performance']),
                  )}
                  label={`Measured and estimated ${metric} over time with the estimate's confidence band, the threshold and the label coverage`}
                  testId="performance-chart"
                />
              </>
            )}
          </Section>
          <Section title="Predictions">
            <EChart option={predictionOption(data)} label="Share of each predicted class over time" />
            {data.predictions.kind === 'categorical' && data.predictions.histogram && (
              <EChart
                option={scoreHistogramOption(data)}
                height={160}
                label="Histogram of the positive-class score"
              />
            )}
          </Section>
          <Section title="Data quality">
            {data.quality.every((q) => Object.keys(q.violations).length === 0) ? (
              <p className="muted">No data-quality violations in this range.</p>
            ) : (
              <EChart
                option={qualityOption(data, ofKinds(shownAlerts, ['data_quality']))}
                label="Rows with data-quality violations, by kind, over time"
              />
            )}
          </Section>
        </div>
      )}
      <section className="card" aria-labelledby="drift-heading">
        <h2 id="drift-heading">Feature drift</h2>
        {driftMap.isPending && <Loading label="Loading the drift map…" />}
        {driftMap.isError && <ErrorState error={driftMap.error} />}
        {driftMap.data && <DriftHeatMap model={model} map={driftMap.data} search={search} />}
      </section>
      <section className="card" aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">Alerts</h2>
        {shownAlerts.length === 0 ? (
          <p className="muted">No alerts in this range.</p>
        ) : (
          <>
            <EChart
              option={alertTimelineOption(shownAlerts, from, to)}
              height={Math.max(90, 28 * new Set(shownAlerts.map((a) => a.labels.monitor)).size + 40)}
              label={`${shownAlerts.length} alerts on the page's time axis`}
            />
            <ul className="alert-list">
              {shownAlerts.slice(0, 12).map((a) => (
                <li key={a.id}>
                  <Link to="/alerts/$id" params={{ id: String(a.id) }}>
                    {a.labels.monitor}
                    {a.labels.feature ? ` · ${a.labels.feature}` : ''}
                  </Link>{' '}
                  <AlertState alert={a} />{' '}
                  <span className="muted">
                    {a.severity}, window {formatTime(a.window_start)}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </>
  );
}

export function formatStep(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? 'day' : `${seconds / 86_400} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'minute' : `${seconds / 60} minutes`;
  return `${seconds} s`;
}

export const modelRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/models/$model',
  validateSearch: validateRangeSearch,
  component: ModelPage,
});
