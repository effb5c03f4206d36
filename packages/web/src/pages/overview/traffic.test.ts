import { describe, expect, it } from 'vitest';
import { MIN_ELAPSED_FRACTION, splitTraffic } from './traffic';

const range = { from: '2026-03-01T11:00:00.000Z', to: '2026-03-02T11:00:00.000Z', bucket_seconds: 3600 };
const steady = [...Array.from({ length: 23 }, () => 120), 40];

describe('splitTraffic', () => {
  it('keeps whole hours as they are and draws the current one at its rate so far', () => {
    // 10:20: a third of the 10:00 bucket has passed, with 40 predictions: 120 an hour, like the rest.
    const series = splitTraffic(steady, range, '2026-03-02T10:20:00.000Z');
    expect(series.complete).toEqual(steady.slice(0, -1));
    expect(series.partial).toEqual({ count: 40, elapsedFraction: 1 / 3, projected: 120 });
  });

  it('draws no rate for the first minutes of a bucket, where it would be noise', () => {
    const series = splitTraffic([5, 5, 1], range, '2026-03-02T10:03:00.000Z');
    expect(series.complete).toEqual([5, 5]);
    expect(series.partial).toMatchObject({ count: 1, projected: null });
    expect(3 / 60).toBeLessThan(MIN_ELAPSED_FRACTION);
    const later = splitTraffic([5, 5, 1], range, '2026-03-02T10:05:00.000Z');
    expect(later.partial?.projected).toBeCloseTo(12);
  });

  it('treats every bucket as whole once the range has ended, and wider buckets alike', () => {
    expect(splitTraffic([1, 2], range, '2026-03-02T11:00:00.000Z')).toEqual({
      complete: [1, 2],
      partial: null,
    });
    expect(splitTraffic([], range, '2026-03-02T10:20:00.000Z')).toEqual({ complete: [], partial: null });
    // A week in 7-hour buckets: the last one runs 04:00–11:00; at 10:18, 0.9 of it has passed.
    const week = {
      from: '2026-02-23T11:00:00.000Z',
      to: '2026-03-02T11:00:00.000Z',
      bucket_seconds: 7 * 3600,
    };
    const series = splitTraffic([70, 63], week, '2026-03-02T10:18:00.000Z');
    expect(series.partial?.elapsedFraction).toBeCloseTo(0.9);
    expect(series.partial?.projected).toBeCloseTo(70);
  });
});
