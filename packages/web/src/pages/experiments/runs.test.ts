import { describe, expect, it } from 'vitest';
import type { mlflow } from '../../api';
import {
  columnKeys,
  defaultChartMetric,
  defaultParamColumns,
  formatList,
  paramDifferences,
  parseList,
  toggle,
} from './runs';

function run(id: string, params: Record<string, string>, metrics: Record<string, number>): mlflow.Run {
  return {
    info: { run_id: id, experiment_id: '1', status: 'FINISHED', lifecycle_stage: 'active' },
    data: {
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
    },
  };
}

describe('experiments page computations', () => {
  const runs = [
    run('a', { depth: '4', lr: '0.1' }, { auc: 0.8 }),
    run('b', { depth: '5', lr: '0.1', extra: 'x' }, { auc: 0.85, loss: 0.3 }),
  ];

  it('offers every param and metric key as a column, sorted', () => {
    expect(columnKeys(runs)).toEqual({ params: ['depth', 'extra', 'lr'], metrics: ['auc', 'loss'] });
  });

  it('starts with the params that vary, and charts a metric logged over steps', () => {
    const three = [...runs, run('c', { depth: '6', lr: '0.1' }, { auc: 0.9 })];
    expect(defaultParamColumns(three, 2)).toEqual(['depth', 'lr']);
    const stepped: mlflow.Run = {
      ...runs[0]!,
      data: { metrics: [{ key: 'loss', value: 0.3, timestamp: 0, step: 20 }] },
    };
    expect(defaultChartMetric([runs[0]!, stepped], ['auc', 'loss'])).toBe('loss');
    expect(defaultChartMetric(runs, ['auc', 'loss'])).toBe('auc');
  });

  it('marks params whose values differ, a missing param included', () => {
    expect(paramDifferences(runs)).toEqual([
      { key: 'depth', values: ['4', '5'], differs: true },
      { key: 'extra', values: [undefined, 'x'], differs: true },
      { key: 'lr', values: ['0.1', '0.1'], differs: false },
    ]);
  });

  it('keeps lists in the URL, dropping the parameter when empty', () => {
    expect(parseList(' a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(parseList(undefined)).toEqual([]);
    expect(formatList([])).toBeUndefined();
    expect(formatList(['a', 'b'])).toBe('a,b');
    expect(toggle(['a', 'b'], 'a')).toEqual(['b']);
    expect(toggle(['b'], 'a')).toEqual(['b', 'a']);
  });
});
