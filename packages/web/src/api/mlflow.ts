/**
 * MLflow's tracking API (`/api/2.0/mlflow/...`), which the server also serves: the experiments
 * page reads experiments, runs and metric histories through it, with the session cookie.
 */
import { api } from './client';

const ROOT = '/api/2.0/mlflow';

export interface KeyValue {
  key: string;
  value: string;
}

export interface Experiment {
  experiment_id: string;
  name: string;
  lifecycle_stage: string;
  creation_time?: number;
  last_update_time?: number;
  tags?: KeyValue[];
}

export interface MetricValue {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface Run {
  info: {
    run_id: string;
    run_name?: string;
    experiment_id: string;
    status: string;
    start_time?: number;
    end_time?: number;
    user_id?: string;
    lifecycle_stage: string;
  };
  data: { metrics?: MetricValue[]; params?: KeyValue[]; tags?: KeyValue[] };
}

/** Most runs one page shows; the table stays fast far beyond this thanks to virtualisation. */
export const MAX_RUNS = 5000;

export async function searchExperiments(): Promise<Experiment[]> {
  const answer = await api.post<{ experiments?: Experiment[] }>(
    '/experiments/search',
    { max_results: 1000, order_by: ['last_update_time DESC'] },
    { root: ROOT },
  );
  return answer.experiments ?? [];
}

/** The experiment's active runs, newest first, every page up to {@link MAX_RUNS}. */
export async function searchRuns(experimentId: string): Promise<{ runs: Run[]; truncated: boolean }> {
  const runs: Run[] = [];
  let pageToken: string | undefined;
  do {
    const answer = await api.post<{ runs?: Run[]; next_page_token?: string }>(
      '/runs/search',
      {
        experiment_ids: [experimentId],
        max_results: 1000,
        order_by: ['attributes.start_time DESC'],
        ...(pageToken ? { page_token: pageToken } : {}),
      },
      { root: ROOT },
    );
    runs.push(...(answer.runs ?? []));
    pageToken = answer.next_page_token;
  } while (pageToken && runs.length < MAX_RUNS);
  return { runs, truncated: pageToken !== undefined };
}

export async function getRun(runId: string): Promise<Run> {
  return (await api.get<{ run: Run }>('/runs/get', { query: { run_id: runId }, root: ROOT })).run;
}

/** Every logged value of one metric of one run, by step. */
export async function metricHistory(runId: string, key: string): Promise<MetricValue[]> {
  const values: MetricValue[] = [];
  let pageToken: string | undefined;
  do {
    const answer = await api.get<{ metrics?: MetricValue[]; next_page_token?: string }>(
      '/metrics/get-history',
      {
        query: { run_id: runId, metric_key: key, max_results: 25_000, page_token: pageToken },
        root: ROOT,
      },
    );
    values.push(...(answer.metrics ?? []));
    pageToken = answer.next_page_token;
  } while (pageToken && values.length < 100_000);
  return values.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
}

export function paramsOf(run: Run): Record<string, string> {
  return Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value]));
}

export function metricsOf(run: Run): Record<string, number> {
  return Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m.value]));
}

export function runName(run: Run): string {
  return run.info.run_name || run.info.run_id.slice(0, 8);
}
