/**
 * Champion / challenger on live traffic: two versions' predictions for the same prediction ids,
 * compared paired on the same windows and labels (GET /api/v1/models/{model}/compare), and the
 * shadow predictions that let a second version predict ids the serving version already logged.
 */
import { z } from 'zod';
import { MAX_NAME_LENGTH } from '../../domain/index.js';
import { WINDOW_SIZES, type WindowSize } from '../../domain/monitor-config.js';
import { Timestamp, timeBound } from './common.js';

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

const windowSizeNames = Object.keys(WINDOW_SIZES) as [WindowSize, ...WindowSize[]];

export const COMPARISON_METRICS = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'roc_auc',
  'macro_recall',
  'mae',
  'rmse',
] as const;
export type ComparisonMetric = (typeof COMPARISON_METRICS)[number];

export const ESTIMATED_METRICS = ['accuracy', 'precision', 'recall', 'f1'] as const;

export const CompareQuery = z.object({
  a: z
    .string()
    .min(1)
    .max(MAX_NAME_LENGTH)
    .describe('Version name or alias of one side, usually the champion (e.g. `champion` or `3`).'),
  b: z
    .string()
    .min(1)
    .max(MAX_NAME_LENGTH)
    .describe('Version name or alias of the other side, usually the challenger.'),
  from: timeBound('Start of the period (inclusive); default: 7 days before `to`'),
  to: timeBound('End of the period (exclusive); default: now'),
  window: z
    .enum(windowSizeNames)
    .optional()
    .describe('Also compare per clock-aligned window of this length (UTC); at most 500 windows.'),
  confidence: z.coerce
    .number()
    .min(0.5)
    .max(0.999)
    .default(0.95)
    .describe('Confidence level of the intervals (two-sided).'),
});
export type CompareQuery = z.infer<typeof CompareQuery>;

export const ComparedVersion = z
  .object({
    version: z.string().describe('The version compared.'),
    requested: z.string().describe('What the query named: the version itself or an alias.'),
    alias: z.string().nullable().describe('The alias it was resolved from, if any.'),
  })
  .meta({ id: 'ComparedVersion' });

export const MetricComparison = z
  .object({
    metric: z.enum(COMPARISON_METRICS),
    greater_is_better: z.boolean(),
    test: z
      .enum(['mcnemar', 'delong', 'paired_bootstrap'])
      .describe(
        'McNemar (exact) with a Newcombe interval for accuracy, DeLong for ROC AUC, a paired bootstrap otherwise.',
      ),
    status: z
      .enum(['ok', 'insufficient_data'])
      .describe('`insufficient_data`: too few labelled pairs (see `reason`); the numbers are then null.'),
    reason: z.string().nullable(),
    a: z.number().nullable().describe("A's value on the labelled pairs."),
    b: z.number().nullable().describe("B's value on the same pairs."),
    difference: z.number().nullable().describe('b − a: positive when B scores higher.'),
    lower: z.number().nullable().describe('Lower bound of the paired interval of b − a.'),
    upper: z.number().nullable().describe('Upper bound of the paired interval of b − a.'),
    p_value: z.number().nullable().describe('Two-sided p-value of the paired test of no difference.'),
    sample_size: z
      .number()
      .int()
      .describe(
        'Labelled pairs the numbers come from: all of them, or a deterministic sample of at most 10,000 for DeLong and the bootstrap.',
      ),
    sampled: z.boolean().describe('True when `sample_size` is a sample of the labelled pairs.'),
    better: z
      .enum(['a', 'b'])
      .nullable()
      .describe(
        'The side that is significantly better at the chosen confidence (null: no evidence either way).',
      ),
  })
  .meta({ id: 'MetricComparison' });
export type MetricComparison = z.infer<typeof MetricComparison>;

const EstimatedMetrics = z.record(z.enum(ESTIMATED_METRICS), z.number().nullable());

export const EstimatedComparison = z
  .object({
    method: z.literal('cbpe'),
    status: z.enum(['ok', 'insufficient_data']),
    reason: z.string().nullable(),
    a: EstimatedMetrics.nullable().describe("A's estimated performance on the paired predictions."),
    b: EstimatedMetrics.nullable().describe("B's estimated performance on the same predictions."),
    calibration: z.string().nullable().describe('The reference data the scores are calibrated on.'),
  })
  .meta({ id: 'EstimatedComparison' });

export const ComparisonWindow = z
  .object({
    start: z.string(),
    end: z.string(),
    pairs: z.number().int().describe('Prediction ids both versions predicted in this window.'),
    labelled: z.number().int().describe('Pairs with a label.'),
    agreement: z
      .object({
        rate: z.number().nullable().describe('Share of pairs with the same prediction (null: no pairs).'),
        agreeing: z.number().int(),
        mean_absolute_difference: z
          .number()
          .nullable()
          .describe('Regression: the mean |prediction a − prediction b| (null otherwise).'),
      })
      .describe('Available before labels arrive.'),
    estimated: EstimatedComparison.nullable().describe(
      'Binary classification: estimated performance of each side (CBPE, as the estimated-performance monitor computes it); null for other tasks.',
    ),
    metrics: z.array(MetricComparison).describe('One entry per performance metric of the task.'),
  })
  .meta({ id: 'ComparisonWindow' });
export type ComparisonWindow = z.infer<typeof ComparisonWindow>;

export const ComparisonResult = z
  .object({
    model: z.string(),
    task: z.string(),
    a: ComparedVersion,
    b: ComparedVersion,
    from: z.string(),
    to: z.string(),
    window: z.enum(windowSizeNames).nullable(),
    confidence: z.number(),
    positive_class: z.string().nullable().describe('Binary classification: the class counted as positive.'),
    overall: ComparisonWindow.describe('The whole period.'),
    windows: z
      .array(ComparisonWindow)
      .describe('Per window (oldest first) when `window` is given; only windows with pairs.'),
  })
  .meta({ id: 'ComparisonResult' });
export type ComparisonResult = z.infer<typeof ComparisonResult>;

export const ShadowPrediction = z
  .object({
    id: z
      .string()
      .min(1)
      .max(MAX_NAME_LENGTH)
      .describe('The id of the prediction the serving version logged for the same request.'),
    timestamp: Timestamp.optional().describe('When the shadow version predicted; defaults to now.'),
    prediction: Scalar,
    score: z.number().optional().describe('Positive-class score (binary) or any scalar confidence.'),
    scores: z.record(z.string(), z.number()).optional().describe('Per-class probabilities.'),
  })
  .meta({ id: 'ShadowPrediction' });

export const ShadowPredictionBatch = z
  .object({
    version: z.string().min(1).max(MAX_NAME_LENGTH).describe('The shadow (challenger) version.'),
    predictions: z.array(ShadowPrediction).min(1).max(10_000),
  })
  .meta({ id: 'ShadowPredictionBatch' });
export type ShadowPredictionBatch = z.infer<typeof ShadowPredictionBatch>;

export const ShadowIngestResult = z
  .object({
    accepted: z.number().int().describe('Stored now, durably.'),
    duplicates: z
      .number()
      .int()
      .describe('Already stored for this version and id (re-sent): stored once, the first one kept.'),
  })
  .meta({ id: 'ShadowIngestResult' });
