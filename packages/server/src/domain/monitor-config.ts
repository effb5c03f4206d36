/**
 * What a monitor watches and how: one schema gives request validation, TypeScript types and
 * the OpenAPI document. Field names are snake_case as in the rest of the API.
 */
import { MONITOR_DRIFT_METHODS } from '@vigil/stats';
import { z } from 'zod';

/** Clock-aligned window lengths (UTC), from one minute to one day. */
export const WINDOW_SIZES = {
  '1m': 60_000_000,
  '5m': 300_000_000,
  '15m': 900_000_000,
  '30m': 1_800_000_000,
  '1h': 3_600_000_000,
  '6h': 21_600_000_000,
  '12h': 43_200_000_000,
  '1d': 86_400_000_000,
} as const;
export type WindowSize = keyof typeof WINDOW_SIZES;

const windowSizeNames = Object.keys(WINDOW_SIZES) as [WindowSize, ...WindowSize[]];

export const WindowSpec = z
  .union(
    [
      z
        .object({ size: z.enum(windowSizeNames).describe('Tumbling window aligned to the UTC clock.') })
        .strict(),
      z
        .object({
          last_n: z
            .number()
            .int()
            .min(10)
            .max(1_000_000)
            .describe('The newest N predictions, re-evaluated as they come.'),
        })
        .strict(),
    ],
    // A union's own message is a bare "Invalid input": say what a window may be.
    { error: (issue) => windowError(issue.input) },
  )
  .meta({ id: 'MonitorWindow' });

function windowError(input: unknown): string {
  const sizes = windowSizeNames.join(', ');
  const size = input !== null && typeof input === 'object' ? (input as { size?: unknown }).size : undefined;
  if (size !== undefined && !(typeof size === 'string' && Object.hasOwn(WINDOW_SIZES, size))) {
    return `${JSON.stringify(size)} is not a window size: use one of ${sizes} (windows are aligned to the UTC clock), or {"last_n": N} for the newest N predictions`;
  }
  return `a window is either {"size": one of ${sizes}} or {"last_n": N} with N from 10 to 1,000,000`;
}
export type WindowSpec = z.infer<typeof WindowSpec>;

export const BaselineSpec = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('reference'),
        dataset: z
          .string()
          .min(1)
          .max(100)
          .optional()
          .describe('Reference dataset name; the newest one by default.'),
      })
      .strict(),
    z
      .object({
        type: z.literal('period'),
        from: z.iso.datetime({ offset: true }),
        to: z.iso.datetime({ offset: true }),
      })
      .strict(),
    z
      .object({
        type: z.literal('trailing'),
        windows: z.number().int().min(1).max(1000).describe('The K windows before the evaluated one.'),
      })
      .strict(),
  ])
  .meta({ id: 'MonitorBaseline' });
export type BaselineSpec = z.infer<typeof BaselineSpec>;

/** The methods @vigil/stats implements for drift monitors. */
export const DRIFT_METHODS = MONITOR_DRIFT_METHODS;
export const DriftMethod = z.enum(DRIFT_METHODS);
export type DriftMethod = z.infer<typeof DriftMethod>;

const Bounds = z
  .object({ lower: z.number().optional(), upper: z.number().optional() })
  .strict()
  .refine((b) => b.lower !== undefined || b.upper !== undefined, 'give `lower`, `upper` or both')
  .meta({ id: 'Bounds' });
export type Bounds = z.infer<typeof Bounds>;

export const CUSTOM_AGGREGATES = [
  'count',
  'mean',
  'sum',
  'min',
  'max',
  'std',
  'share',
  'rate',
  'missing_rate',
] as const;
export const PREDICATE_OPS = ['<', '<=', '>', '>=', '==', '!='] as const;

const common = {
  window: WindowSpec.default({ size: '1h' }),
  baseline: BaselineSpec.default({ type: 'reference' }),
  version: z.string().min(1).max(100).optional().describe('Watch only this model version.'),
  segment: z
    .object({ name: z.string().min(1), value: z.string() })
    .strict()
    .optional()
    .describe('Watch only the traffic of one segment value.'),
  min_sample_size: z
    .number()
    .int()
    .min(1)
    .max(10_000_000)
    .optional()
    .describe('Windows with fewer rows are reported as insufficient_data (a default per kind applies).'),
};

/** Drift of the model's outputs or of its labels: one method and one threshold. */
function outputDrift<K extends 'prediction_drift' | 'label_drift'>(kind: K) {
  return z
    .object({
      kind: z.literal(kind),
      ...common,
      method: DriftMethod.optional(),
      threshold: z.number().positive().optional(),
    })
    .strict();
}

const features = z
  .array(z.string().min(1))
  .max(10_000)
  .optional()
  .describe('Features to watch; all by default.');

export const MonitorConfig = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('data_quality'),
        ...common,
        features,
        max_missing_rate_increase: z.number().min(0).max(1).default(0.1),
        max_out_of_range_rate: z.number().min(0).max(1).default(0.05),
        max_unseen_category_rate: z.number().min(0).max(1).default(0.05),
        max_violation_rate: z.number().min(0).max(1).default(0.01),
      })
      .strict(),
    z
      .object({
        kind: z.literal('feature_drift'),
        ...common,
        features,
        method: DriftMethod.optional().describe('Method for every feature; chosen per type when absent.'),
        methods: z.record(z.string(), DriftMethod).optional().describe('Method per feature.'),
        thresholds: z
          .record(z.string(), z.number().positive())
          .optional()
          .describe('Fixed threshold per feature, instead of the one calibrated on the reference.'),
      })
      .strict(),
    outputDrift('prediction_drift'),
    outputDrift('label_drift'),
    z
      .object({
        kind: z.literal('multivariate_drift'),
        ...common,
        features: z
          .array(z.string().min(1))
          .min(2)
          .max(1000)
          .optional()
          .describe('Numeric, categorical or boolean features to watch together; all of them by default.'),
        max_sample_rows: z
          .number()
          .int()
          .min(100)
          .max(100_000)
          .default(5000)
          .describe('Rows drawn at most from the window and from the baseline (a deterministic sample).'),
        domain_classifier: z
          .boolean()
          .default(false)
          .describe(
            'Also train a classifier to tell the window from the baseline (its ROC AUC is reported).',
          ),
        threshold: Bounds.optional().describe(
          'Fixed bounds on the reconstruction error, instead of the ones calibrated on the baseline.',
        ),
      })
      .strict(),
    z
      .object({
        kind: z.literal('performance'),
        ...common,
        metrics: z
          .array(z.string().min(1))
          .min(1)
          .max(20)
          .optional()
          .describe("Metrics; the task's defaults when absent."),
        thresholds: z
          .record(z.string(), Bounds)
          .optional()
          .describe('Fixed bounds per metric, instead of calibrated ones.'),
      })
      .strict(),
    z
      .object({
        kind: z.literal('estimated_performance'),
        ...common,
        metrics: z
          .array(z.enum(['accuracy', 'precision', 'recall', 'f1']))
          .min(1)
          .optional()
          .describe('Metrics to estimate; all four by default.'),
        thresholds: z
          .record(z.string(), Bounds)
          .optional()
          .describe('Fixed bounds per metric, instead of calibrated ones.'),
      })
      .strict(),
    z
      .object({
        kind: z.literal('fairness'),
        ...common,
        attributes: z
          .array(z.string().min(1))
          .min(1)
          .max(20)
          .optional()
          .describe(
            "Sensitive attributes (segments or categorical features); the schema's sensitive_attributes by default.",
          ),
        favourable: z.string().optional().describe('The favourable outcome; the positive class by default.'),
        min_group_size: z.number().int().min(1).default(30),
        max_parity_difference: z.number().min(0).max(1).default(0.1),
        min_parity_ratio: z.number().min(0).max(1).default(0.8).describe('The four-fifths rule by default.'),
        max_equal_opportunity_difference: z.number().min(0).max(1).default(0.1),
      })
      .strict(),
    z
      .object({
        kind: z.literal('traffic'),
        ...common,
        min_count: z.number().int().min(0).optional().describe('Alert when a window has fewer predictions.'),
        max_count: z.number().int().min(1).optional().describe('Alert when a window has more predictions.'),
        drop_ratio: z
          .number()
          .min(0)
          .max(1)
          .default(0.5)
          .describe('Alert below this share of the usual volume.'),
        spike_ratio: z.number().min(1).default(3).describe('Alert above this multiple of the usual volume.'),
        history_windows: z
          .number()
          .int()
          .min(1)
          .max(28)
          .default(7)
          .describe('Past windows at the same hour to compare with.'),
      })
      .strict(),
    z
      .object({
        kind: z.literal('custom_metric'),
        ...common,
        metric: z
          .string()
          .min(1)
          .max(100)
          .regex(/^[A-Za-z0-9_.-]+$/)
          .describe('Name of the series.'),
        aggregate: z.enum(CUSTOM_AGGREGATES),
        column: z
          .string()
          .min(1)
          .optional()
          .describe('A feature name, or `prediction`, `score`, `label`. Not needed for `count`.'),
        category: z.string().optional().describe('For `share`: the category whose share is measured.'),
        predicate: z
          .object({ op: z.enum(PREDICATE_OPS), value: z.number() })
          .strict()
          .optional()
          .describe('For `rate`: the share of rows whose value satisfies it.'),
        threshold: Bounds,
      })
      .strict(),
  ])
  .meta({ id: 'MonitorConfig' });
export type MonitorConfig = z.infer<typeof MonitorConfig>;
export type MonitorConfigInput = z.input<typeof MonitorConfig>;
