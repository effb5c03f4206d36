/**
 * Wire types of the Vigil HTTP API (`/api/v1`). Field names are exactly the JSON field names
 * the server reads and writes (snake_case); options of the SDK itself are camelCase. Bodies and
 * answers are the server's own schemas (generated/api-types.ts, from its OpenAPI document);
 * what is stated here is the SDK's own: query options, pages and a few unnamed shapes.
 */
import type { components, paths } from './generated/api-types.js';

type Schemas = components['schemas'];

/**
 * The query of `GET route` as the server declares it, except that time bounds (`from`, `to`) may
 * also be given as a `Date` or an epoch number (the client sends a `Date` as RFC 3339).
 */
type QueryOf<Route extends keyof paths> = {
  [K in keyof NonNullable<paths[Route]['get']['parameters']['query']>]: K extends
    | 'from'
    | 'to'
    | 'current_from'
    | 'current_to'
    ? WireTimestamp | Date
    : NonNullable<paths[Route]['get']['parameters']['query']>[K];
};

/** A scalar a prediction or a label can take. */
export type Scalar = string | number | boolean;

/** A feature value. `null` marks a missing value. */
export type FeatureValue = string | number | boolean | null;

/** A point in time: an RFC 3339 / ISO-8601 string, or an epoch number in seconds, milliseconds or microseconds (the server reads the unit from its size; see docs/api.md). */
export type WireTimestamp = string | number;

/** One prediction as sent to `POST /api/v1/models/{model}/predictions`. */
export type PredictionRecord = Schemas['PredictionRecordInput'];

/** A ground-truth label for an earlier prediction, sent to `POST /api/v1/models/{model}/labels`. */
export type LabelRecord = Schemas['LabelRecordInput'];

/**
 * A row of reference data. Either flat (feature columns beside optional `prediction`, `score`,
 * `label`, `id`, `timestamp` columns) or shaped like a {@link PredictionRecord}.
 */
export type ReferenceRow = PredictionRecord | Record<string, FeatureValue>;

/** A record the server refused, with its position in the request body. */
export type RejectedRecord = Schemas['RejectedRecord'];

/** Answer of every ingestion route. A 200 means the accepted records are durable. */
export type IngestResult = Schemas['IngestResult'];

/** Body of every non-2xx answer except 429/503 overload answers, which may have none. */
export type ApiErrorBody = Schemas['Error'];

export type Task = Model['task'];

export type FeatureType = FeatureSpec['type'];

export type FeatureSpec = Schemas['FeatureSpecInput'];

/** What a model's records contain, and which column of a flat file holds what. */
export type ModelSchema = Schemas['ModelSchemaInput'];

/** `POST /api/v1/models` body. */
export type CreateModelRequest = Schemas['CreateModelInput'];

export type Model = Schemas['Model'];

/** `POST /api/v1/models/{model}/versions` body. */
export type CreateVersionRequest = Schemas['CreateModelVersionInput'];

export type ModelVersion = Schemas['ModelVersion'];

/** A stored prediction, as returned by the query routes. */
export type StoredPrediction = Schemas['StoredPrediction'];

/** A stored reference row, as returned by `GET …/reference/{dataset}/rows`. */
export type StoredReferenceRow = Schemas['StoredReferenceRow'];

/** One page of a cursor-paginated listing. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Query of `GET /api/v1/models/{model}/predictions`. */
export type PredictionQuery = QueryOf<'/api/v1/models/{model}/predictions'>;

/** Kinds of notification channel. */
export type ChannelType = Channel['type'];

/** Body of `POST /api/v1/channels`; see docs/alerting.md for each type's `config`. */
export type CreateChannelRequest = Schemas['CreateChannelInput'];

/** Body of `PATCH /api/v1/channels/{channel}`: `config` is merged; `null` removes a setting. */
export type UpdateChannelRequest = Schemas['UpdateChannelInput'];

/** A notification channel; secrets in `config` are masked. */
export type Channel = Schemas['Channel'];

export type DeliveryStatus = Delivery['status'];

/** One notification to one channel, as the outbox records it. */
export type Delivery = Schemas['Delivery'];

/** Answer of `POST /api/v1/channels/{channel}/test`. */
export type ChannelTestResult = Schemas['ChannelTestResult'];

/** Query of `GET /api/v1/deliveries`; `channel` is a channel's name or id. */
export type DeliveryQuery = Omit<QueryOf<'/api/v1/deliveries'>, 'channel'> & { channel?: string | number };

/** A label matcher: `=`, `!=`, `=~` (regex matching the whole value), `!~`. */
export type LabelMatcher = Schemas['LabelMatcherInput'];

export type Severity = NonNullable<AlertRuleRequest['severity']>;

/** An alert rule as sent to `POST /api/v1/models/{model}/alert-rules` (every field but `name` optional). */
export type AlertRuleRequest = Schemas['AlertRuleBodyInput'];

export type AlertRule = Schemas['AlertRule'];

export type AlertComment = Schemas['AlertComment'];

export type Alert = Schemas['Alert'];

/** Query of `GET /api/v1/alerts`. */
export type AlertQuery = QueryOf<'/api/v1/alerts'>;

export type SilenceRequest = Schemas['SilenceBodyInput'];

export type Silence = Schemas['Silence'];

export type MonitorKind = Monitor['kind'];

export type ResultStatus = MonitorResult['status'];

/** Tumbling window aligned to the UTC clock, or the newest N predictions. */
export type MonitorWindow = Schemas['MonitorWindowInput'];

export type MonitorBaseline = Schemas['MonitorBaselineInput'];

/**
 * A monitor definition (`config`); see docs/alerting.md for every kind's fields. `kind` is
 * required; the rest falls back to the server's defaults.
 */
export type MonitorConfig = Schemas['MonitorConfigInput'];

/** Body of `POST /api/v1/models/{model}/monitors`. */
export type CreateMonitorRequest = Schemas['CreateMonitorInput'];

/** Body of `PATCH /api/v1/models/{model}/monitors/{monitor}`: a new `config` replaces the whole definition. */
export type UpdateMonitorRequest = Schemas['UpdateMonitorInput'];

export type Monitor = Schemas['Monitor'];

/** One value of one series (monitor, version, segment, feature, metric) in one window. */
export type MonitorResult = Schemas['MonitorResult'];

/** Query of `GET /api/v1/models/{model}/results`: `from` inclusive, `to` exclusive, on the window start. */
export type ResultQuery = QueryOf<'/api/v1/models/{model}/results'>;

export type HealthStatus = ModelHealth['status'];

/** One model in `GET /api/v1/health`. */
export type ModelHealth = Schemas['ModelHealth'];

/**
 * Range and filters of the dashboard's chart data (`from` inclusive, `to` exclusive), as
 * `GET /api/v1/models/{model}/series` and `…/drift-map` read them.
 */
export type SeriesQuery = QueryOf<'/api/v1/models/{model}/series'>;

/** The range and filters of a feature's page, with the reference dataset and the current distribution's own range. */
export type FeatureQuery = QueryOf<'/api/v1/models/{model}/features/{feature}'>;

/** One metric of one monitor, folded into the chart's buckets. */
export type MetricSeries = Schemas['MetricSeries'];

/** `GET /api/v1/models/{model}/series`: everything the model page draws. */
export type ModelSeries = Schemas['ModelSeries'];

/** `GET /api/v1/models/{model}/drift-map`: features × buckets. */
export type DriftMap = Schemas['DriftMap'];

/** `GET /api/v1/models/{model}/features/{feature}`. */
export type FeatureDetail = Schemas['FeatureDetail'];

export type DemoOptions = NonNullable<Schemas['StartDemoInput']>;

export type DemoStarted = Schemas['DemoStarted'];

/** One model in `GET /api/v1/overview`: what the dashboard's overview shows of it. */
export type ModelOverview = Schemas['ModelOverview'];

/** `GET /api/v1/overview`: every model at a glance, in one call. */
export type Overview = Schemas['Overview'];

/** What a user may do: admin everything; editor read, send data, acknowledge and silence, edit monitors; viewer read. */
export type UserRole = User['role'];

/** A person who signs in to the dashboard. Passwords are never returned. */
export type User = Schemas['User'];

export type CreateUserRequest = Schemas['CreateUserInput'];

/** Changes to a user; at least one field. A new password ends their other sessions, disabling all of them. */
export type UpdateUserRequest = Schemas['UpdateUserInput'];

export type ApiKeyScope = ApiKey['scope'];

export type ApiKey = Schemas['ApiKey'];

/** A new key: the key itself is in this answer only. */
export type CreatedApiKey = Schemas['CreatedApiKey'];

/** What `GET /api/v1/models/{model}/compare` compares: two versions (or aliases) over a period. */
export type CompareQuery = QueryOf<'/api/v1/models/{model}/compare'>;

/** One performance metric of two versions compared paired; `difference` is b − a. */
export type MetricComparison = Schemas['MetricComparison'];

export type EstimatedMetrics = NonNullable<Schemas['EstimatedComparison']['a']>;

/** The comparison of one window (or of the whole period). */
export type ComparisonWindow = Schemas['ComparisonWindow'];

/** The answer of `GET /api/v1/models/{model}/compare`. */
export type ComparisonResult = Schemas['ComparisonResult'];

/** Who held an alias when: one span of an alias's history. */
export type AliasHolding = Schemas['AliasHolding'];

/** One check of a gated promotion, as MLflow's MetricThreshold. */
export type MetricCheck = Schemas['MetricCheckInput'];

/** The body of `POST /api/v1/models/{model}/aliases/{alias}/promote`. */
export type PromoteRequest = Schemas['PromoteVersionInput'];

/** One check's outcome; a refused promotion (409 `promotion_refused`) lists these in `details`. */
export type PromotionCheck = Schemas['PromotionCheck'];

export type PromotionResult = Schemas['PromotionResult'];

/** The body of a refused promotion (409 `promotion_refused`); `details` lists every check. */
export type PromotionRefused = Schemas['PromotionRefused'];

/** The answer of `POST /api/v1/models/{model}/aliases/{alias}/rollback`. */
export type RollbackResult = Schemas['RollbackResult'];

/** A shadow (challenger) version's prediction for an id the serving version logged. */
export type ShadowPredictionRecord = Schemas['ShadowPredictionInput'];

export type ShadowIngestResult = Schemas['ShadowIngestResult'];

/** Kinds of entity the audit trail records changes of. */
export type AuditEntityType = AuditEntry['entity_type'];

/** One change, as `GET /api/v1/audit` lists it. */
export type AuditEntry = Schemas['AuditEntry'];

/** Query of `GET /api/v1/audit`. */
export type AuditQuery = QueryOf<'/api/v1/audit'>;
