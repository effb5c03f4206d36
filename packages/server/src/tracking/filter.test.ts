import { describe, expect, it } from 'vitest';
import { parseRunFilter, parseRunOrder } from './filter.js';
import { MlflowError } from './mlflow-errors.js';

describe('MLflow run filters', () => {
  it('parses comparisons of every kind joined by AND', () => {
    expect(
      parseRunFilter(
        "metrics.rmse < 1.5 and params.model = 'tree' AND tags.`team name` LIKE \"ml%\" and attributes.status = 'FINISHED'",
      ),
    ).toEqual([
      { kind: 'metric', key: 'rmse', op: '<', value: 1.5 },
      { kind: 'param', key: 'model', op: '=', value: 'tree' },
      { kind: 'tag', key: 'team name', op: 'LIKE', value: 'ml%' },
      { kind: 'attribute', key: 'status', op: '=', value: 'FINISHED' },
    ]);
  });

  it('reads dotted keys, IN lists, IS NULL, times and dataset fields', () => {
    expect(parseRunFilter("tags.mlflow.runName != 'x'")).toEqual([
      { kind: 'tag', key: 'mlflow.runName', op: '!=', value: 'x' },
    ]);
    expect(parseRunFilter("attributes.run_id IN ('a', 'b')")).toEqual([
      { kind: 'attribute', key: 'run_id', op: 'IN', value: ['a', 'b'] },
    ]);
    expect(parseRunFilter('params.lr IS NOT NULL')).toEqual([
      { kind: 'param', key: 'lr', op: 'IS NOT NULL' },
    ]);
    expect(parseRunFilter('attributes.start_time >= 1700000000000')).toEqual([
      { kind: 'attribute', key: 'start_time', op: '>=', value: 1_700_000_000_000 },
    ]);
    expect(parseRunFilter("datasets.digest = 'abc'")).toEqual([
      { kind: 'dataset', key: 'digest', op: '=', value: 'abc' },
    ]);
    expect(parseRunFilter('   ')).toEqual([]);
  });

  it.each([
    ['metrics.loss <', 'expected a number at the end'],
    ["metrics.loss < 'x'", 'must be a number'],
    ['params.lr = 0.1', 'must be a quoted string'],
    ["nope.x = 'y'", 'does not start with metrics.'],
    ["params.a = 'x' or params.b = 'y'", 'OR is not supported'],
    ["params.a = 'x", 'never closed'],
    ['metrics.loss LIKE 1', "'LIKE' is not supported"],
    ["attributes.colour = 'red'", "unknown attribute 'colour'"],
    ['metrics.loss < 1 ; drop table runs', "unexpected character ';'"],
  ])('refuses %s with INVALID_PARAMETER_VALUE', (filter, message) => {
    let caught: unknown;
    try {
      parseRunFilter(filter);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MlflowError);
    expect((caught as MlflowError).mlflowCode).toBe('INVALID_PARAMETER_VALUE');
    expect((caught as Error).message).toContain(message);
  });

  it('parses order_by clauses', () => {
    expect(
      parseRunOrder(['metrics.rmse DESC', 'params.`learning rate`', 'attributes.start_time asc']),
    ).toEqual([
      { kind: 'metric', key: 'rmse', ascending: false },
      { kind: 'param', key: 'learning rate', ascending: true },
      { kind: 'attribute', key: 'start_time', ascending: true },
    ]);
    expect(() => parseRunOrder(['metrics.rmse DOWN'])).toThrow(/only ASC or DESC/);
  });
});
