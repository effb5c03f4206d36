/**
 * Every model at a glance, from one call (`GET /api/v1/overview`). Search, status filter, sort
 * and range live in the URL, so a view can be shared or bookmarked.
 */

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import type { HealthStatus, Overview } from '@vigil/sdk';
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { api } from '../../api';
import { HEALTH_STATUSES, STATUS_STYLES, StatusShape } from '../../components/StatusBadge';
import { EmptyState, ErrorState, Loading, PageHeader } from '../../components/states';
import { formatRelative, plural } from '../../format';
import { signedInRoute } from '../../routes/root';
import { filterAndSort, SORT_KEYS, type SortDirection, type SortKey } from './filter';
import { DemoBanner, GettingStarted } from './GettingStarted';
import { OverviewTable } from './OverviewTable';

const RANGES = [
  { hours: 24, label: 'last 24 hours' },
  { hours: 168, label: 'last 7 days' },
  { hours: 720, label: 'last 30 days' },
] as const;

export interface OverviewSearch {
  q?: string;
  /** Comma-separated health statuses. */
  status?: string;
  sort?: SortKey;
  dir?: SortDirection;
  hours?: number;
}

function parseStatuses(raw: string | undefined): HealthStatus[] {
  return (raw ?? '').split(',').filter((s): s is HealthStatus => (HEALTH_STATUSES as string[]).includes(s));
}

export const overviewQuery = (hours: number) => ({
  queryKey: ['overview', hours] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api.get<Overview>('/overview', { query: { hours }, signal }),
});

function OverviewPage() {
  const search = overviewRoute.useSearch();
  const navigate = useNavigate({ from: '/' });
  const hours = search.hours ?? 24;
  const range = RANGES.find((r) => r.hours === hours) ?? RANGES[0];
  const overview = useQuery({
    ...overviewQuery(hours),
    refetchInterval: 30_000,
    placeholderData: keepPreviousData,
  });
  const [query, setQuery] = useState(search.q ?? '');
  const deferredQuery = useDeferredValue(query);
  const statuses = useMemo(() => parseStatuses(search.status), [search.status]);
  const sort = search.sort ?? 'status';
  const dir = search.dir ?? (sort === 'name' || sort === 'status' ? 'asc' : 'desc');

  // The search box writes the URL after typing pauses, so history is not one entry per key.
  useEffect(() => {
    const handle = setTimeout(() => {
      if ((search.q ?? '') !== query) {
        void navigate({ search: (prev) => ({ ...prev, q: query || undefined }), replace: true });
      }
    }, 300);
    return () => clearTimeout(handle);
  }, [query, search.q, navigate]);

  const rows = useMemo(
    () => filterAndSort(overview.data?.data ?? [], { q: deferredQuery, status: statuses, sort, dir }),
    [overview.data, deferredQuery, statuses, sort, dir],
  );

  function toggleStatus(status: HealthStatus) {
    const next = statuses.includes(status) ? statuses.filter((s) => s !== status) : [...statuses, status];
    void navigate({ search: (prev) => ({ ...prev, status: next.length ? next.join(',') : undefined }) });
  }

  if (overview.isPending) return <Loading label="Loading every model…" />;
  if (overview.isError) {
    return (
      <ErrorState
        error={overview.error}
        title="Could not load the overview"
        onRetry={() => overview.refetch()}
      />
    );
  }
  const data = overview.data;
  if (data.data.length === 0) {
    return (
      <>
        <PageHeader title="Overview" />
        <GettingStarted />
      </>
    );
  }

  const filtered = rows.length !== data.data.length;
  return (
    <>
      <PageHeader
        title="Overview"
        description={
          <>
            {plural(data.totals.models, 'model')} · {plural(data.totals.open_alerts, 'open alert')} · updated{' '}
            <span title={data.generated_at}>{formatRelative(data.generated_at)}</span>
          </>
        }
      />
      <DemoBanner />
      <search className="toolbar">
        <label className="field field-inline search-field">
          <span className="visually-hidden">Search models</span>
          <input
            type="search"
            placeholder="Search name, version, tag"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
        </label>
        <fieldset className="status-filter">
          <legend className="visually-hidden">Show only models whose health is</legend>
          {HEALTH_STATUSES.map((status) => {
            const count = data.totals.by_status[status] ?? 0;
            const pressed = statuses.includes(status);
            return (
              <button
                key={status}
                type="button"
                className={`chip${pressed ? ' chip-on' : ''}`}
                aria-pressed={pressed}
                onClick={() => toggleStatus(status)}
                disabled={count === 0 && !pressed}
              >
                <StatusShape status={status} />
                <span>{STATUS_STYLES[status].label}</span>
                <span className="chip-count">{count}</span>
              </button>
            );
          })}
        </fieldset>
        <label className="field field-inline">
          <span>Traffic</span>
          <select
            value={hours}
            onChange={(event) =>
              void navigate({
                search: (prev) => ({
                  ...prev,
                  hours: Number(event.target.value) === 24 ? undefined : Number(event.target.value),
                }),
              })
            }
          >
            {RANGES.map((r) => (
              <option key={r.hours} value={r.hours}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      </search>
      <p className="result-count" role="status" aria-live="polite">
        {filtered
          ? `${rows.length} of ${plural(data.data.length, 'model')} match`
          : plural(rows.length, 'model')}
      </p>
      {rows.length === 0 ? (
        <EmptyState title="No model matches">
          <p>Clear the search or the status filter to see every model.</p>
          <button
            type="button"
            className="button"
            onClick={() => {
              setQuery('');
              void navigate({ search: (prev) => ({ ...prev, q: undefined, status: undefined }) });
            }}
          >
            Clear filters
          </button>
        </EmptyState>
      ) : (
        <div className="card table-card">
          <OverviewTable
            models={rows}
            sort={sort}
            dir={dir}
            rangeLabel={range.label}
            clock={{ range: data.traffic_range, generatedAt: data.generated_at }}
            onSort={(key, direction) =>
              void navigate({ search: (prev) => ({ ...prev, sort: key, dir: direction }) })
            }
          />
        </div>
      )}
    </>
  );
}

export const overviewRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/',
  validateSearch: (search: Record<string, unknown>): OverviewSearch => {
    const hours = Number(search.hours);
    return {
      ...(typeof search.q === 'string' && search.q ? { q: search.q } : {}),
      ...(typeof search.status === 'string' && search.status ? { status: search.status } : {}),
      ...(SORT_KEYS.includes(search.sort as SortKey) ? { sort: search.sort as SortKey } : {}),
      ...(search.dir === 'asc' || search.dir === 'desc' ? { dir: search.dir } : {}),
      ...(RANGES.some((r) => r.hours === hours) && hours !== 24 ? { hours } : {}),
    };
  },
  loaderDeps: ({ search }) => ({ hours: search.hours ?? 24 }),
  loader: ({ context, deps }) => {
    // Starts the request while the route resolves; the page reads it from the cache.
    void context.queryClient.prefetchQuery(overviewQuery(deps.hours));
  },
  component: OverviewPage,
});
