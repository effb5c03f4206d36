/**
 * t-tests on large sorted samples with long runs of ties, against scipy at 1e-9 relative. There a
 * mean whose correction pass is not compensated drifts by thousands of ulps, and p-values this
 * small move with it (`scripts/golden/t_test_sorted.py` builds the cases).
 */
import { describe, expect, it } from 'vitest';
import { mean } from '../math/index.js';
import { loadGolden } from '../test-support.js';
import { studentTTest, welchTTest } from './index.js';

interface Spec {
  n: number;
  a: number;
  m: number;
  levels: number;
  scale: number;
  shift: number;
}
interface Expected {
  statistic: number;
  pValue: number;
  df: number;
}
interface Case {
  name: string;
  reference: Spec;
  current: Spec;
  mean: { reference: number; current: number };
  welch: Expected;
  student: Expected;
}

const golden = loadGolden<{ cases: Case[] }>('t_test_sorted');

/** Same arithmetic as the generator script: ((k·a mod m) mod levels) / levels · scale + shift, sorted. */
function generate(spec: Spec): Float64Array {
  const out = new Float64Array(spec.n);
  for (let k = 0; k < spec.n; k++) {
    const r = ((k * spec.a) % spec.m) % spec.levels;
    out[k] = (r / spec.levels) * spec.scale + spec.shift;
  }
  return out.sort();
}

function expectRelative(actual: number, expected: number, tol: number, label: string): void {
  const error = Math.abs(actual / expected - 1);
  if (!(error <= tol))
    expect.fail(`${label}: expected ${expected}, got ${actual} (relative ${error} > ${tol})`);
}

describe.each(golden.cases)('$name', (c) => {
  const x = generate(c.reference);
  const y = generate(c.current);

  it('mean() is the correctly rounded mean of the sorted sample', () => {
    expect(mean(x)).toBe(c.mean.reference);
    expect(mean(y)).toBe(c.mean.current);
  });

  it('Welch and Student t-tests match scipy ttest_ind at 1e-9 relative', () => {
    const welch = welchTTest(x, y);
    expectRelative(welch.statistic, c.welch.statistic, 1e-12, 'Welch t');
    expectRelative(welch.degreesOfFreedom, c.welch.df, 1e-12, 'Welch df');
    expectRelative(welch.pValue, c.welch.pValue, 1e-9, 'Welch p');
    const student = studentTTest(x, y);
    expectRelative(student.statistic, c.student.statistic, 1e-12, 'Student t');
    expect(student.degreesOfFreedom).toBe(c.student.df);
    expectRelative(student.pValue, c.student.pValue, 1e-9, 'Student p');
  });
});
