/**
 * The overview's traffic buckets split into whole buckets and the one still filling. The last
 * bucket ends at the next whole hour, so at 10:20 it holds twenty minutes of traffic: drawn as
 * it is, every model's line would dip at its end and read as lost traffic. The sparkline draws
 * whole buckets as they are and the current one apart (dashed), at the rate it has had so far
 * (its count divided by the share of it that has elapsed), a value comparable with the others.
 */
import type { Overview } from '@vigil/sdk';

/** Before this share of the bucket has passed, a rate from it is mostly noise: it is not drawn. */
export const MIN_ELAPSED_FRACTION = 1 / 12;

export interface PartialBucket {
  /** Predictions so far in the current bucket. */
  count: number;
  /** Share of the bucket that has passed, in (0, 1). */
  elapsedFraction: number;
  /** The count at the rate so far for a whole bucket; null while too little of it has passed. */
  projected: number | null;
}

export interface TrafficSeries {
  /** Whole buckets, oldest first. */
  complete: number[];
  /** The bucket still filling, or null when every bucket is whole. */
  partial: PartialBucket | null;
}

export function splitTraffic(
  traffic: readonly number[],
  range: Overview['traffic_range'],
  generatedAt: string,
): TrafficSeries {
  const bucketMs = range.bucket_seconds * 1000;
  const lastStart = Date.parse(range.to) - bucketMs;
  const elapsedFraction = (Date.parse(generatedAt) - lastStart) / bucketMs;
  if (traffic.length === 0 || !(bucketMs > 0) || !(elapsedFraction > 0 && elapsedFraction < 1)) {
    return { complete: [...traffic], partial: null };
  }
  const count = traffic[traffic.length - 1]!;
  return {
    complete: traffic.slice(0, -1),
    partial: {
      count,
      elapsedFraction,
      projected: elapsedFraction >= MIN_ELAPSED_FRACTION ? count / elapsedFraction : null,
    },
  };
}
