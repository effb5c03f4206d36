/**
 * Simulation of the default monitor on a model with 25 features: how often a window with no drift
 * raises at least one alarm (family-wise false-alarm rate), and how often a real shift is caught.
 * Deterministic seeds; the numbers are quoted in docs/drift-methods.md.
 */
import { describe, expect, it } from 'vitest';
import { createSeededRandom, type RandomStream } from '../math/random.js';
import { type ColumnDriftInput, detectModelDrift } from './column-drift.js';

// The exact KS p-value dominates the run time and is cheapest for equal window sizes, so these sizes
// keep the file at a few seconds. The numbers in docs/drift-methods.md for 2,000 / 1,000 rows come from
// the same code with these constants changed.
const NULL_WINDOWS = 200;
const SHIFT_WINDOWS = 100;
const REFERENCE_ROWS = 1000;
const CURRENT_ROWS = 1000;

/** How a feature's values are drawn; `shift` moves the distribution when the window drifts. */
type FeatureSpec =
  | { kind: 'numeric'; draw: (rng: RandomStream, shift: number) => number; shift: number }
  | { kind: 'categorical' | 'boolean'; shares: number[]; shifted: number[] };

const numeric = (draw: (rng: RandomStream, shift: number) => number, shift: number): FeatureSpec => ({
  kind: 'numeric',
  draw,
  shift,
});

/** 15 numeric, 6 categorical and 4 boolean features of varied shapes. */
const FEATURES: FeatureSpec[] = [
  ...Array.from({ length: 5 }, (_, i) => numeric((rng, s) => 10 * i + rng.normal() + s, 0.2)),
  ...Array.from({ length: 4 }, () => numeric((rng, s) => Math.exp(rng.normal() + s), 0.2)),
  ...Array.from({ length: 3 }, () => numeric((rng, s) => -Math.log(1 - rng.uniform()) * (1 + s), 0.2)),
  ...Array.from({ length: 3 }, () => numeric((rng, s) => Math.round(20 * rng.uniform() + 10 * s), 0.2)),
  { kind: 'categorical', shares: [0.5, 0.3, 0.2], shifted: [0.42, 0.38, 0.2] },
  { kind: 'categorical', shares: [0.25, 0.25, 0.25, 0.25], shifted: [0.17, 0.33, 0.25, 0.25] },
  {
    kind: 'categorical',
    shares: [0.4, 0.2, 0.15, 0.1, 0.1, 0.05],
    shifted: [0.32, 0.28, 0.15, 0.1, 0.1, 0.05],
  },
  { kind: 'categorical', shares: [0.6, 0.3, 0.1], shifted: [0.52, 0.38, 0.1] },
  { kind: 'categorical', shares: Array(10).fill(0.1), shifted: [0.02, 0.18, ...Array(8).fill(0.1)] },
  { kind: 'categorical', shares: [0.7, 0.2, 0.07, 0.03], shifted: [0.62, 0.28, 0.07, 0.03] },
  { kind: 'boolean', shares: [0.5, 0.5], shifted: [0.42, 0.58] },
  { kind: 'boolean', shares: [0.9, 0.1], shifted: [0.84, 0.16] },
  { kind: 'boolean', shares: [0.97, 0.03], shifted: [0.94, 0.06] },
  { kind: 'boolean', shares: [0.7, 0.3], shifted: [0.62, 0.38] },
];

const CATEGORY_NAMES = Array.from({ length: 10 }, (_, k) => `v${k}`);

function drawCategory(rng: RandomStream, shares: number[]): string {
  let u = rng.uniform();
  for (let k = 0; k < shares.length - 1; k++) {
    u -= shares[k]!;
    if (u < 0) return CATEGORY_NAMES[k]!;
  }
  return CATEGORY_NAMES[shares.length - 1]!;
}

function window(
  rng: RandomStream,
  spec: FeatureSpec,
  rows: number,
  drifted: boolean,
): Float64Array | string[] {
  if (spec.kind === 'numeric') {
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) out[i] = spec.draw(rng, drifted ? spec.shift : 0);
    return out;
  }
  const shares = drifted ? spec.shifted : spec.shares;
  return Array.from({ length: rows }, () => drawCategory(rng, shares));
}

/** Features drifting in the power scenario: two numeric, two categorical, one boolean. */
const DRIFTING = new Set([0, 5, 15, 19, 21]);

interface SimulationSummary {
  /** Share of windows where the default monitor flags at least one feature. */
  alarmRate: number;
  /** Same, deciding each feature on its own unadjusted p < threshold and without the floor. */
  unadjustedAlarmRate: number;
  /** Share of (window, drifting feature) pairs the default monitor flags. */
  detectionRate: number;
}

function simulate(seed: number, drift: boolean, repetitions: number): SimulationSummary {
  const rng = createSeededRandom(seed);
  let alarms = 0;
  let unadjustedAlarms = 0;
  let detected = 0;
  for (let r = 0; r < repetitions; r++) {
    const columns: Record<string, ColumnDriftInput> = {};
    FEATURES.forEach((spec, f) => {
      const reference = window(rng, spec, REFERENCE_ROWS, false);
      const current = window(rng, spec, CURRENT_ROWS, drift && DRIFTING.has(f));
      columns[`f${f}`] =
        spec.kind === 'numeric'
          ? { kind: 'numeric', reference: reference as Float64Array, current: current as Float64Array }
          : { kind: spec.kind, reference: reference as string[], current: current as string[] };
    });
    const result = detectModelDrift(columns);
    if (result.driftedColumns.length > 0) alarms++;
    const results = Object.values(result.columns);
    if (results.some((c) => (c.thresholdKind === 'p_value' ? c.rawPValue! < c.threshold : c.drifted))) {
      unadjustedAlarms++;
    }
    for (const f of DRIFTING) if (result.columns[`f${f}`]!.drifted) detected++;
  }
  return {
    alarmRate: alarms / repetitions,
    unadjustedAlarmRate: unadjustedAlarms / repetitions,
    detectionRate: detected / (repetitions * DRIFTING.size),
  };
}

describe(`default monitor, 25 features, ${REFERENCE_ROWS} reference and ${CURRENT_ROWS} current rows`, () => {
  it(`raises a false alarm on at most 10% of ${NULL_WINDOWS} windows without drift (5% in theory)`, () => {
    const { alarmRate, unadjustedAlarmRate } = simulate(1, false, NULL_WINDOWS);
    console.info(
      `no drift: alarm rate ${alarmRate} (default monitor), ${unadjustedAlarmRate} (each p < 0.05)`,
    );
    // Benjamini–Hochberg at 5% keeps the family-wise rate at or below 5% when no feature drifts
    // (discrete tests and the floor only lower it); 10% leaves room for Monte Carlo error
    // (about 3 standard errors at 200 windows).
    expect(alarmRate).toBeLessThanOrEqual(0.1);
    // Without adjustment 25 tests at 5% alarm on most windows: 1 - 0.95^25 = 72% for independent tests.
    expect(unadjustedAlarmRate).toBeGreaterThan(0.5);
  });

  it(`catches a real shift in 5 of the 25 features (${SHIFT_WINDOWS} windows)`, () => {
    const { alarmRate, detectionRate } = simulate(2, true, SHIFT_WINDOWS);
    console.info(`drift in 5 features: alarm rate ${alarmRate}, per-feature detection ${detectionRate}`);
    expect(alarmRate).toBeGreaterThanOrEqual(0.9);
    expect(detectionRate).toBeGreaterThanOrEqual(0.6);
  });
});
