import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FC_SEED, fastCheckSeed } from './fast-check-seed.js';

describe('the fast-check seed', () => {
  it('is configured globally in every test worker, so every property draws the same examples', () => {
    expect(fc.readConfigureGlobal().seed).toBe(fastCheckSeed());
    expect(fastCheckSeed()).toBe(Number(process.env.FC_SEED));
  });

  it('defaults to a fixed number and follows FC_SEED', () => {
    expect(fastCheckSeed({})).toBe(DEFAULT_FC_SEED);
    expect(fastCheckSeed({ FC_SEED: '' })).toBe(DEFAULT_FC_SEED);
    expect(fastCheckSeed({ FC_SEED: ' 42 ' })).toBe(42);
    expect(fastCheckSeed({ FC_SEED: '-7' })).toBe(-7);
    expect(Number.isInteger(fastCheckSeed({ FC_SEED: 'random' }))).toBe(true);
    expect(() => fastCheckSeed({ FC_SEED: 'abc' })).toThrow(/FC_SEED/);
  });

  it('makes a property reproducible: the same seed draws the same values', () => {
    const draw = () => fc.sample(fc.double(), { seed: fastCheckSeed(), numRuns: 5 });
    expect(draw()).toEqual(draw());
  });
});
