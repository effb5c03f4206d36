import { describe, it } from 'vitest';
import { expectClose, loadGolden } from '../test-support.js';
import {
  hellingerCategorical,
  jensenShannonCategorical,
  lInfinityDistance,
  totalVariationDistance,
} from './categorical-distances.js';
import { psiCategorical } from './categorical-psi.js';
import { alignCategories } from './categories.js';
import {
  chiSquareContingencyDrift,
  chiSquareDrift,
  gTestContingencyDrift,
  gTestDrift,
} from './chi-square.js';
import { fisherExactDrift } from './fisher-exact.js';
import type { DriftResult } from './types.js';
import { zTestDrift } from './z-test.js';

interface TestValue {
  statistic: number | null;
  pValue: number;
  dof?: number;
}

interface CategoricalCase {
  reference: Record<string, number>;
  current: Record<string, number>;
  expected: Record<string, TestValue | number>;
}

const golden = loadGolden<{ categorical: CategoricalCase[] }>('drift_categorical');

const tests: Record<string, (c: CategoricalCase) => DriftResult & { degreesOfFreedom?: number }> = {
  chiSquare: (c) => chiSquareDrift(c),
  gTest: (c) => gTestDrift(c),
  chiSquareContingency: (c) => chiSquareContingencyDrift(c),
  chiSquareContingencyYates: (c) => chiSquareContingencyDrift(c, { yatesCorrection: true }),
  gTestContingency: (c) => gTestContingencyDrift(c),
  gTestContingencyYates: (c) => gTestContingencyDrift(c, { yatesCorrection: true }),
  zTest: (c) => zTestDrift(c),
  fisherExact: (c) => fisherExactDrift(c),
};

const distances: Record<string, (c: CategoricalCase) => DriftResult> = {
  jensenShannon: (c) => jensenShannonCategorical(c),
  lInfinity: (c) => lInfinityDistance(c),
  totalVariation: (c) => totalVariationDistance(c),
  hellinger: (c) => hellingerCategorical(c),
  psi: (c) => psiCategorical(c),
};

describe('categorical drift against scipy', () => {
  golden.categorical.forEach((c, index) => {
    const label = `case ${index} (${alignCategories(c).categories.length} categories)`;
    it(`${label}: tests match statistic and p-value at 1e-9`, () => {
      for (const [name, run] of Object.entries(tests)) {
        const want = c.expected[name] as TestValue | undefined;
        if (want === undefined) continue;
        const got = run(c);
        expectClose(got.statistic, want.statistic, 1e-9, `${label} ${name} statistic`);
        expectClose(got.pValue!, want.pValue, 1e-9, `${label} ${name} p-value`);
        // Tiny p-values keep their relative precision too (they are what multiple-testing control ranks).
        if (want.pValue > 0)
          expectClose(got.pValue! / want.pValue, 1, 1e-9, `${label} ${name} relative p-value`);
        if (want.dof !== undefined) expectClose(got.degreesOfFreedom!, want.dof, 0, `${label} ${name} dof`);
      }
    });
    it(`${label}: distances match at 1e-9`, () => {
      for (const [name, run] of Object.entries(distances)) {
        expectClose(run(c).statistic, c.expected[name] as number, 1e-9, `${label} ${name}`);
      }
    });
  });
});
