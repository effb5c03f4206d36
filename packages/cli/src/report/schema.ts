/**
 * The JSON report's schema: the one definition from which docs/report.schema.json is generated
 * (`VIGIL_UPDATE_REPORT_SCHEMA=1 npx vitest run packages/cli/src/report/schema.test.ts`) and
 * against which the tests check what `vigil report --json` writes.
 */
import { TASKS } from '@vigil/server/domain';
import { z } from 'zod';

const status = z
  .enum(['ok', 'alert', 'insufficient_data', 'error'])
  .describe('ok: within its threshold; alert: beyond it; insufficient_data: too few rows to decide.');
const nullableNumber = z.number().nullable();

const input = z.strictObject({
  file: z.string().describe('The path as given on the command line.'),
  format: z.enum(['csv', 'parquet', 'ndjson', 'json']),
  gzipped: z.boolean(),
  rows: z.number().int(),
  columns: z.number().int(),
});

const histogram = z.strictObject({
  edges: z
    .array(nullableNumber)
    .optional()
    .describe('Numeric columns: bin edges, null for -/+ infinity; bin i holds edges[i] <= x < edges[i+1].'),
  categories: z
    .array(z.string())
    .optional()
    .describe('Categorical columns: the categories (at most 50 shown).'),
  reference: z.array(z.number()).describe('Reference counts per bin or category.'),
  current: z.array(z.number()).describe('Current counts per bin or category.'),
});

const drift = z.strictObject({
  column: z.string().describe('The feature, or prediction / score / label for output drift.'),
  monitor: z.enum(['feature_drift', 'prediction_drift', 'label_drift']),
  type: z.enum(['numeric', 'categorical']),
  method: z.string().describe('Drift method (jensen_shannon by default, as the server).'),
  value: nullableNumber,
  threshold: nullableNumber,
  threshold_direction: z
    .enum(['upper', 'lower'])
    .describe('upper: alerts above (distances); lower: below (p-values).'),
  threshold_source: z.string().nullable().describe('sampling noise, baseline chunk variation, or default.'),
  status,
  reason: z.string().nullable(),
  alpha: z.number().describe('Per-test false-alarm probability the threshold is set for.'),
  reference_size: z.number(),
  current_size: z.number(),
  reference_mean: nullableNumber,
  current_mean: nullableNumber,
  histogram: histogram.nullable(),
});

const quality = z.strictObject({
  column: z.string(),
  metric: z.enum(['missing_rate', 'out_of_range_rate', 'unseen_category_rate']),
  value: nullableNumber,
  threshold: z.number(),
  reference_value: nullableNumber,
  status,
  details: z.record(z.string(), z.unknown()),
});

const side = z.strictObject({
  missing: z.number(),
  distinct: nullableNumber,
  min: nullableNumber,
  max: nullableNumber,
  mean: nullableNumber,
  std: nullableNumber,
});

const columnType = z.enum(['numeric', 'boolean', 'categorical', 'timestamp', 'text']);

const metric = z.strictObject({
  metric: z.string(),
  value: nullableNumber,
  threshold_lower: nullableNumber,
  threshold_upper: nullableNumber,
  reference_value: nullableNumber,
  status,
  sample_size: z.number(),
  reason: z.string().nullable(),
});

const task = z.enum(TASKS);

export const ReportSchema = z
  .strictObject({
    schema_version: z.literal(1),
    generated_at: z.string(),
    generator: z.string(),
    reference: input,
    current: input,
    settings: z.strictObject({
      task,
      task_source: z.enum(['option', 'inferred']),
      false_alarms_per_week: z.number(),
      window: z.string().describe('The window the thresholds assume, as the server default monitors.'),
      budgeted_monitors: z.number().int(),
      drift_share_threshold: z.number(),
      category_limit: z.number().int(),
    }),
    columns: z.array(
      z.strictObject({
        name: z.string(),
        role: z.enum(['feature', 'target', 'prediction', 'score', 'segment', 'ignored']),
        type: columnType,
      }),
    ),
    approximations: z
      .array(z.string())
      .describe('What was computed approximately, and why; empty when exact.'),
    summary: z.strictObject({
      drifted_features: z.array(z.string()),
      evaluated_features: z.number().int(),
      drift_share: z.number(),
      dataset_drift: z.boolean(),
      quality_alerts: z.number().int(),
      performance_alerts: z.number().int(),
      fairness_alerts: z.number().int(),
      look_first: z.array(
        z.strictObject({
          section: z.enum([
            'drift',
            'quality',
            'performance',
            'estimated_performance',
            'multivariate',
            'fairness',
          ]),
          column: z.string().nullable(),
          message: z.string(),
        }),
      ),
      checks: z
        .strictObject({
          drift: z.enum(['pass', 'fail']),
          quality: z.enum(['pass', 'fail']),
          performance: z.enum(['pass', 'fail', 'not_evaluated']),
          fairness: z.enum(['pass', 'fail', 'not_evaluated']),
        })
        .describe('What --fail-on tests.'),
    }),
    quality: z.strictObject({
      rows: z.strictObject({ reference: z.number().int(), current: z.number().int() }),
      entries: z.array(quality),
      columns: z.array(
        z.strictObject({ column: z.string(), type: columnType, reference: side, current: side }),
      ),
    }),
    drift: z.strictObject({ features: z.array(drift), outputs: z.array(drift) }),
    multivariate: z
      .strictObject({
        method: z.literal('data_reconstruction'),
        features: z.array(z.string()),
        value: nullableNumber,
        threshold_lower: nullableNumber,
        threshold_upper: nullableNumber,
        reference_value: nullableNumber,
        status,
        reason: z.string().nullable(),
        sample_size: z.number(),
        components: z.number().int().nullable(),
      })
      .nullable(),
    performance: z
      .strictObject({
        task,
        positive_class: z.string().nullable(),
        labelled_rows: z.number().int(),
        label_coverage: z.number(),
        alpha: z.number(),
        metrics: z.array(metric),
      })
      .nullable(),
    estimated_performance: z
      .strictObject({
        method: z.literal('cbpe'),
        positive_class: z.string(),
        scored_rows: z.number().int(),
        alpha: z.number(),
        metrics: z.array(metric),
      })
      .nullable(),
    fairness: z
      .strictObject({
        attribute: z.string(),
        favourable: z.string(),
        groups: z.array(
          z.strictObject({
            group: z.string(),
            count: z.number().int(),
            selection_rate: z.number(),
            true_positive_rate: nullableNumber,
            included: z.boolean(),
          }),
        ),
        metrics: z.array(metric),
      })
      .nullable(),
  })
  .describe('The numbers of a `vigil report` run (see docs/report.md).');

/** The JSON Schema (draft 2020-12) of the report, as committed in docs/report.schema.json. */
export function reportJsonSchema(): Record<string, unknown> {
  return {
    title: 'Vigil offline report',
    ...z.toJSONSchema(ReportSchema, { target: 'draft-2020-12' }),
  };
}
