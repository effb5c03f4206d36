/**
 * Simulated performance monitoring of a binary classifier with labels, to prove what the
 * default performance thresholds achieve: the false alarms per week when the model performs as
 * on the reference, and the windows it takes to see an accuracy drop. It runs the same code as
 * evaluation (`classificationMetrics`, `baselineBand`, `perTestAlpha`, the reference chunks) on
 * simulated confusion counts, without a store.
 */
import { createSeededRandom, type RandomStream } from '@vigil/stats';
import type { WindowProfile } from '../storage/profiles.js';
import { chunkCount } from './context.js';
import { mergeProfiles } from './profile-math.js';
import { baselineBand, classificationMetrics } from './signals/performance.js';
import { oneSidedZ, perTestAlpha } from './thresholds.js';

export interface PerformanceSimulationOptions {
  seed: number;
  weeks: number;
  /** Labelled predictions per window. */
  windowRows: number;
  /** Labelled rows of the reference. */
  referenceRows: number;
  /** Share of positive labels. */
  prevalence: number;
  /** Probability that a prediction is right, for either class. */
  accuracy: number;
  /** The performance monitor's share of the model's false-alarm budget (per week). */
  budgetPerWeek: number;
  windowsPerWeek?: number;
  /** From `onsetWindow` on, predictions are right `accuracyDrop` less often. */
  drift?: { onsetWindow: number; accuracyDrop: number };
}

export interface PerformanceSimulationResult {
  windows: number;
  tests: number;
  alpha: number;
  /** Stationary windows in which at least one metric breached (each raises at most one grouped alert). */
  alarmWindows: number;
  falseAlarmsPerWeek: number;
  /** Windows from the onset to the first breach (null if never). */
  detectionDelayWindows: number | null;
}

/** The metrics of the default performance monitor of a binary classifier. */
const METRICS = ['accuracy', 'precision', 'recall', 'f1'] as const;

function confusionProfile(
  random: RandomStream,
  n: number,
  prevalence: number,
  accuracy: number,
): WindowProfile {
  const cells = { tp: 0, fn: 0, fp: 0, tn: 0 };
  for (let i = 0; i < n; i++) {
    const positive = random.uniform() < prevalence;
    const right = random.uniform() < accuracy;
    if (positive) cells[right ? 'tp' : 'fn']++;
    else cells[right ? 'tn' : 'fp']++;
  }
  const profile = mergeProfiles([]);
  profile.rows = n;
  profile.labeled = n;
  profile.confusion = [
    { prediction: '1', label: '1', count: cells.tp },
    { prediction: '0', label: '1', count: cells.fn },
    { prediction: '1', label: '0', count: cells.fp },
    { prediction: '0', label: '0', count: cells.tn },
  ];
  return profile;
}

export function simulatePerformance(options: PerformanceSimulationOptions): PerformanceSimulationResult {
  const random = createSeededRandom(options.seed);
  const windowsPerWeek = options.windowsPerWeek ?? 168;
  const alpha = perTestAlpha(options.budgetPerWeek, windowsPerWeek, METRICS.length);
  const z = oneSidedZ(alpha);

  // The reference, cut into chunks of about a window's size as evaluation cuts it.
  const pieces = chunkCount(options.referenceRows, options.windowRows);
  const chunkRows = Math.floor(options.referenceRows / pieces);
  const chunks = Array.from({ length: pieces }, () =>
    confusionProfile(random, chunkRows, options.prevalence, options.accuracy),
  );
  const reference = classificationMetrics(mergeProfiles(chunks), '1', false);
  const chunkMetrics = chunks.map((c) => classificationMetrics(c, '1', false));

  const windows = Math.round(options.weeks * windowsPerWeek);
  const drift = options.drift;
  let alarmWindows = 0;
  let detectionDelayWindows: number | null = null;
  for (let w = 0; w < windows; w++) {
    const drifting = drift !== undefined && w >= drift.onsetWindow;
    const accuracy = options.accuracy - (drifting ? drift.accuracyDrop : 0);
    const now = classificationMetrics(
      confusionProfile(random, options.windowRows, options.prevalence, accuracy),
      '1',
      false,
    );
    // Higher is better for all four: only the lower threshold alarms, as in evaluation.
    const breached = METRICS.some((metric) => {
      const value = now[metric]!;
      if (!Number.isFinite(value.value)) return false;
      const band = baselineBand(metric, reference[metric]!, chunkMetrics, value, options.windowRows, z);
      return value.value < band.lower;
    });
    if (breached && !drifting) alarmWindows++;
    if (breached && drifting) {
      detectionDelayWindows = w - drift.onsetWindow;
      break;
    }
  }
  const stationaryWindows = drift ? Math.min(windows, drift.onsetWindow) : windows;
  return {
    windows,
    tests: windows * METRICS.length,
    alpha,
    alarmWindows,
    falseAlarmsPerWeek: stationaryWindows === 0 ? 0 : (alarmWindows / stationaryWindows) * windowsPerWeek,
    detectionDelayWindows,
  };
}
