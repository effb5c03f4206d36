import { describe, expect, it } from 'vitest';
import { BaselineCache } from './context.js';

describe('baseline cache', () => {
  it('computes an entry once, forgets one model at a time, and evicts the least recently used', async () => {
    const cache = new BaselineCache(3);
    let loads = 0;
    const load = (value: string) => async () => {
      loads++;
      return value;
    };
    expect(await cache.get(1, 'edges', load('a'))).toBe('a');
    expect(await cache.get(1, 'edges', load('ignored'))).toBe('a');
    expect(await cache.get(2, 'edges', load('b'))).toBe('b');
    expect(loads).toBe(2);
    cache.clearModel(1);
    expect(await cache.get(1, 'edges', load('c'))).toBe('c');
    expect(await cache.get(2, 'edges', load('ignored'))).toBe('b');
    expect(loads).toBe(3);
    // Model 1's entry is now the least recently used: two more entries push it out.
    await cache.get(3, 'x', load('d'));
    await cache.get(4, 'x', load('e'));
    expect(cache.size).toBe(3);
    expect(await cache.get(1, 'edges', load('f'))).toBe('f');
  });

  it('does not keep a failed load', async () => {
    const cache = new BaselineCache();
    await expect(cache.get(1, 'k', () => Promise.reject(new Error('no data')))).rejects.toThrow('no data');
    expect(await cache.get(1, 'k', async () => 'ok')).toBe('ok');
  });
});
