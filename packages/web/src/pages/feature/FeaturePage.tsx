/**
 * One feature: its current distribution over the reference one (shares, so different sizes
 * compare), the drift score against its threshold over time, missing values and violations, and
 * the newest rows. The current distribution covers the range or one window of it
 * (`current_from`/`current_to` in the URL): a drifted window is easy to miss in days of data.
 */

import { useQuery } from '@tanstack/react-query';
import { createRoute, Link, useNavigate } from '@tanstack/react-router';
import type { FeatureDetail } from '@vigil/sdk';
import { type ReactNode, useMemo } from 'react';
import { api } from '../../api';
import { EChart } from '../../charts/EChart';
import { chartColors, GRID, timeAxis, valueAxis } from '../../charts/palette';
import { EmptyState, ErrorState, Loading, PageHeader } from '../../components/states';
import { signedInRoute } from '../../routes/root';
import { RangeControls } from '../model/RangeControls';
import {
  formatNumber,
  formatTime,
  type RangeSearch,
  resolveRange,
  validateRangeSearch,
} from '../model/range';

export interface FeatureSearch extends RangeSearch {
  /** The window the current distribution is drawn from (the whole range without them). */
  current_from?: string;
  current_to?: string;
}

export function validateFeatureSearch(search: Record<string, unknown>): FeatureSearch {
  const out: FeatureSearch = validateRangeSearch(search);
  const from = search.current_from;
  const to = search.current_to;
  if (typeof from === 'string' && typeof to === 'string' && Date.parse(from) < Date.parse(to)) {
    out.current_from = from;
    out.current_to = to;
  }
  return out;
}

/** The search that compares the bucket starting at `start` (one drift point) with the reference. */
export function windowSearch(search: RangeSearch, start: string, stepSeconds: number): FeatureSearch {
  return {
    ...search,
    current_from: start,
    current_to: new Date(Date.parse(start) + stepSeconds * 1000).toISOString(),
  };
}

function distributionOption(detail: FeatureDetail) {
  const c = chartColors();
  const d = detail.distribution;
  const labels =
    d.kind === 'numeric'
      ? (d.edges ?? []).slice(0, -1).map((e) => formatNumber(e))
      : (d.categories ?? []).map((k) => k ?? '(other)');
  const share = (counts: number[]) => {
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((n) => (total > 0 ? n / total : 0));
  };
  return {
    grid: { ...GRID, bottom: 64 },
    tooltip: {
      trigger: 'axis' as const,
      valueFormatter: (v: unknown) => `${((v as number) * 100).toFixed(1)}%`,
    },
    legend: { top: 0, textStyle: { color: c.muted } },
    xAxis: {
      type: 'category' as const,
      data: labels,
      axisLabel: { color: c.muted, rotate: 30, hideOverlap: true },
    },
    yAxis: valueAxis('share', {
      axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%`, color: c.muted },
    }),
    series: [
      {
        name: `Reference (${detail.reference_dataset ?? 'none'})`,
        type: 'bar' as const,
        barGap: '-100%',
        itemStyle: { color: c.muted, opacity: 0.35 },
        data: share(d.reference),
      },
      {
        name: 'Current',
        type: 'bar' as const,
        barWidth: '45%',
        itemStyle: { color: c.line, opacity: 0.85 },
        data: share(d.current),
      },
    ],
  };
}

function driftOption(detail: FeatureDetail, compared: { from: string; to: string } | null) {
  const c = chartColors();
  const series = detail.drift[0];
  const statusColor: Record<string, string> = { alert: c.alert, warning: c.warning, ok: c.ok };
  return {
    grid: GRID,
    tooltip: { trigger: 'axis' as const, valueFormatter: (v: unknown) => formatNumber(v as number) },
    legend: { top: 0, textStyle: { color: c.muted } },
    xAxis: timeAxis(detail.from, detail.to),
    yAxis: valueAxis(series?.metric ?? 'drift'),
    series: [
      {
        name: series ? `${series.metric} (${series.monitor})` : 'Drift',
        type: 'line' as const,
        symbolSize: 7,
        itemStyle: { color: c.line },
        data: (series?.points ?? []).map((p) => ({
          value: [p.start, p.value],
          symbol: p.status === 'alert' ? 'triangle' : 'circle',
          itemStyle: { color: statusColor[p.status] ?? c.muted },
        })),
        ...(compared
          ? {
              markArea: {
                silent: true,
                itemStyle: { color: c.line, opacity: 0.12 },
                data: [[{ xAxis: compared.from }, { xAxis: compared.to }]],
              },
            }
          : {}),
      },
      {
        name: 'Threshold',
        type: 'line' as const,
        symbol: 'none',
        step: 'middle' as const,
        lineStyle: { type: 'dotted' as const, color: c.alert },
        itemStyle: { color: c.alert },
        data: (series?.points ?? []).map((p) => [p.start, p.threshold_upper]),
      },
    ],
  };
}

function qualityOption(detail: FeatureDetail) {
  const c = chartColors();
  const kinds = [...new Set(detail.quality.flatMap((q) => Object.keys(q.violations)))].sort();
  return {
    grid: GRID,
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0, textStyle: { color: c.muted } },
    xAxis: timeAxis(detail.from, detail.to),
    yAxis: valueAxis('rows'),
    series: [
      {
        name: 'Missing',
        type: 'bar' as const,
        stack: 'q',
        barMaxWidth: 12,
        itemStyle: { color: c.series[1] },
        data: detail.quality.map((q) => [q.start, q.missing]),
      },
      ...kinds.map((kind, i) => ({
        name: kind.replaceAll('_', ' '),
        type: 'bar' as const,
        stack: 'q',
        barMaxWidth: 12,
        itemStyle: { color: c.series[(i + 3) % c.series.length] },
        data: detail.quality.map((q) => [q.start, q.violations[kind] ?? 0]),
      })),
    ],
  };
}

/** A link to this feature's page comparing another stretch of data; it replaces the history entry. */
function CompareLink({
  model,
  feature,
  search,
  children,
}: {
  model: string;
  feature: string;
  search: FeatureSearch;
  children: ReactNode;
}) {
  return (
    <Link
      to="/models/$model/features/$feature"
      params={{ model, feature }}
      search={search as never}
      replace
      data-testid="compare-window"
    >
      {children}
    </Link>
  );
}

function FeaturePage() {
  const { model, feature } = featureRoute.useParams();
  const search = featureRoute.useSearch();
  const navigate = useNavigate();
  const { from, to } = useMemo(() => resolveRange(search), [search]);
  const filters = {
    from,
    to,
    version: search.version,
    segment: search.segment,
    current_from: search.current_from,
    current_to: search.current_to,
  };
  const detail = useQuery({
    queryKey: ['feature', model, feature, filters],
    queryFn: () =>
      api.get<FeatureDetail>(`/models/${encodeURIComponent(model)}/features/${encodeURIComponent(feature)}`, {
        query: { ...filters, points: 120 },
      }),
    refetchInterval: 30_000,
  });
  const d = detail.data;
  const compared =
    search.current_from && search.current_to ? { from: search.current_from, to: search.current_to } : null;
  const compare = (next: FeatureSearch) =>
    void navigate({ to: '.', search: next as never, replace: true } as never);
  const points = d?.drift[0]?.points.filter((p) => p.value !== null) ?? [];
  const newest = points.at(-1);
  // The most drifted window: the highest score over its threshold, as the heat map ranks them.
  const ratio = (p: (typeof points)[number]) =>
    p.threshold_upper !== null && p.threshold_upper > 0 ? p.value! / p.threshold_upper : null;
  let worst: (typeof points)[number] | undefined;
  for (const p of points) {
    const r = ratio(p);
    if (r !== null && (worst === undefined || r > ratio(worst)!)) worst = p;
  }
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/models/$model" params={{ model }} search={search as never}>
          {model}
        </Link>{' '}
        / <span aria-current="page">{feature}</span>
      </nav>
      <PageHeader
        title={feature}
        description={
          d
            ? `${d.type} ${d.role} of ${model}, compared with the reference “${d.reference_dataset ?? 'none'}”`
            : undefined
        }
      />
      <RangeControls search={search} versions={[]} segments={[]} />
      {detail.isPending && <Loading label="Loading the feature…" />}
      {detail.isError && <ErrorState error={detail.error} title={`Cannot show feature ${feature}`} />}
      {d && (
        <div className="chart-grid">
          <section className="card chart-card" aria-labelledby="dist-h">
            <h2 id="dist-h">Distribution: reference and current</h2>
            <p className="muted" data-testid="distribution-scope">
              Current: {compared ? 'the window ' : ''}
              {formatTime(d.distribution.current_from)} – {formatTime(d.distribution.current_to)} (
              {d.distribution.current_rows.toLocaleString()} rows).{' '}
              {compared ? (
                <CompareLink
                  model={model}
                  feature={feature}
                  search={{ ...search, current_from: undefined, current_to: undefined }}
                >
                  Compare the whole range
                </CompareLink>
              ) : (
                points.length > 1 && (
                  <>
                    Compare one window:{' '}
                    {newest && (
                      <CompareLink
                        model={model}
                        feature={feature}
                        search={windowSearch(search, newest.start, d.step_seconds)}
                      >
                        the newest
                      </CompareLink>
                    )}
                    {worst && worst !== newest && (
                      <>
                        {' · '}
                        <CompareLink
                          model={model}
                          feature={feature}
                          search={windowSearch(search, worst.start, d.step_seconds)}
                        >
                          the most drifted ({formatTime(worst.start)})
                        </CompareLink>
                      </>
                    )}
                    . Or select a point of the drift chart.
                  </>
                )
              )}
            </p>
            {d.distribution.current_rows === 0 ? (
              <EmptyState title="No traffic in this range">
                <p>Pick a longer time range.</p>
              </EmptyState>
            ) : (
              <EChart
                option={distributionOption(d)}
                height={260}
                label={`Share of values per ${d.distribution.kind === 'numeric' ? 'bin' : 'category'}, reference against current`}
                testId="distribution-chart"
              />
            )}
            <p className="muted">
              Missing:{' '}
              {formatNumber(
                (d.distribution.reference_missing / Math.max(1, d.distribution.reference_rows)) * 100,
                2,
              )}
              % in the reference,{' '}
              {formatNumber(
                (d.distribution.current_missing / Math.max(1, d.distribution.current_rows)) * 100,
                2,
              )}
              % now.
            </p>
          </section>
          <section className="card chart-card" aria-labelledby="drift-h">
            <h2 id="drift-h">Drift over time</h2>
            {d.drift.length === 0 ? (
              <p className="muted">No drift results for this feature in this range.</p>
            ) : (
              <EChart
                option={driftOption(d, compared)}
                label={`Drift score of ${feature} per window against its threshold`}
                testId="drift-chart"
                onClick={(params) => {
                  const value = params.value as [string, number] | undefined;
                  if (params.seriesName !== 'Threshold' && value) {
                    compare(windowSearch(search, value[0], d.step_seconds));
                  }
                }}
              />
            )}
          </section>
          <section className="card chart-card" aria-labelledby="quality-h">
            <h2 id="quality-h">Data quality</h2>
            <EChart
              option={qualityOption(d)}
              label={`Missing values and violations of ${feature} over time`}
            />
          </section>
          <section className="card chart-card" aria-labelledby="examples-h">
            <h2 id="examples-h">Newest rows</h2>
            {d.examples.length === 0 ? (
              <p className="muted">No rows in this range.</p>
            ) : (
              <div className="table-scroll">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Time</th>
                      <th scope="col">Id</th>
                      <th scope="col">{feature}</th>
                      <th scope="col">Prediction</th>
                      <th scope="col" className="numeric">
                        Score
                      </th>
                      <th scope="col">Label</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.examples.map((e) => (
                      <tr key={e.id}>
                        <td>{formatTime(e.timestamp)}</td>
                        <td>
                          <code>{e.id}</code>
                        </td>
                        <td>
                          {e.value === null ? <span className="muted">missing</span> : String(e.value)}
                          {e.violations.length > 0 && (
                            <span className="muted"> ({e.violations.join(', ')})</span>
                          )}
                        </td>
                        <td>{e.prediction ?? '–'}</td>
                        <td className="numeric">{formatNumber(e.score)}</td>
                        <td>{e.label ?? <span className="muted">not yet</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </div>
      )}
    </>
  );
}

export const featureRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/models/$model/features/$feature',
  validateSearch: validateFeatureSearch,
  component: FeaturePage,
});
