/**
 * Every alert, newest first, with a timeline; filters live in the URL. Inhibited alerts are
 * hidden unless asked for, as in Alertmanager's list: each is the quieter twin of one shown.
 */

import { useQuery } from '@tanstack/react-query';
import { createRoute, Link, useNavigate } from '@tanstack/react-router';
import type { Alert } from '@vigil/sdk';
import { api } from '../../api';
import { EChart } from '../../charts/EChart';
import { EmptyState, ErrorState, Loading, PageHeader } from '../../components/states';
import { signedInRoute } from '../../routes/root';
import { alertTimelineOption } from '../model/alerts-overlay';
import { formatNumber, formatTime } from '../model/range';

export interface AlertsSearch {
  state?: 'pending' | 'firing' | 'resolved';
  model?: string;
  /** Show the inhibited alerts too. */
  inhibited?: boolean;
}

/** Firing but inhibited by another firing alert: not notified, not counted as open (as in Alertmanager). */
export function isInhibited(alert: Alert): boolean {
  return alert.state === 'firing' && (alert.inhibited_by ?? []).length > 0;
}

export function AlertState({ alert }: { alert: Alert }) {
  if (isInhibited(alert)) {
    return (
      <span
        className="pill pill-inhibited"
        title={`Firing, but inhibited by alert ${alert.inhibited_by.map((id) => `#${id}`).join(', ')}: not notified and not counted as open.`}
      >
        ▽ inhibited
        {alert.acknowledged_at ? ' · acknowledged' : ''}
      </span>
    );
  }
  return (
    <span className={`pill pill-${alert.state}`}>
      {alert.state === 'firing' ? '▲ ' : alert.state === 'pending' ? '△ ' : '✓ '}
      {alert.state}
      {alert.silenced_by.length > 0 ? ' · silenced' : ''}
      {alert.acknowledged_at ? ' · acknowledged' : ''}
    </span>
  );
}

function AlertsPage() {
  const search = alertsRoute.useSearch();
  const navigate = useNavigate();
  const { inhibited: showInhibited, ...query } = search;
  const alerts = useQuery({
    queryKey: ['alerts', query],
    queryFn: async () =>
      (await api.get<{ data: Alert[] }>('/alerts', { query: { ...query, limit: 500 } })).data,
    refetchInterval: 15_000,
  });
  const hidden = (alerts.data ?? []).filter(isInhibited).length;
  const data = showInhibited ? (alerts.data ?? []) : (alerts.data ?? []).filter((a) => !isInhibited(a));
  const times = data.flatMap((a) => [
    Date.parse(a.window_start),
    Date.parse(a.resolved_at ?? new Date().toISOString()),
  ]);
  const from = new Date(times.length ? Math.min(...times) : Date.now() - 86_400_000).toISOString();
  const to = new Date(Math.max(Date.now(), ...times)).toISOString();
  const setFilter = (patch: Partial<AlertsSearch>) =>
    void navigate({ to: '/alerts', search: { ...search, ...patch } as never, replace: true });

  return (
    <>
      <PageHeader
        title="Alerts"
        description="Newest first. Open an alert to see its evidence, acknowledge, comment or silence it."
      />
      <fieldset className="filters" aria-label="Filter alerts">
        <label className="field-inline">
          <span>State</span>
          <select
            value={search.state ?? ''}
            onChange={(e) => setFilter({ state: (e.target.value || undefined) as AlertsSearch['state'] })}
          >
            <option value="">Any</option>
            <option value="firing">Firing</option>
            <option value="pending">Pending</option>
            <option value="resolved">Resolved</option>
          </select>
        </label>
        <label className="field-inline">
          <span>Model</span>
          <input
            type="search"
            defaultValue={search.model ?? ''}
            placeholder="any model"
            onKeyDown={(e) => {
              if (e.key === 'Enter') setFilter({ model: (e.target as HTMLInputElement).value || undefined });
            }}
          />
        </label>
        <label
          className="field-inline"
          title="Firing alerts muted by another that fires (a warning under its critical)"
        >
          <input
            type="checkbox"
            checked={showInhibited === true}
            onChange={(e) => setFilter({ inhibited: e.target.checked || undefined })}
            data-testid="show-inhibited"
          />
          <span>Show inhibited ({hidden})</span>
        </label>
      </fieldset>
      {alerts.isPending && <Loading label="Loading alerts…" />}
      {alerts.isError && <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} />}
      {alerts.data && data.length === 0 && (
        <EmptyState title="No alerts">
          <p>
            Alerts appear here when a monitor's result crosses its threshold. Models get monitors when their
            reference data arrives; see <Link to="/monitors">Monitors</Link>.
          </p>
        </EmptyState>
      )}
      {data.length > 0 && (
        <>
          <section className="card" aria-labelledby="timeline-h">
            <h2 id="timeline-h">Timeline</h2>
            <EChart
              option={alertTimelineOption(data, from, to)}
              height={Math.max(100, 26 * new Set(data.map((a) => a.labels.monitor ?? a.rule)).size + 40)}
              label={`${data.length} alerts by monitor over time`}
            />
          </section>
          <div className="table-scroll card">
            <table className="table" data-testid="alerts-table">
              <thead>
                <tr>
                  <th scope="col">State</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Model</th>
                  <th scope="col">Monitor</th>
                  <th scope="col">Feature / metric</th>
                  <th scope="col" className="numeric">
                    Value
                  </th>
                  <th scope="col">Window</th>
                </tr>
              </thead>
              <tbody>
                {data.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <AlertState alert={a} />
                    </td>
                    <td>{a.severity}</td>
                    <td>
                      {a.labels.model ? (
                        <Link to="/models/$model" params={{ model: a.labels.model }}>
                          {a.labels.model}
                        </Link>
                      ) : (
                        '–'
                      )}
                    </td>
                    <td>
                      <Link to="/alerts/$id" params={{ id: String(a.id) }}>
                        {a.labels.monitor ?? a.rule}
                      </Link>
                    </td>
                    <td>{[a.labels.feature, a.labels.metric].filter(Boolean).join(' · ') || '–'}</td>
                    <td className="numeric">{formatNumber(a.value)}</td>
                    <td>{formatTime(a.window_start)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

export const alertsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/alerts',
  validateSearch: (search: Record<string, unknown>): AlertsSearch => ({
    ...(search.state === 'pending' || search.state === 'firing' || search.state === 'resolved'
      ? { state: search.state }
      : {}),
    ...(typeof search.model === 'string' && search.model ? { model: search.model } : {}),
    ...(search.inhibited === true || search.inhibited === 'true' ? { inhibited: true } : {}),
  }),
  component: AlertsPage,
});
