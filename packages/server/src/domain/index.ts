/** The domain model shared by every layer of the server. */
export { IngestResult, RejectedRecord } from './ingest.js';
export { FEATURE_TYPES, FeatureSpec, FeatureType, ModelSchema, TASKS, Task } from './model.js';
