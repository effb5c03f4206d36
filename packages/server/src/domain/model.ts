/**
 * The model domain: what a model predicts and what its records contain. The HTTP layer,
 * ingestion, storage and monitors all speak these types; the domain depends on none of them.
 */
import { z } from 'zod';

/**
 * The longest model, version and dataset name and record id. Each appears as a path segment of
 * some URL, and the server's router accepts segments up to this length (its `maxParamLength`,
 * measured after percent-decoding), so whatever can be created can be addressed.
 */
export const MAX_NAME_LENGTH = 200;

export const TASKS = ['binary_classification', 'multiclass_classification', 'regression'] as const;
export const Task = z.enum(TASKS);
export type Task = z.infer<typeof Task>;

export const FEATURE_TYPES = ['numeric', 'categorical', 'boolean', 'text', 'timestamp'] as const;
export const FeatureType = z.enum(FEATURE_TYPES);
export type FeatureType = z.infer<typeof FeatureType>;

export const FeatureSpec = z
  .object({
    name: z
      .string()
      .min(1)
      .max(300)
      .refine((name) => name !== '__proto__', {
        message: '"__proto__" is not accepted as a feature name (it could change objects\' prototypes)',
      }),
    type: FeatureType,
    description: z.string().max(2000).optional(),
    categories: z
      .array(z.string())
      .max(10_000)
      .optional()
      .describe('Known categories; other values are stored and counted as unseen categories.'),
  })
  .meta({ id: 'FeatureSpec' });
export type FeatureSpec = z.infer<typeof FeatureSpec>;

/**
 * What a model's records contain. Field names say which column of a flat file
 * (CSV, Parquet) holds the prediction, scores, label, id and timestamp.
 */
const ModelSchemaFields = z.object({
  features: z
    .array(FeatureSpec)
    .max(10_000)
    .describe('Each name once; no feature may share its name with a segment.'),
  prediction_field: z.string().default('prediction'),
  score_field: z.string().optional().describe('Positive-class score column (binary classification).'),
  class_score_fields: z
    .record(z.string(), z.string())
    .optional()
    .describe('Class name → probability column (multiclass classification).'),
  label_field: z.string().default('label'),
  id_field: z.string().default('id'),
  timestamp_field: z.string().default('timestamp'),
  classes: z.array(z.string()).optional().describe('Known classes, positive class last for binary tasks.'),
  segments: z
    .array(z.string())
    .default([])
    .describe('Columns that split traffic into segments; each name once.'),
  sensitive_attributes: z
    .array(z.string())
    .default([])
    .describe('Features or segments that fairness monitors compare groups of.'),
});

/**
 * A schema as stored and answered: the same fields, without the uniqueness checks, so a
 * schema stored before those checks existed still reads back.
 */
export const StoredModelSchema = ModelSchemaFields;

export const ModelSchema = ModelSchemaFields.superRefine((schema, context) => {
  // Each feature and segment is one column: a repeated name would be ambiguous (and
  // could declare two types for one value).
  const features = repeated(schema.features.map((f) => f.name));
  if (features.length > 0) {
    context.addIssue({
      code: 'custom',
      path: ['features'],
      message: `Feature names must be unique; repeated: ${listNames(features)}.`,
    });
  }
  const segments = repeated(schema.segments);
  if (segments.length > 0) {
    context.addIssue({
      code: 'custom',
      path: ['segments'],
      message: `Segment names must be unique; repeated: ${listNames(segments)}.`,
    });
  }
  const featureNames = new Set(schema.features.map((f) => f.name));
  const both = [...new Set(schema.segments.filter((name) => featureNames.has(name)))];
  if (both.length > 0) {
    context.addIssue({
      code: 'custom',
      path: ['segments'],
      message: `A name cannot be both a feature and a segment: ${listNames(both)}.`,
    });
  }
}).meta({ id: 'ModelSchema' });
export type ModelSchema = z.infer<typeof ModelSchema>;

/** Names that occur more than once, each listed once, in order of first repetition. */
function repeated(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) twice.add(name);
    else seen.add(name);
  }
  return [...twice];
}

/** Quoted names for a message, at most 20 of them (a hostile list can be long). */
function listNames(names: string[]): string {
  const shown = names.slice(0, 20).map((n) => JSON.stringify(n.length > 60 ? `${n.slice(0, 60)}…` : n));
  return names.length > 20 ? `${shown.join(', ')} and ${names.length - 20} more` : shown.join(', ');
}
