/** What the experiments page computes from runs: the keys to offer as columns, and what differs. */
import { mlflow } from '../../api';

type Run = mlflow.Run;

/** The param and metric keys the runs have, sorted, each with how many runs have it. */
export function columnKeys(runs: readonly Run[]): { params: string[]; metrics: string[] } {
  const params = new Map<string, number>();
  const metrics = new Map<string, number>();
  for (const run of runs) {
    for (const p of run.data.params ?? []) params.set(p.key, (params.get(p.key) ?? 0) + 1);
    for (const m of run.data.metrics ?? []) metrics.set(m.key, (metrics.get(m.key) ?? 0) + 1);
  }
  const sorted = (counts: Map<string, number>) => [...counts.keys()].sort((a, b) => a.localeCompare(b));
  return { params: sorted(params), metrics: sorted(metrics) };
}

/**
 * Param columns shown before the user picks: those whose values vary most between the runs
 * (a param every run sets alike says nothing), then those most runs have.
 */
export function defaultParamColumns(runs: readonly Run[], count = 4): string[] {
  const values = new Map<string, Set<string>>();
  const present = new Map<string, number>();
  for (const run of runs) {
    for (const p of run.data.params ?? []) {
      if (!values.has(p.key)) values.set(p.key, new Set());
      values.get(p.key)!.add(p.value);
      present.set(p.key, (present.get(p.key) ?? 0) + 1);
    }
  }
  return [...values.keys()]
    .sort(
      (a, b) =>
        values.get(b)!.size - values.get(a)!.size || present.get(b)! - present.get(a)! || a.localeCompare(b),
    )
    .slice(0, count);
}

/** Metric columns shown before the user picks: the first few by name. */
export function defaultMetricColumns(keys: readonly string[], count = 4): string[] {
  return keys.slice(0, count);
}

/** The metric the comparison chart starts with: one logged over steps (a curve), else the first. */
export function defaultChartMetric(runs: readonly Run[], keys: readonly string[]): string | undefined {
  const stepped = keys.find((key) =>
    runs.some((run) => (run.data.metrics ?? []).some((m) => m.key === key && m.step > 0)),
  );
  return stepped ?? keys[0];
}

export interface ParamRow {
  key: string;
  /** One value per run, in the runs' order; undefined where the run has no such param. */
  values: (string | undefined)[];
  differs: boolean;
}

/** Every param of the runs, one row each; `differs` when the runs do not all have the same value. */
export function paramDifferences(runs: readonly Run[]): ParamRow[] {
  const params = runs.map(mlflow.paramsOf);
  const keys = [...new Set(params.flatMap((p) => Object.keys(p)))].sort((a, b) => a.localeCompare(b));
  return keys.map((key) => {
    const values = params.map((p) => p[key]);
    return { key, values, differs: new Set(values).size > 1 };
  });
}

/** A URL list parameter ("a,b,c") as a list; empty or missing is an empty list. */
export function parseList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A list for the URL; undefined when empty, so the parameter disappears. */
export function formatList(values: readonly string[]): string | undefined {
  return values.length === 0 ? undefined : values.join(',');
}

/** Adds or removes one item, keeping the order the user picked them in. */
export function toggle(values: readonly string[], value: string): string[] {
  return values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
}
