export {
  contentTypes,
  type RawBody,
  type ReferenceOptions,
  type RetryEvent,
  VigilApi,
  type VigilApiOptions,
} from './api.js';
export { ARROW_CONTENT_TYPE, predictionsAsArrow } from './arrow.js';
export {
  type ClientStats,
  type FlushResult,
  type LogKind,
  ModelLogger,
  type ReferenceContent,
  type RejectedLogRecord,
  VigilClient,
  type VigilClientOptions,
} from './client.js';
export {
  type ColumnBatch,
  type ColumnValues,
  LabelColumnBatch,
  type LabelColumnsInput,
  PredictionColumnBatch,
  type PredictionColumnsInput,
  type RowField,
} from './column-batch.js';
export {
  type IngestKind,
  VigilDeliveryError,
  VigilError,
  VigilHttpError,
  VigilNetworkError,
  VigilQueueOverflowError,
  VigilRecordError,
} from './errors.js';
export { backoffDelay, parseRetryAfter, type RetryPolicy } from './retry.js';
export type { LabelInput, PredictionInput, TimestampInput } from './serialize.js';
export type * from './types.js';
