import type { ModelOverview } from '@vigil/sdk';
import { describe, expect, it } from 'vitest';
import { filterAndSort } from './filter';

function model(name: string, extra: Partial<ModelOverview> = {}): ModelOverview {
  return {
    model: name,
    task: 'binary_classification',
    description: null,
    tags: {},
    status: 'ok',
    monitors: {},
    alerting_monitors: [],
    open_alerts: 0,
    unacknowledged_alerts: 0,
    inhibited_alerts: 0,
    last_prediction_at: null,
    current_version: null,
    traffic: [0, 0],
    created_at: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

const models = [
  model('churn', { status: 'warning', tags: { team: 'growth' }, traffic: [5, 5] }),
  model('fraud', { status: 'alerting', open_alerts: 2, current_version: 'v7', traffic: [1, 0] }),
  model('ranker', { status: 'alerting', open_alerts: 5 }),
  model('idle', { status: 'no_data' }),
];

describe('overview filter', () => {
  it('puts the worst first by default, more alerts before fewer', () => {
    expect(filterAndSort(models, {}).map((m) => m.model)).toEqual(['ranker', 'fraud', 'churn', 'idle']);
  });

  it('searches names, versions and tags, every word', () => {
    expect(filterAndSort(models, { q: 'team:growth' }).map((m) => m.model)).toEqual(['churn']);
    expect(filterAndSort(models, { q: 'V7' }).map((m) => m.model)).toEqual(['fraud']);
    expect(filterAndSort(models, { q: 'fraud v8' })).toEqual([]);
  });

  it('filters by status and sorts by any column, either way', () => {
    expect(
      filterAndSort(models, { status: ['alerting', 'no_data'], sort: 'name' }).map((m) => m.model),
    ).toEqual(['fraud', 'idle', 'ranker']);
    expect(filterAndSort(models, { sort: 'traffic' }).map((m) => m.model)[0]).toBe('churn');
    expect(filterAndSort(models, { sort: 'traffic', dir: 'asc' }).map((m) => m.model)).toEqual([
      'idle',
      'ranker',
      'fraud',
      'churn',
    ]);
  });
});
