/** The dashboard's chart data: series aggregated by the server to the chart's resolution. */
import { z } from 'zod';
import { DEFAULT_POINTS, MAX_POINTS } from '../../dashboard/index.js';
import { MONITOR_KINDS, RESULT_STATUSES } from '../../domain/index.js';
import { timeBound } from './common.js';

export const SeriesQuery = z.object({
  from: timeBound('Start of the range (default: a week before `to`)'),
  to: timeBound('End of the range, exclusive (default: now)'),
  points: z.coerce
    .number()
    .int()
    .min(2)
    .max(MAX_POINTS)
    .default(DEFAULT_POINTS)
    .describe(
      'Most buckets to return: the server picks the smallest round step (1 s … 1 week) that fits the range into this many, so the answer stays small whatever the range.',
    ),
  version: z.string().min(1).optional().describe('Only this model version.'),
  segment: z.string().min(1).optional().describe('Only this segment, as `name=value`.'),
});

export const FeatureQuery = SeriesQuery.extend({
  dataset: z
    .string()
    .min(1)
    .optional()
    .describe('Reference dataset to compare with (the newest by default).'),
  current_from: timeBound(
    'Start of the data drawn as the current distribution, e.g. one window (default: the start of the range)',
  ),
  current_to: timeBound(
    'End of the data drawn as the current distribution, exclusive (default: the end of the range)',
  ),
});

const frame = {
  model: z.string(),
  from: z.string().describe('Start of the first bucket.'),
  to: z.string().describe('End of the last bucket (exclusive).'),
  step_seconds: z.number().describe('Width of every bucket.'),
  version: z.string().nullable(),
  segment: z.string().nullable(),
};

const Status = z.enum(RESULT_STATUSES);

export const MetricSeries = z
  .object({
    monitor: z.string(),
    kind: z.enum(MONITOR_KINDS),
    metric: z.string(),
    estimated: z.boolean().describe('An estimate made without labels (e.g. CBPE).'),
    points: z.array(
      z.object({
        start: z.string(),
        value: z.number().nullable().describe("The windows' values weighted by their sample sizes."),
        band_lower: z.number().nullable(),
        band_upper: z.number().nullable(),
        threshold_lower: z.number().nullable(),
        threshold_upper: z.number().nullable(),
        status: Status.describe('The worst status of the windows in the bucket.'),
        sample_size: z.number(),
        windows: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'MetricSeries' });

const Counts = z.record(z.string(), z.number());

export const ModelSeries = z
  .object({
    ...frame,
    task: z.string(),
    traffic: z.array(
      z.object({
        start: z.string(),
        predictions: z.number().int(),
        labeled: z.number().int(),
        label_coverage: z.number().nullable(),
        mean_score: z.number().nullable(),
      }),
    ),
    predictions: z.object({
      kind: z.enum(['categorical', 'numeric']),
      classes: z.array(z.object({ value: z.string(), count: z.number() })),
      over_time: z.array(z.object({ start: z.string(), counts: Counts })),
      histogram: z.object({ edges: z.array(z.number()), counts: z.array(z.number()) }).nullable(),
    }),
    performance: z.array(MetricSeries),
    quality: z.array(z.object({ start: z.string(), rows: z.number().int(), violations: Counts })),
    versions: z.array(z.string()),
    segments: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
  })
  .meta({ id: 'ModelSeries' });

export const DriftMap = z
  .object({
    ...frame,
    buckets: z.array(z.string()).describe('Bucket starts: the columns of the map.'),
    features: z.array(
      z.object({
        feature: z.string(),
        metric: z.string(),
        scores: z.array(z.number().nullable()),
        thresholds: z.array(z.number().nullable()),
        ratios: z.array(z.number().nullable()).describe('Score / threshold: above 1 breaches.'),
        statuses: z.array(Status.nullable()),
        max_ratio: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'DriftMap' });

export const FeatureDetail = z
  .object({
    ...frame,
    feature: z.string(),
    role: z.enum(['feature', 'segment']),
    type: z.string(),
    reference_dataset: z.string().nullable(),
    distribution: z.object({
      kind: z.enum(['numeric', 'categorical']),
      edges: z
        .array(z.number())
        .nullable()
        .describe('Shared bin edges; the first and last bin also count values beyond them.'),
      reference: z.array(z.number()),
      current: z.array(z.number()),
      categories: z
        .array(z.string().nullable())
        .nullable()
        .describe('The category of each count; null stands for all other categories.'),
      reference_missing: z.number(),
      current_missing: z.number(),
      reference_rows: z.number(),
      current_rows: z.number(),
      current_from: z.string().describe('Start of the data drawn as the current distribution.'),
      current_to: z.string().describe('End of the data drawn as the current distribution (exclusive).'),
    }),
    drift: z.array(MetricSeries),
    quality: z.array(
      z.object({ start: z.string(), rows: z.number().int(), missing: z.number().int(), violations: Counts }),
    ),
    examples: z.array(
      z.object({
        id: z.string(),
        timestamp: z.string(),
        value: z.union([z.number(), z.string(), z.boolean()]).nullable(),
        invalid_value: z.unknown(),
        prediction: z.string().nullable(),
        score: z.number().nullable(),
        label: z.string().nullable(),
        violations: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'FeatureDetail' });

export const FeatureParams = z.object({ model: z.string().min(1), feature: z.string().min(1) });
