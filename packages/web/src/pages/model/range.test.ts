import { describe, expect, it } from 'vitest';
import { validateRangeSearch } from './range';

describe('the model page URL', () => {
  it('keeps a version named by a number, as the router reads ?version=2', () => {
    expect(validateRangeSearch({ version: 2, segment: 'north', range: '24h' })).toEqual({
      version: '2',
      segment: 'north',
      range: '24h',
    });
    expect(validateRangeSearch({ version: '', range: 'forever', from: Number.NaN })).toEqual({});
  });
});
