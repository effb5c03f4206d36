/** The bodies `logColumns` sends, without a server: what they hold after the caller reuses its arrays. */
import { tableFromIPC } from 'apache-arrow';
import { expect, it } from 'vitest';
import { PredictionColumnBatch } from './column-batch.js';

it('copies every kind of number column when logged, so the caller may reuse its arrays', () => {
  const amount = Float64Array.of(1.5, -2, 3.25, Number.NaN);
  const count = Int32Array.of(7, 8, 9, 10);
  const small = Uint8Array.of(1, 2, 3, 4);
  const sparse: (number | null)[] = [null, 0.5, null, 4];
  const batch = new PredictionColumnBatch({
    id: ['a', 'b', 'c', 'd'],
    timestamp: Float64Array.of(1, 2, 3, 4),
    score: [0.1, 0.2, 0.3, 0.4],
    features: { amount, count, small, sparse, country: ['FR', 'DE', 'FR', null] },
  });
  amount.fill(0);
  count.fill(0);
  small.fill(0);
  sparse.fill(99);
  for (const [start, end] of [
    [0, 4],
    [1, 3],
  ] as const) {
    const table = tableFromIPC(batch.body(start, end, true).body as Uint8Array);
    const column = (name: string) => table.getChild(name)!.toArray();
    const rows = (values: unknown[]) => values.slice(start, end);
    expect([...column('features.amount')]).toEqual(rows([1.5, -2, 3.25, Number.NaN]));
    expect([...column('features.count')]).toEqual(rows([7, 8, 9, 10]));
    expect([...column('features.small')]).toEqual(rows([1, 2, 3, 4]));
    expect([...table.getChild('features.sparse')!]).toEqual(rows([null, 0.5, null, 4]));
    expect([...table.getChild('features.country')!]).toEqual(rows(['FR', 'DE', 'FR', null]));
    expect([...column('score')]).toEqual(rows([0.1, 0.2, 0.3, 0.4]));
    expect([...column('timestamp')]).toEqual(rows([1, 2, 3, 4]));
  }
  const json = JSON.parse(batch.body(1, 3, false).body as string);
  expect(json.features).toMatchObject({
    amount: [-2, 3.25],
    count: [8, 9],
    small: [2, 3],
    sparse: [0.5, null],
  });
});
