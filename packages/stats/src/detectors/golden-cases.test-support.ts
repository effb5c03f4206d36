/** Test-only access to the detector golden fixture (written by scripts/golden/detectors.py). */
import { expect, it } from 'vitest';
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

/** How {@link goldenReplayTests} drives one detector through its golden cases. */
export interface GoldenReplaySpec<
  TState,
  TUpdate extends DetectorUpdate,
  TDetector extends StreamingDetector<TState, TUpdate>,
> {
  /** The detector's key in the fixture. */
  detector: string;
  /** The fixture must hold more cases than this. */
  minCases: number;
  /** Title of each case's test, before the case label. */
  title: string;
  create(c: GoldenCase): TDetector;
  fromState(state: TState): StreamingDetector<TState, TUpdate>;
  /** Values between two restarts in the resume test. */
  restartEvery: number;
  /** Number of cases the resume test replays (all when omitted). */
  resumeCases?: number;
  /** Also compare the warning indices (detectors with a warning zone). */
  warnings?: boolean;
  /** Checks the update at each traced index against the fixture's row `[index, ...values]`. */
  checkTrace?(row: (number | null)[], update: TUpdate, index: number, detector: TDetector): void;
}

/**
 * Registers, inside a `describe`, the golden tests every detector shares: the fixture has cases;
 * each case fires (and warns) at the reference indices, its traced statistics agree; and the detector
 * resumed from its JSON state every `restartEvery` values fires at the same indices.
 */
export function goldenReplayTests<
  TState,
  TUpdate extends DetectorUpdate,
  TDetector extends StreamingDetector<TState, TUpdate>,
>(spec: GoldenReplaySpec<TState, TUpdate, TDetector>): void {
  const { cases, streams } = goldenCases(spec.detector);
  it('has golden cases', () => expect(cases.length).toBeGreaterThan(spec.minCases));

  for (const c of cases) {
    it(`${spec.title}: ${caseLabel(c)}`, () => {
      const detector = spec.create(c);
      const check = spec.checkTrace;
      const traced = new Map((c.trace ?? []).map((row) => [row[0]!, row]));
      const { drifts, warnings } = replay(
        detector,
        streams[c.stream]!,
        check &&
          ((i, update) => {
            const row = traced.get(i);
            if (row) check(row, update, i, detector);
          }),
      );
      expect(drifts).toEqual(c.drifts);
      if (spec.warnings) expect(warnings).toEqual(c.warnings);
    });
  }

  it('resumes exactly from its JSON state', () => {
    for (const c of cases.slice(0, spec.resumeCases)) {
      const resumed = replayWithRestarts(
        () => spec.create(c),
        spec.fromState,
        streams[c.stream]!,
        spec.restartEvery,
      );
      if (spec.warnings) expect(resumed, caseLabel(c)).toEqual({ drifts: c.drifts, warnings: c.warnings });
      else expect(resumed.drifts, caseLabel(c)).toEqual(c.drifts);
    }
  });
}
