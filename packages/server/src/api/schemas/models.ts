import { z } from 'zod';
import { MAX_NAME_LENGTH, ModelSchema, StoredModelSchema, Task } from '../../domain/index.js';
import { ErrorBody, Name, Tags, tooLong } from './common.js';

export { FEATURE_TYPES, FeatureSpec, FeatureType, ModelSchema, TASKS, Task } from '../../domain/index.js';

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
    schema: StoredModelSchema.nullable(),
    schema_source: z.enum(['declared', 'inferred']).nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Model' });
export type Model = z.infer<typeof Model>;

export const ModelList = z.object({ data: z.array(Model) });

export const CreateVersionBody = z
  .object({
    name: z.string().min(1).max(MAX_NAME_LENGTH, tooLong),
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
    run_id: z.string().nullable().describe('The tracking run it was registered from (MLflow), if any.'),
    data_digest: z.string().nullable().describe("The digest of its run's training dataset, if any."),
    aliases: z.array(z.string()).describe('The aliases that point to it now (e.g. champion).'),
  })
  .meta({ id: 'ModelVersion' });
export type ModelVersion = z.infer<typeof ModelVersion>;

export const ModelVersionList = z.object({ data: z.array(ModelVersion) });

export const ModelParams = z.object({ model: z.string().min(1) });
export { ErrorBody };
