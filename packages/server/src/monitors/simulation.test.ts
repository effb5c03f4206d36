/**
 * Holds the false-alarm budget and the detection delay of the default drift and performance thresholds (see
 * docs/alerting.md for the full table, made with `npm run bench:false-alarms`). Seeds are fixed
 * and printed, so a failure reproduces exactly.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from './simulation.js';
import { simulatePerformance } from './simulation-performance.js';

const BASE = {
  windowRows: 1000,
  referenceRows: 5000,
  numericFeatures: 40,
  categoricalFeatures: 10,
  // Feature drift's share of the default budget of one false alarm per model per week.
  budgetPerWeek: 0.25,
};

describe('default drift thresholds', () => {
  it('stay within the false-alarm budget on stationary data (50 features, 4 weeks of hourly windows)', () => {
    // A budget ten times the default's share makes alarms frequent enough to count in a few
    // simulated weeks; the default budget itself is checked over longer runs by the benchmark.
    const seed = 7;
    const budgetPerWeek = 2.5;
    const result = simulate({ ...BASE, budgetPerWeek, seed, weeks: 4 });
    console.log(`false-alarm simulation seed ${seed}:`, JSON.stringify(result));
    expect(result.falseAlarmsPerWeek).toBeLessThanOrEqual(budgetPerWeek);
    expect(result.breaches / result.tests).toBeLessThanOrEqual(result.alpha);
  }, 120_000);

  it('see a 0.2 sigma mean shift on three features within a few windows', () => {
    const delays = [11, 12, 13, 14, 15].map((seed) => {
      const result = simulate({
        ...BASE,
        seed,
        weeks: 1,
        drift: { onsetWindow: 10, meanShift: { features: 3, sigma: 0.2 } },
      });
      return result.detectionDelayWindows;
    });
    console.log('mean-shift detection delays (windows), seeds 11-15:', delays);
    for (const delay of delays) {
      expect(delay).not.toBeNull();
      expect(delay!).toBeLessThanOrEqual(3);
    }
  }, 60_000);

  it('see a new category in 10% of rows in the first drifted window', () => {
    const result = simulate({
      ...BASE,
      seed: 21,
      weeks: 1,
      drift: { onsetWindow: 5, newCategoryShare: 0.1 },
    });
    expect(result.detectionDelayWindows).toBe(0);
  });
});

describe('default performance thresholds (binary classifier with labels)', () => {
  const PERFORMANCE = { referenceRows: 5000, prevalence: 0.3, accuracy: 0.85 };

  it('stay within the false-alarm budget when the model performs as on the reference', () => {
    // Ten times the monitor's share of the default budget (1/6 a week), as above, so that
    // alarms are frequent enough to count in four simulated weeks.
    const budgetPerWeek = 10 / 6;
    for (const [seed, windowRows] of [
      [7, 250],
      [8, 1000],
    ] as const) {
      const result = simulatePerformance({ ...PERFORMANCE, windowRows, budgetPerWeek, seed, weeks: 4 });
      console.log(
        `performance false-alarm simulation seed ${seed}, ${windowRows} rows:`,
        JSON.stringify(result),
      );
      expect(result.falseAlarmsPerWeek).toBeLessThanOrEqual(budgetPerWeek);
    }
  });

  it('see a 5-point accuracy drop within two windows of 1,000 labels', () => {
    const delays = [11, 12, 13, 14, 15].map(
      (seed) =>
        simulatePerformance({
          ...PERFORMANCE,
          windowRows: 1000,
          budgetPerWeek: 1 / 6,
          seed,
          weeks: 1,
          drift: { onsetWindow: 10, accuracyDrop: 0.05 },
        }).detectionDelayWindows,
    );
    console.log('accuracy-drop detection delays (windows), seeds 11-15:', delays);
    for (const delay of delays) {
      expect(delay).not.toBeNull();
      expect(delay!).toBeLessThanOrEqual(2);
    }
  });
});
