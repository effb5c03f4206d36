/**
 * One alert: what breached (the windows, values and thresholds, with the series around it), its
 * history of acknowledgements and comments, and the actions an editor takes: acknowledge,
 * comment, silence (with a preview of the alerts the silence would match).
 */

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createRoute, Link } from '@tanstack/react-router';
import type { Alert, LabelMatcher, MonitorResult, Page, Silence } from '@vigil/sdk';
import { type FormEvent, useState } from 'react';
import { api, describeError, hasRole, useCurrentUser } from '../../api';
import { EChart } from '../../charts/EChart';
import { chartColors, GRID, valueAxis } from '../../charts/palette';
import { ErrorState, Loading, PageHeader } from '../../components/states';
import { signedInRoute } from '../../routes/root';
import { formatNumber, formatTime } from '../model/range';
import { AlertState, isInhibited } from './AlertsPage';
import { matchesAll } from './matchers';

const HOUR = 3_600_000;

function evidenceOption(results: MonitorResult[], alert: Alert) {
  const c = chartColors();
  return {
    grid: { ...GRID, top: 40 },
    tooltip: { trigger: 'axis' as const, valueFormatter: (v: unknown) => formatNumber(v as number) },
    legend: { top: 0, textStyle: { color: c.muted } },
    xAxis: { type: 'time' as const, axisLabel: { color: c.muted, hideOverlap: true } },
    yAxis: valueAxis(undefined, { scale: true }),
    series: [
      {
        name: alert.labels.metric ?? 'value',
        type: 'line' as const,
        symbolSize: 7,
        itemStyle: { color: c.line },
        data: results.map((r) => ({
          value: [r.window_start, r.value],
          symbol: r.status === 'alert' ? 'triangle' : 'circle',
          itemStyle: { color: r.status === 'alert' ? c.alert : r.status === 'warning' ? c.warning : c.line },
        })),
        markArea: {
          silent: true,
          itemStyle: { color: c.alert, opacity: 0.12 },
          data: [[{ xAxis: alert.window_start }, { xAxis: alert.window_end }]],
        },
      },
      ...(['threshold_upper', 'threshold_lower'] as const)
        .filter((key) => results.some((r) => r[key] !== null))
        .map((key) => ({
          name: key === 'threshold_upper' ? 'Upper threshold' : 'Lower threshold',
          type: 'line' as const,
          symbol: 'none',
          step: 'middle' as const,
          lineStyle: { type: 'dotted' as const, color: c.alert },
          itemStyle: { color: c.alert },
          data: results.filter((r) => r[key] !== null).map((r) => [r.window_start, r[key]]),
        })),
    ],
  };
}

function SilenceForm({ alert, onDone }: { alert: Alert; onDone: () => void }) {
  const candidates = (['model', 'monitor', 'feature', 'metric', 'severity'] as const).filter(
    (k) => alert.labels[k],
  );
  const [chosen, setChosen] = useState<string[]>(
    candidates.filter((k) => k !== 'metric' && k !== 'severity'),
  );
  const [hours, setHours] = useState('4');
  const [comment, setComment] = useState('');
  const queryClient = useQueryClient();
  const open = useQuery({
    queryKey: ['alerts', 'open'],
    queryFn: async () => {
      const [firing, pending] = await Promise.all(
        (['firing', 'pending'] as const).map(
          async (state) =>
            (await api.get<{ data: Alert[] }>('/alerts', { query: { state, limit: 1000 } })).data,
        ),
      );
      return [...firing!, ...pending!];
    },
  });
  const matchers: LabelMatcher[] = chosen.map((label) => ({ label, op: '=', value: alert.labels[label]! }));
  const preview = (open.data ?? []).filter((a) => matchers.length > 0 && matchesAll(a.labels, matchers));
  const create = useMutation({
    mutationFn: () =>
      api.post<Silence>('/silences', {
        matchers,
        duration_seconds: Math.round(Number(hours) * 3600),
        comment,
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['alerts'] });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit} className="stack" aria-labelledby="silence-h">
      <h3 id="silence-h">Silence alerts like this one</h3>
      <fieldset>
        <legend>Match alerts whose labels equal</legend>
        {candidates.map((k) => (
          <label key={k} className="checkbox">
            <input
              type="checkbox"
              checked={chosen.includes(k)}
              onChange={(e) => setChosen(e.target.checked ? [...chosen, k] : chosen.filter((c) => c !== k))}
            />
            <code>
              {k}={alert.labels[k]}
            </code>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>For how long</span>
        <select value={hours} onChange={(e) => setHours(e.target.value)}>
          <option value="1">1 hour</option>
          <option value="4">4 hours</option>
          <option value="24">1 day</option>
          <option value="168">1 week</option>
        </select>
      </label>
      <label className="field">
        <span>Why (required)</span>
        <input
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          required
          placeholder="e.g. campaign traffic, expected until Friday"
        />
      </label>
      <div role="status" aria-live="polite" className="preview" data-testid="silence-preview">
        {matchers.length === 0
          ? 'Choose at least one label: a silence without matchers would match everything.'
          : open.isPending
            ? 'Checking which alerts it matches…'
            : `Matches ${preview.length} open alert${preview.length === 1 ? '' : 's'} now${preview.length > 0 ? ':' : '.'}`}
        {preview.length > 0 && (
          <ul>
            {preview.slice(0, 8).map((a) => (
              <li key={a.id}>
                {a.labels.model} · {a.labels.monitor}
                {a.labels.feature ? ` · ${a.labels.feature}` : ''} ({a.severity}, {a.state})
              </li>
            ))}
            {preview.length > 8 && <li>and {preview.length - 8} more</li>}
          </ul>
        )}
      </div>
      {create.isError && (
        <p className="form-error" role="alert">
          {describeError(create.error)}
        </p>
      )}
      <button
        type="submit"
        className="button button-primary"
        disabled={matchers.length === 0 || comment.trim() === '' || create.isPending}
      >
        Silence
      </button>
    </form>
  );
}

function AlertPage() {
  const { id } = alertRoute.useParams();
  const user = useCurrentUser();
  const canEdit = hasRole(user, 'editor');
  const queryClient = useQueryClient();
  const [silenced, setSilenced] = useState(false);
  const [comment, setComment] = useState('');
  const alert = useQuery({
    queryKey: ['alert', id],
    queryFn: () => api.get<Alert>(`/alerts/${encodeURIComponent(id)}`),
    refetchInterval: 15_000,
  });
  const a = alert.data;
  const evidence = useQuery({
    enabled: a !== undefined && a.labels.model !== undefined,
    queryKey: ['alert-evidence', id, a?.window_start],
    queryFn: async () => {
      const start = Date.parse(a!.window_start);
      const page = await api.get<Page<MonitorResult>>(
        `/models/${encodeURIComponent(a!.labels.model!)}/results`,
        {
          query: {
            monitor: a!.labels.monitor,
            feature: a!.labels.feature,
            metric: a!.labels.metric,
            from: new Date(start - 24 * HOUR).toISOString(),
            to: new Date(start + 6 * HOUR).toISOString(),
            limit: 1000,
          },
        },
      );
      return page.data.filter((r) =>
        a!.labels.version ? r.version === a!.labels.version : r.version === null,
      );
    },
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['alert', id] });
    void queryClient.invalidateQueries({ queryKey: ['alerts'] });
  };
  const ack = useMutation({ mutationFn: () => api.post(`/alerts/${id}/ack`, {}), onSuccess: refresh });
  const addComment = useMutation({
    mutationFn: () => api.post(`/alerts/${id}/comments`, { body: comment }),
    onSuccess: () => {
      setComment('');
      refresh();
    },
  });

  if (alert.isPending) return <Loading label="Loading the alert…" />;
  if (alert.isError || !a) return <ErrorState error={alert.error} title={`Cannot show alert ${id}`} />;
  const windowResult = evidence.data?.find((r) => r.window_start === a.window_start);
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/alerts">Alerts</Link> / <span aria-current="page">#{a.id}</span>
      </nav>
      <PageHeader
        title={`${a.labels.monitor ?? a.rule}${a.labels.feature ? ` · ${a.labels.feature}` : ''}`}
        description={
          <>
            <AlertState alert={a} /> {a.severity} on{' '}
            {a.labels.model ? (
              <Link to="/models/$model" params={{ model: a.labels.model }}>
                {a.labels.model}
              </Link>
            ) : (
              'a model'
            )}
            {a.annotations.summary ? ` — ${a.annotations.summary}` : ''}
          </>
        }
        actions={
          canEdit && !a.acknowledged_at && a.state !== 'resolved' ? (
            <button
              type="button"
              className="button button-primary"
              onClick={() => ack.mutate()}
              disabled={ack.isPending}
            >
              Acknowledge
            </button>
          ) : undefined
        }
      />
      {ack.isError && (
        <p className="banner banner-error" role="alert">
          Could not acknowledge: {describeError(ack.error)}
        </p>
      )}
      {isInhibited(a) && (
        <p className="card inhibited-note" data-testid="inhibited-note">
          Inhibited by{' '}
          {a.inhibited_by.map((other, i) => (
            <span key={other}>
              {i > 0 ? ', ' : ''}
              <Link to="/alerts/$id" params={{ id: String(other) }}>
                alert #{other}
              </Link>
            </span>
          ))}
          : it still fires, but is not notified and not counted as open while{' '}
          {a.inhibited_by.length > 1 ? 'those fire' : 'that one fires'} (a warning under a critical of the
          same series, or drift while the model gets no traffic).
        </p>
      )}
      <div className="chart-grid">
        <section className="card" aria-labelledby="evidence-h">
          <h2 id="evidence-h">Evidence</h2>
          <dl className="facts">
            <dt>Window</dt>
            <dd>
              {formatTime(a.window_start)} – {formatTime(a.window_end)}
            </dd>
            <dt>Value</dt>
            <dd>
              {formatNumber(a.value)} {a.labels.metric ? `(${a.labels.metric})` : ''}
            </dd>
            <dt>Thresholds</dt>
            <dd>
              {a.threshold_lower !== null ? `below ${formatNumber(a.threshold_lower)}` : ''}
              {a.threshold_lower !== null && a.threshold_upper !== null ? ' or ' : ''}
              {a.threshold_upper !== null ? `above ${formatNumber(a.threshold_upper)}` : ''}
              {a.threshold_lower === null && a.threshold_upper === null ? 'from the monitor’s status' : ''}{' '}
              breaches
            </dd>
            {windowResult && (
              <>
                <dt>Sample size</dt>
                <dd>{windowResult.sample_size.toLocaleString()} rows</dd>
                {windowResult.reason && (
                  <>
                    <dt>Why</dt>
                    <dd>{windowResult.reason}</dd>
                  </>
                )}
              </>
            )}
            <dt>Fired</dt>
            <dd>{a.fired_at ? formatTime(a.fired_at) : 'not yet (pending)'}</dd>
            {a.resolved_at && (
              <>
                <dt>Resolved</dt>
                <dd>{formatTime(a.resolved_at)}</dd>
              </>
            )}
            {a.acknowledged_at && (
              <>
                <dt>Acknowledged</dt>
                <dd data-testid="acknowledged">
                  {formatTime(a.acknowledged_at)} by {a.acknowledged_by}
                </dd>
              </>
            )}
          </dl>
          {evidence.data && evidence.data.length > 0 && (
            <EChart
              option={evidenceOption(evidence.data, a)}
              label={`The monitor's ${a.labels.metric ?? 'value'} per window around the alert, with its thresholds`}
            />
          )}
          {a.labels.model &&
            a.labels.feature &&
            (a.labels.kind === 'feature_drift' || a.labels.kind === 'data_quality') && (
              <p>
                <Link
                  to="/models/$model/features/$feature"
                  params={{ model: a.labels.model, feature: a.labels.feature }}
                  search={
                    {
                      from: new Date(Date.parse(a.window_start) - 24 * HOUR).toISOString(),
                      to: a.window_end,
                      current_from: a.window_start,
                      current_to: a.window_end,
                    } as never
                  }
                >
                  Open {a.labels.feature}: distributions against the reference
                </Link>
              </p>
            )}
        </section>
        <section className="card" aria-labelledby="labels-h">
          <h2 id="labels-h">Labels</h2>
          <ul className="label-list">
            {Object.entries(a.labels).map(([k, v]) => (
              <li key={k}>
                <code>
                  {k}={v}
                </code>
              </li>
            ))}
          </ul>
          <h2>Comments</h2>
          {(a.comments ?? []).length === 0 ? (
            <p className="muted">No comments yet.</p>
          ) : (
            <ul className="comments">
              {a.comments!.map((c) => (
                <li key={c.id}>
                  <strong>{c.author}</strong> <span className="muted">{formatTime(c.created_at)}</span>
                  <p>{c.body}</p>
                </li>
              ))}
            </ul>
          )}
          {canEdit && (
            <form
              className="stack"
              onSubmit={(e) => {
                e.preventDefault();
                addComment.mutate();
              }}
            >
              <label className="field">
                <span>Add a comment</span>
                <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={3} required />
              </label>
              {addComment.isError && (
                <p className="form-error" role="alert">
                  {describeError(addComment.error)}
                </p>
              )}
              <button
                type="submit"
                className="button"
                disabled={comment.trim() === '' || addComment.isPending}
              >
                Comment
              </button>
            </form>
          )}
        </section>
        {canEdit && a.state !== 'resolved' && (
          <section className="card">
            {silenced ? (
              <p role="status">
                Silenced. Notifications for matching alerts are held until the silence ends.
              </p>
            ) : (
              <SilenceForm alert={a} onDone={() => setSilenced(true)} />
            )}
          </section>
        )}
        {!canEdit && (
          <p className="muted">
            You can view this alert; acknowledging, commenting and silencing need the editor role.
          </p>
        )}
      </div>
    </>
  );
}

export const alertRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/alerts/$id',
  component: AlertPage,
});
