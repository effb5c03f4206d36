import { describe, expect, it } from 'vitest';
import { CHUNK_VALUES, ColumnStore } from './column-store.js';
import { ColumnBuilder } from './columns.js';

const ROWS = CHUNK_VALUES * 3 + 123;

function numbers(rows: number): number[] {
  return Array.from({ length: rows }, (_, i) => (i % 11 === 0 ? Number.NaN : i * 0.25 - 1000));
}

describe('column values beyond the memory budget', () => {
  it('come back from the temporary file exactly as they went in, chunk boundaries and all', () => {
    const store = new ColumnStore(CHUNK_VALUES * 8); // one Float64 chunk in memory, the rest on disk
    const builder = new ColumnBuilder('x', store);
    const values = numbers(ROWS);
    for (const v of values) builder.pushNumber(v);
    const stored = builder.finish();
    expect(store.heldBytes).toBeLessThanOrEqual(store.budgetBytes);
    expect(store.spilledBytes).toBeGreaterThan(0);
    const column = stored.load();
    expect(column.storage).toBe('numeric');
    expect(column.storage === 'numeric' && Array.from(column.values)).toEqual(values);
    // Loading twice reads the same values again.
    const again = stored.load();
    expect(again.storage === 'numeric' && Array.from(again.values)).toEqual(values);
    stored.discard();
    expect(() => stored.load()).toThrow(/discarded/);
    store.close();
  });

  it('turn into categories when a text value arrives after spilled numbers', () => {
    const store = new ColumnStore(0); // everything on disk
    const builder = new ColumnBuilder('c', store);
    const values: (number | string | null)[] = numbers(ROWS - 2);
    values.push('text', null);
    for (const v of values) builder.push(v === null || Number.isNaN(v) ? null : v);
    const column = builder.finish().load();
    expect(column.storage).toBe('categorical');
    if (column.storage !== 'categorical') return;
    const read = Array.from(column.codes, (c) => (c < 0 ? null : column.dictionary[c]));
    expect(read).toEqual(values.map((v) => (v === null || Number.isNaN(v) ? null : String(v))));
    expect(store.heldBytes).toBe(0);
    store.close();
  });

  it('stay all in memory without a budget, as before', () => {
    const builder = new ColumnBuilder('x');
    for (const v of numbers(ROWS)) builder.pushNumber(v);
    const column = builder.build();
    expect(column.length).toBe(ROWS);
  });
});
