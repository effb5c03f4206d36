/** Test-only access to the detector golden fixture (written by scripts/golden/detectors.py). */
import { loadGolden } from '../test-support.js';
import type { DetectorUpdate, StreamingDetector } from './types.js';

export interface GoldenCase {
  detector: string;
  stream: string;
  params: Record<string, number | string | null>;
  drifts: number[];
  warnings?: number[];
  /** Sampled internal statistics: [index, ...values]. */
  trace?: (number | null)[][];
}

interface DetectorFixture {
  generator: string;
  streams: Record<string, number[]>;
  cases: GoldenCase[];
}

const fixture = loadGolden<DetectorFixture>('detectors');

export function goldenCases(detector: string): { cases: GoldenCase[]; streams: Record<string, number[]> } {
  return { cases: fixture.cases.filter((c) => c.detector === detector), streams: fixture.streams };
}

export function caseLabel(c: GoldenCase): string {
  return `${c.stream} ${JSON.stringify(c.params)}`;
}

/** Feeds a stream and collects the indices where the detector raised drift and warning. */
export function replay<TState, TUpdate extends DetectorUpdate>(
  detector: StreamingDetector<TState, TUpdate>,
  stream: ArrayLike<number>,
  onUpdate?: (index: number, update: TUpdate) => void,
): { drifts: number[]; warnings: number[] } {
  const drifts: number[] = [];
  const warnings: number[] = [];
  for (let i = 0; i < stream.length; i++) {
    const update = detector.update(stream[i]!);
    if (update.drift) drifts.push(i);
    if (update.warning) warnings.push(i);
    onUpdate?.(i, update);
  }
  return { drifts, warnings };
}

/**
 * Feeds a stream, but every `every` values persists the detector as JSON and resumes from a
 * fresh instance, as the server does between evaluations.
 */
export function replayWithRestarts<TState, TUpdate extends DetectorUpdate>(
  create: () => StreamingDetector<TState, TUpdate>,
  restore: (state: TState) => StreamingDetector<TState, TUpdate>,
  stream: ArrayLike<number>,
  every: number,
): { drifts: number[]; warnings: number[] } {
  let detector = create();
  const drifts: number[] = [];
  const warnings: number[] = [];
  for (let i = 0; i < stream.length; i++) {
    if (i > 0 && i % every === 0) detector = restore(JSON.parse(JSON.stringify(detector.state)) as TState);
    const update = detector.update(stream[i]!);
    if (update.drift) drifts.push(i);
    if (update.warning) warnings.push(i);
  }
  return { drifts, warnings };
}
