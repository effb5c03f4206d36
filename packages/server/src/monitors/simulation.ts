/**
 * Simulated monitoring of a stationary (or drifting) model, used to prove what the default
 * drift thresholds achieve: the false alarms per week on data drawn like the reference, and the
 * windows it takes to see injected drift. It runs the same comparison code as evaluation
 * (`compareColumn`, `perTestAlpha`, the baseline chunk calibration) on histograms of simulated
 * windows, without a store, so many weeks take seconds.
 */
import { createSeededRandom, normalCdf, type RandomStream } from '@vigil/stats';
import type { CategoricalProfile, NumericProfile, WindowProfile } from '../storage/profiles.js';
import { mergeProfiles } from './profile-math.js';
import { compareColumn } from './signals/distributions.js';
import { perTestAlpha } from './thresholds.js';

export interface SimulationOptions {
  seed: number;
  weeks: number;
  /** Rows per window (an hourly window of a model serving this many predictions an hour). */
  windowRows: number;
  referenceRows: number;
  numericFeatures: number;
  categoricalFeatures: number;
  /** The feature drift monitor's share of the model's false-alarm budget (per week). */
  budgetPerWeek: number;
  windowsPerWeek?: number;
  /** Changes applied to every window from `onsetWindow` on (none: stationary data). */
  drift?: {
    onsetWindow: number;
    /** Mean shift, in standard deviations, of the first `features` numeric features. */
    meanShift?: { features: number; sigma: number };
    /** Share of rows of the first categorical feature that take a category never seen before. */
    newCategoryShare?: number;
  };
}

export interface SimulationResult {
  windows: number;
  tests: number;
  alpha: number;
  /** Windows in which at least one feature breached (each raises at most one grouped alert). */
  alarmWindows: number;
  breaches: number;
  falseAlarmsPerWeek: number;
  /** For drift: windows from the onset to the first breach of a drifted feature (null if never). */
  detectionDelayWindows: number | null;
}

const CATEGORIES = ['a', 'b', 'c', 'd', 'e'];
const CATEGORY_PROBABILITIES = [0.4, 0.25, 0.15, 0.12, 0.08];

/**
 * A window's histogram of N(mean, 1) values on the given edges, drawn bin by bin from uniforms
 * against the bins' cumulative probabilities (the same distribution as binning normal draws,
 * several times faster). Per-bin sums are not simulated: the default method does not use them.
 */
function numericProfile(random: RandomStream, n: number, edges: number[], mean: number): NumericProfile {
  const bins = edges.length - 1;
  const cumulative = edges.slice(1, -1).map((e) => normalCdf(e - mean));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const u = random.uniform();
    let b = 0;
    while (b < bins - 1 && u >= cumulative[b]!) b++;
    counts[b]!++;
  }
  return { counts, sums: new Array<number>(bins).fill(0), nulls: 0, min: null, max: null, mean, std: 1 };
}

function categoricalProfile(random: RandomStream, n: number, newShare: number): CategoricalProfile {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    let u = random.uniform();
    let category = 'new';
    if (u >= newShare) {
      u = random.uniform();
      category = CATEGORIES[CATEGORIES.length - 1]!;
      for (let k = 0; k < CATEGORIES.length; k++) {
        u -= CATEGORY_PROBABILITIES[k]!;
        if (u < 0) {
          category = CATEGORIES[k]!;
          break;
        }
      }
    }
    counts[category] = (counts[category] ?? 0) + 1;
  }
  return { counts, nulls: 0, otherCount: 0 };
}

function draw(
  random: RandomStream,
  n: number,
  options: SimulationOptions,
  edges: number[][],
  shifts: { mean: (j: number) => number; newShare: (j: number) => number },
): WindowProfile {
  const profile = mergeProfiles([]);
  profile.rows = n;
  for (let j = 0; j < options.numericFeatures; j++) {
    profile.numeric[`x${j}`] = numericProfile(random, n, edges[j]!, shifts.mean(j));
  }
  for (let j = 0; j < options.categoricalFeatures; j++) {
    profile.categorical[`c${j}`] = categoricalProfile(random, n, shifts.newShare(j));
  }
  return profile;
}

/** Deciles of a sample, ties collapsed, open at both ends (as `baselineEdges`). */
function decileEdges(values: Float64Array): number[] {
  const sorted = Float64Array.from(values).sort();
  const inner = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((q) => {
    const h = (sorted.length - 1) * q;
    const lo = Math.floor(h);
    return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? 0) - sorted[lo]!);
  });
  return [Number.NEGATIVE_INFINITY, ...new Set(inner), Number.POSITIVE_INFINITY];
}

export function simulate(options: SimulationOptions): SimulationResult {
  const random = createSeededRandom(options.seed);
  const windowsPerWeek = options.windowsPerWeek ?? 168;
  const features = options.numericFeatures + options.categoricalFeatures;
  const alpha = perTestAlpha(options.budgetPerWeek, windowsPerWeek, features);

  // The reference: its deciles give the bins; five consecutive chunks calibrate thresholds.
  const edges: number[][] = [];
  for (let j = 0; j < options.numericFeatures; j++) {
    const sample = new Float64Array(options.referenceRows);
    for (let i = 0; i < sample.length; i++) sample[i] = random.normal();
    edges.push(decileEdges(sample));
  }
  const none = { mean: () => 0, newShare: () => 0 };
  const chunkRows = Math.floor(options.referenceRows / 5);
  const chunks = Array.from({ length: 5 }, () => draw(random, chunkRows, options, edges, none));
  const baseline = mergeProfiles(chunks);

  const windows = Math.round(options.weeks * windowsPerWeek);
  let alarmWindows = 0;
  let breaches = 0;
  let detectionDelayWindows: number | null = null;
  const drift = options.drift;
  for (let w = 0; w < windows; w++) {
    const drifting = drift !== undefined && w >= drift.onsetWindow;
    const shifts = drifting
      ? {
          mean: (j: number) => (drift.meanShift && j < drift.meanShift.features ? drift.meanShift.sigma : 0),
          newShare: (j: number) => (j === 0 ? (drift.newCategoryShare ?? 0) : 0),
        }
      : none;
    const current = draw(random, options.windowRows, options, edges, shifts);
    let any = false;
    const check = (key: string, kind: 'numeric' | 'categorical', edgeList?: number[]) => {
      const comparison = compareColumn(key, kind, baseline, chunks, current, edgeList, {
        method: 'jensen_shannon',
        alpha,
      });
      if (comparison.status === 'alert') {
        breaches++;
        any = true;
        const driftedFeature =
          (kind === 'numeric' && drift?.meanShift && Number(key.slice(1)) < drift.meanShift.features) ||
          (kind === 'categorical' && key === 'c0' && (drift?.newCategoryShare ?? 0) > 0);
        if (drifting && driftedFeature && detectionDelayWindows === null)
          detectionDelayWindows = w - drift.onsetWindow;
      }
    };
    for (let j = 0; j < options.numericFeatures; j++) check(`x${j}`, 'numeric', edges[j]);
    for (let j = 0; j < options.categoricalFeatures; j++) check(`c${j}`, 'categorical');
    if (any && !drifting) alarmWindows++;
    if (drifting && detectionDelayWindows !== null) break;
  }
  const stationaryWindows = drift ? Math.min(windows, drift.onsetWindow) : windows;
  return {
    windows,
    tests: windows * features,
    alpha,
    alarmWindows,
    breaches,
    falseAlarmsPerWeek: stationaryWindows === 0 ? 0 : (alarmWindows / stationaryWindows) * windowsPerWeek,
    detectionDelayWindows,
  };
}
