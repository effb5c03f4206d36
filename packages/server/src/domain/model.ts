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
    name: z.string().min(1).max(300),
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
export const ModelSchema = z
  .object({
    features: z.array(FeatureSpec).max(10_000),
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
    segments: z.array(z.string()).default([]).describe('Columns that split traffic into segments.'),
    sensitive_attributes: z
      .array(z.string())
      .default([])
      .describe('Features or segments that fairness monitors compare groups of.'),
  })
  .meta({ id: 'ModelSchema' });
export type ModelSchema = z.infer<typeof ModelSchema>;
