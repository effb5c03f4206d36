import { z } from 'zod';
import { MAX_NAME_LENGTH } from '../../domain/index.js';
import { Cursor, queryBoolean, Timestamp, timeBound, tooLong } from './common.js';

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const FeatureValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One logged prediction, as clients send it. */
export const PredictionRecord = z
  .object({
    id: z.string().min(1).max(MAX_NAME_LENGTH).optional().describe('Client-given id; generated when absent.'),
    timestamp: Timestamp.optional().describe('When the prediction was made; defaults to now.'),
    version: z.string().max(MAX_NAME_LENGTH).optional().describe('Model version that made the prediction.'),
    features: z.record(z.string(), FeatureValue).describe('Input features by name.'),
    prediction: Scalar,
    score: z.number().optional().describe('Positive-class score (binary) or any scalar confidence.'),
    scores: z.record(z.string(), z.number()).optional().describe('Per-class probabilities.'),
    label: Scalar.optional().describe('True outcome, when it is known at prediction time.'),
    segments: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .meta({ id: 'PredictionRecord' });
export type PredictionRecord = z.infer<typeof PredictionRecord>;

/** A per-row field of a columnar body: one value per row (null where absent), or one scalar for every row. */
function column<T extends z.ZodType>(value: T) {
  return z.union([z.array(value.nullable()), value]);
}

/** Predictions by column (`application/vnd.vigil.columns+json`): row `i` is made of the `i`-th value of every array. */
export const PredictionColumns = z
  .object({
    length: z.number().int().min(0).describe('Number of rows; every array has exactly this many values.'),
    id: column(z.string().min(1).max(MAX_NAME_LENGTH)).optional(),
    timestamp: column(Timestamp).optional(),
    version: column(z.string().max(MAX_NAME_LENGTH))
      .optional()
      .describe('Usually one scalar for the whole batch.'),
    prediction: column(Scalar),
    score: column(z.number()).optional(),
    scores: z
      .record(z.string(), column(z.number()))
      .optional()
      .describe('Per-class probabilities, by class.'),
    label: column(Scalar).optional(),
    features: z.record(z.string(), column(FeatureValue)).optional().describe('Feature columns by name.'),
    segments: z.record(z.string(), column(Scalar)).optional(),
  })
  .meta({ id: 'PredictionColumns' });
export type PredictionColumns = z.infer<typeof PredictionColumns>;

/** A true outcome that arrives after its prediction. */
export const LabelRecord = z
  .object({
    id: z.string().min(1).max(MAX_NAME_LENGTH),
    label: Scalar,
    timestamp: Timestamp.optional().describe('When the outcome became known; defaults to now.'),
  })
  .meta({ id: 'LabelRecord' });
export type LabelRecord = z.infer<typeof LabelRecord>;

import { IngestResult } from '../../domain/ingest.js';

export { IngestResult, RejectedRecord } from '../../domain/ingest.js';

export const StoredPrediction = z
  .object({
    id: z.string(),
    timestamp: z.string(),
    version: z.string().nullable(),
    features: z
      .record(z.string(), z.unknown())
      .describe('Features as stored; a value that broke its type comes back exactly as it was sent.'),
    prediction: Scalar.nullable(),
    score: z.number().nullable(),
    scores: z.record(z.string(), z.number()).nullable(),
    label: Scalar.nullable(),
    label_timestamp: z.string().nullable(),
    segments: z.record(z.string(), z.string()),
    quality_violations: z.array(z.string()),
  })
  .meta({ id: 'StoredPrediction' });
export type StoredPrediction = z.infer<typeof StoredPrediction>;

export const PredictionPage = z.object({
  data: z.array(StoredPrediction),
  next_cursor: z.string().nullable(),
});

export const PredictionQuery = z.object({
  from: timeBound('Inclusive lower bound on timestamp'),
  to: timeBound('Exclusive upper bound on timestamp'),
  version: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: Cursor.optional(),
});

export const BUCKETS = ['minute', 'hour', 'day', 'week'] as const;
export const CountQuery = z.object({
  from: timeBound('Inclusive lower bound on timestamp'),
  to: timeBound('Exclusive upper bound on timestamp'),
  version: z.string().optional(),
  bucket: z.enum(BUCKETS).default('hour'),
});

export const WindowCount = z.object({
  window_start: z.string(),
  predictions: z.number().int(),
  labeled: z.number().int(),
});
export const WindowCountList = z.object({ data: z.array(WindowCount) });

/**
 * Unknown parameters of a reference upload are refused, not ignored: a misspelt column option
 * (`label=y` for `label_column=y`) would otherwise store the label as a feature without a word.
 */
const referenceQueryError = (issue: { code?: string; keys?: string[] }) => {
  if (issue.code !== 'unrecognized_keys' || !issue.keys) return undefined;
  const hints = issue.keys.map((key) =>
    ['id', 'timestamp', 'prediction', 'score', 'label'].includes(key)
      ? `"${key}" (did you mean "${key}_column"?)`
      : `"${key}"`,
  );
  return `Unknown query parameter${hints.length > 1 ? 's' : ''} ${hints.join(', ')}; a reference upload takes version, dataset, replace, id_column, timestamp_column, prediction_column, score_column and label_column.`;
};

export const ReferenceQuery = z.strictObject(
  {
    version: z.string().optional().describe('Model version the reference data belongs to.'),
    dataset: z
      .string()
      .min(1)
      .max(MAX_NAME_LENGTH, tooLong)
      .optional()
      .describe('Name of the reference dataset; defaults to "default".'),
    replace: queryBoolean(false).describe(
      'true: replace the rows of an existing dataset of that name; false (default): append.',
    ),
    id_column: z
      .string()
      .min(1)
      .max(300)
      .optional()
      .describe("Column holding the row id (default: the schema's id_field)."),
    timestamp_column: z
      .string()
      .min(1)
      .max(300)
      .optional()
      .describe("Column holding the row's time (default: the schema's timestamp_field)."),
    prediction_column: z
      .string()
      .min(1)
      .max(300)
      .optional()
      .describe(
        "Column holding the prediction (default: the schema's prediction_field; without a schema, a column named prediction, y_pred, pred, … when there is one).",
      ),
    score_column: z
      .string()
      .min(1)
      .max(300)
      .optional()
      .describe(
        "Column holding the positive-class score (default: the schema's score_field; without a schema, score, y_pred_proba, proba, probability, …).",
      ),
    label_column: z
      .string()
      .min(1)
      .max(300)
      .optional()
      .describe(
        "Column holding the true outcome (default: the schema's label_field; without a schema, label, target, y_true, ground_truth, …).",
      ),
  },
  { error: referenceQueryError },
);

/** What an inferred schema made of a reference upload's columns. */
export const InferredColumns = z
  .object({
    features: z.array(z.string()),
    segments: z.array(z.string()),
    id: z.string().nullable(),
    timestamp: z.string().nullable(),
    prediction: z.string().nullable(),
    score: z.string().nullable(),
    label: z.string().nullable(),
  })
  .meta({ id: 'InferredColumns' });

export const ReferenceResult = IngestResult.extend({
  schema_inferred: z.boolean(),
  inferred: InferredColumns.nullable().describe(
    'When this upload inferred the schema: its features and segments, and the column read as id, timestamp, prediction, score and label (null: none).',
  ),
  replayed: z
    .boolean()
    .describe(
      'True when the same upload (same body, or same Idempotency-Key) was applied before: nothing was stored again.',
    ),
}).meta({ id: 'ReferenceResult' });

export const ReferenceRowsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
});

export const StoredReferenceRow = StoredPrediction.omit({ label_timestamp: true }).meta({
  id: 'StoredReferenceRow',
});

export const ReferenceRowPage = z.object({
  data: z.array(StoredReferenceRow),
  next_cursor: z.string().nullable(),
});
