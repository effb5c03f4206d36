/**
 * Time resolution of dashboard charts: the server folds data into at most `points` buckets
 * of a round width, so a chart over months of traffic costs the same as one over an hour.
 */
import { BadRequestError } from '../errors.js';

const SECOND = 1_000_000;
/** Round bucket widths, in seconds; wider ranges use whole weeks. */
const NICE_STEPS = [
  1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800,
  604_800,
];
const WEEK = 604_800;

export const DEFAULT_POINTS = 300;
export const MAX_POINTS = 2000;
/** Default range when `from` is absent. */
export const DEFAULT_RANGE_MICROS = 7 * 86_400 * SECOND;

export interface TimeRange {
  /** Aligned down to the step. */
  fromMicros: number;
  /** Aligned up to the step; exclusive. */
  toMicros: number;
  stepMicros: number;
}

/** The smallest round width that cuts [from, to) into at most `points` buckets, and at least `minStepSeconds`. */
export function chooseStep(rangeMicros: number, points: number, minStepSeconds = 1): number {
  const wanted = Math.max(rangeMicros / SECOND / points, minStepSeconds);
  const nice = NICE_STEPS.find((s) => s >= wanted);
  return (nice ?? Math.ceil(wanted / WEEK) * WEEK) * SECOND;
}

/** The range of a request: `to` defaults to now, `from` to a week before `to`. */
export function resolveRange(input: {
  fromMicros: number | undefined;
  toMicros: number | undefined;
  points: number;
  stepSeconds?: number | undefined;
  nowMicros: number;
}): TimeRange {
  const to = input.toMicros ?? input.nowMicros;
  const from = input.fromMicros ?? to - DEFAULT_RANGE_MICROS;
  if (from >= to) {
    throw new BadRequestError(
      'Query parameter "from" must be before "to" (the range is [from, to), at least one microsecond).',
    );
  }
  const stepMicros = chooseStep(to - from, input.points, input.stepSeconds ?? 1);
  return {
    fromMicros: Math.floor(from / stepMicros) * stepMicros,
    toMicros: Math.ceil(to / stepMicros) * stepMicros,
    stepMicros,
  };
}

/** `name=value` of a segment filter, as monitor results name it. */
export function parseSegment(raw: string | undefined): { name: string; value: string } | undefined {
  if (raw === undefined || raw === '') return undefined;
  const at = raw.indexOf('=');
  if (at <= 0) {
    throw new BadRequestError(
      `Query parameter "segment" must be name=value (e.g. region=eu); got "${raw.slice(0, 100)}".`,
    );
  }
  return { name: raw.slice(0, at), value: raw.slice(at + 1) };
}
