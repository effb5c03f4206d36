import { z } from 'zod';
import { ErrorBody, Name, Tags } from './common.js';

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

export const CreateModelBody = z
  .object({
    name: Name,
    task: Task,
    description: z.string().max(5000).optional(),
    tags: Tags.optional(),
    schema: ModelSchema.optional(),
  })
  .meta({ id: 'CreateModel' });
export type CreateModelBody = z.infer<typeof CreateModelBody>;

export const UpdateModelBody = z
  .object({
    description: z.string().max(5000).optional(),
    tags: Tags.optional(),
    schema: ModelSchema.optional(),
  })
  .meta({ id: 'UpdateModel' });
export type UpdateModelBody = z.infer<typeof UpdateModelBody>;

export const Model = z
  .object({
    name: z.string(),
    task: Task,
    description: z.string().nullable(),
    tags: Tags,
    schema: ModelSchema.nullable(),
    schema_source: z.enum(['declared', 'inferred']).nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Model' });
export type Model = z.infer<typeof Model>;

export const ModelList = z.object({ data: z.array(Model) });

export const CreateVersionBody = z
  .object({
    name: z.string().min(1).max(200),
    artifact_uri: z.string().max(2000).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    metrics: z.record(z.string(), z.number()).optional(),
    tags: Tags.optional(),
    description: z.string().max(5000).optional(),
  })
  .meta({ id: 'CreateModelVersion' });
export type CreateVersionBody = z.infer<typeof CreateVersionBody>;

export const ModelVersion = z
  .object({
    model: z.string(),
    name: z.string(),
    artifact_uri: z.string().nullable(),
    params: z.record(z.string(), z.unknown()),
    metrics: z.record(z.string(), z.number()),
    tags: Tags,
    description: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'ModelVersion' });
export type ModelVersion = z.infer<typeof ModelVersion>;

export const ModelVersionList = z.object({ data: z.array(ModelVersion) });

export const ModelParams = z.object({ model: z.string().min(1) });
export { ErrorBody };
