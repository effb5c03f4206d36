/** Search, status filter and sort of the overview table; pure, so it is tested without a browser. */
import type { HealthStatus, ModelOverview } from '@vigil/sdk';

export const SORT_KEYS = ['status', 'name', 'alerts', 'last_prediction', 'traffic'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

export interface OverviewFilter {
  q?: string;
  status?: HealthStatus[];
  sort?: SortKey;
  dir?: SortDirection;
}

/** Worst first: the order a person triages in. */
export const STATUS_ORDER: Record<HealthStatus, number> = {
  alerting: 0,
  error: 1,
  warning: 2,
  insufficient_data: 3,
  ok: 4,
  no_data: 5,
};

/** Matches the model's name, description, version and tags (`team:risk` or `risk`), every word. */
function matches(model: ModelOverview, words: string[]): boolean {
  const haystack = [
    model.model,
    model.description ?? '',
    model.current_version ?? '',
    ...Object.entries(model.tags).map(([key, value]) => `${key}:${value}`),
  ]
    .join(' ')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

export function trafficTotal(model: ModelOverview): number {
  return model.traffic.reduce((sum, value) => sum + value, 0);
}

function compare(a: ModelOverview, b: ModelOverview, key: SortKey): number {
  switch (key) {
    case 'name':
      return a.model.localeCompare(b.model);
    case 'status':
      return STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.open_alerts - a.open_alerts;
    case 'alerts':
      return a.open_alerts - b.open_alerts;
    case 'last_prediction':
      return (
        (a.last_prediction_at ? Date.parse(a.last_prediction_at) : 0) -
        (b.last_prediction_at ? Date.parse(b.last_prediction_at) : 0)
      );
    case 'traffic':
      return trafficTotal(a) - trafficTotal(b);
  }
}

/** The default direction of each column: the interesting end first. */
export function defaultDirection(key: SortKey): SortDirection {
  return key === 'name' || key === 'status' ? 'asc' : 'desc';
}

export function filterAndSort(models: readonly ModelOverview[], filter: OverviewFilter): ModelOverview[] {
  const words = (filter.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const statuses = filter.status && filter.status.length > 0 ? new Set(filter.status) : null;
  const key = filter.sort ?? 'status';
  const sign = (filter.dir ?? defaultDirection(key)) === 'asc' ? 1 : -1;
  return models
    .filter(
      (model) => (!statuses || statuses.has(model.status)) && (words.length === 0 || matches(model, words)),
    )
    .sort((a, b) => sign * compare(a, b, key) || a.model.localeCompare(b.model));
}
