import { describe, expect, it } from 'vitest';
import { nextUp } from './edges.js';

describe('nextUp', () => {
  it('gives the next double up, for any sign', () => {
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    expect(nextUp(-1)).toBeGreaterThan(-1);
    expect(nextUp(-1)).toBe(-1 + Number.EPSILON / 2);
    for (const x of [0.1, 123.456, -7e-300, 1e300]) {
      expect(nextUp(x)).toBeGreaterThan(x);
      expect((x + nextUp(x)) / 2 === x || (x + nextUp(x)) / 2 === nextUp(x)).toBe(true);
    }
  });
});
