/**
 * Experiments: the MLflow experiments logged to this server, the runs of one in a table with
 * the params and metrics the user picks as columns, and the selected runs compared (metric
 * curves on one chart, param differences). The experiment, columns, selection and chart metric
 * live in the URL, so a comparison can be shared as a link.
 */
import { useQuery } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { useEffect } from 'react';
import { mlflow } from '../../api';
import { Card, QueryContent } from '../../components/Card';
import { SelectField } from '../../components/form';
import { EmptyState, ErrorState, Loading, PageHeader } from '../../components/states';
import { plural } from '../../format';
import { signedInRoute } from '../../routes/root';
import { RunComparison } from './RunComparison';
import { MAX_COMPARED, RunsTable } from './RunsTable';
import { columnKeys, defaultMetricColumns, defaultParamColumns, formatList, parseList, toggle } from './runs';

export interface ExperimentsSearch {
  experiment?: string;
  /** Param keys shown as columns ("a,b"); absent: the first few. */
  params?: string;
  metrics?: string;
  /** Run ids selected for comparison. */
  runs?: string;
  /** The metric whose history the comparison chart shows. */
  metric?: string;
}

function stringParam(value: unknown): string | undefined {
  // The router reads `?experiment=3` as the number 3.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value !== '' ? value.slice(0, 5000) : undefined;
}

/** Chosen columns for the URL: "," when the user unticked them all (absent means the defaults). */
function columnList(keys: readonly string[]): string {
  return keys.length === 0 ? ',' : keys.join(',');
}

function ColumnPicker({
  legend,
  keys,
  chosen,
  onChange,
}: {
  legend: string;
  keys: readonly string[];
  chosen: readonly string[];
  onChange: (keys: string[]) => void;
}) {
  return (
    <fieldset className="column-picker">
      <legend>{legend}</legend>
      {keys.length === 0 && <span className="muted">none logged</span>}
      {keys.map((key) => (
        <label key={key} className="checkbox">
          <input
            type="checkbox"
            checked={chosen.includes(key)}
            onChange={() => onChange(toggle(chosen, key))}
          />{' '}
          {key}
        </label>
      ))}
    </fieldset>
  );
}

const MLFLOW_SNIPPET = `import os
import mlflow

# A Vigil API key with the write scope (Admin page), as MLflow's token.
os.environ.setdefault("MLFLOW_TRACKING_TOKEN", "<api key>")
mlflow.set_tracking_uri("${typeof window === 'undefined' ? 'http://localhost:4000' : window.location.origin}")
mlflow.set_experiment("churn")
with mlflow.start_run():
    mlflow.log_param("max_depth", 5)
    for step in range(10):
        mlflow.log_metric("val_auc", 0.8 + step / 100, step=step)`;

function ExperimentsPage() {
  const search = experimentsRoute.useSearch();
  const navigate = useNavigate({ from: '/experiments' });
  const setSearch = (patch: Partial<ExperimentsSearch>) =>
    void navigate({ search: (old: ExperimentsSearch) => ({ ...old, ...patch }), replace: true });

  const experiments = useQuery({ queryKey: ['mlflow', 'experiments'], queryFn: mlflow.searchExperiments });
  const selectedIds = parseList(search.runs);
  // A link to runs without their experiment (from the registry): the first run says which.
  const linkedRun = useQuery({
    queryKey: ['mlflow', 'run', selectedIds[0]],
    queryFn: () => mlflow.getRun(selectedIds[0]!),
    enabled: search.experiment === undefined && selectedIds.length > 0,
  });
  const experimentId =
    search.experiment ?? linkedRun.data?.info.experiment_id ?? experiments.data?.[0]?.experiment_id;
  const runs = useQuery({
    queryKey: ['mlflow', 'runs', experimentId],
    queryFn: () => mlflow.searchRuns(experimentId!),
    enabled: experimentId !== undefined,
  });
  useEffect(() => {
    if (search.experiment === undefined && linkedRun.data) {
      setSearch({ experiment: linkedRun.data.info.experiment_id });
    }
  });

  const header = (
    <PageHeader
      title="Experiments"
      description="Training runs logged with MLflow's client: pick the params and metrics to show, select runs to compare."
    />
  );
  if (experiments.isPending || (linkedRun.isPending && linkedRun.fetchStatus !== 'idle')) {
    return (
      <>
        {header}
        <Loading label="Loading experiments…" />
      </>
    );
  }
  if (experiments.isError) {
    return (
      <>
        {header}
        <ErrorState error={experiments.error} title="Could not load experiments" />
      </>
    );
  }
  if (experiments.data.length === 0) {
    return (
      <>
        {header}
        <EmptyState title="No experiments yet">
          <p>
            Vigil speaks MLflow's tracking API: point MLflow's client at this server with an API key as its
            token, and every run you log appears here. Or start the demo from the overview.
          </p>
          <pre className="code-block">
            <code>{MLFLOW_SNIPPET}</code>
          </pre>
        </EmptyState>
      </>
    );
  }

  const allRuns = runs.data?.runs ?? [];
  const keys = columnKeys(allRuns);
  const params = search.params === undefined ? defaultParamColumns(allRuns) : parseList(search.params);
  const metrics =
    search.metrics === undefined ? defaultMetricColumns(keys.metrics) : parseList(search.metrics);
  const compared = selectedIds
    .map((id) => allRuns.find((r) => r.info.run_id === id))
    .filter((r): r is mlflow.Run => r !== undefined);

  return (
    <>
      {header}
      <div className="filters">
        <SelectField
          label="Experiment"
          inline
          value={experimentId ?? ''}
          options={experiments.data.map((e) => ({ value: e.experiment_id, label: e.name }))}
          onChange={(id) => setSearch({ experiment: id, runs: undefined, metric: undefined })}
        />
        {runs.data && <span className="muted">{plural(allRuns.length, 'run')}</span>}
        {runs.data?.truncated && (
          <span className="muted">
            (the newest {allRuns.length}; search with MLflow's client for older ones)
          </span>
        )}
      </div>
      <Card
        title="Runs"
        hint={`Select up to ${MAX_COMPARED} runs to compare their metric curves and params.`}
        actions={
          selectedIds.length > 0 ? (
            <button
              type="button"
              className="button button-quiet"
              onClick={() => setSearch({ runs: undefined })}
            >
              Clear selection ({selectedIds.length})
            </button>
          ) : undefined
        }
      >
        <QueryContent
          query={runs}
          what="runs"
          isEmpty={(data) => data.runs.length === 0}
          empty={{
            title: 'No runs in this experiment',
            body: <p>Log one with MLflow's client: mlflow.start_run() under this experiment.</p>,
          }}
        >
          {(data) => (
            <>
              <details className="column-pickers">
                <summary>
                  Columns: {plural(params.length, 'param')}, {plural(metrics.length, 'metric')}
                </summary>
                <ColumnPicker
                  legend="Params"
                  keys={keys.params}
                  chosen={params}
                  onChange={(next) => setSearch({ params: columnList(next) })}
                />
                <ColumnPicker
                  legend="Metrics"
                  keys={keys.metrics}
                  chosen={metrics}
                  onChange={(next) => setSearch({ metrics: columnList(next) })}
                />
              </details>
              <RunsTable
                runs={data.runs}
                params={params}
                metrics={metrics}
                selected={selectedIds}
                onToggle={(id) => setSearch({ runs: formatList(toggle(selectedIds, id)) })}
              />
            </>
          )}
        </QueryContent>
      </Card>
      {compared.length > 0 && (
        <RunComparison
          runs={compared}
          metricKeys={[...new Set(compared.flatMap((r) => (r.data.metrics ?? []).map((m) => m.key)))].sort()}
          metric={search.metric}
          onMetric={(metric) => setSearch({ metric })}
        />
      )}
    </>
  );
}

export const experimentsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/experiments',
  validateSearch: (search: Record<string, unknown>): ExperimentsSearch => {
    const result: ExperimentsSearch = {};
    for (const key of ['experiment', 'params', 'metrics', 'runs', 'metric'] as const) {
      const value = stringParam(search[key]);
      if (value !== undefined) result[key] = value;
    }
    // An experiment id is a number; anything else is ignored rather than sent on.
    if (result.experiment !== undefined && !/^\d{1,9}$/.test(result.experiment)) delete result.experiment;
    return result;
  },
  component: ExperimentsPage,
});
