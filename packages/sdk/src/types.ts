/**
 * Wire types of the Vigil HTTP API (`/api/v1`). Field names are exactly the JSON field names
 * the server reads and writes (snake_case); options of the SDK itself are camelCase.
 */

/** A scalar a prediction or a label can take. */
export type Scalar = string | number | boolean;

/** A feature value. `null` marks a missing value. */
export type FeatureValue = string | number | boolean | null;

/** A point in time: an RFC 3339 / ISO-8601 string, or an epoch number in seconds, milliseconds or microseconds (the server reads the unit from its size; see docs/api.md). */
export type WireTimestamp = string | number;

/** One prediction as sent to `POST /api/v1/models/{model}/predictions`. */
export interface PredictionRecord {
  /** Unique per model; the server ignores a record whose id it already stored. */
  id?: string;
  timestamp?: WireTimestamp;
  version?: string;
  features: Record<string, FeatureValue>;
  prediction: Scalar;
  /** Score of the positive class (binary classification) or of the predicted class. */
  score?: number;
  /** Score per class (multi-class classification). */
  scores?: Record<string, number>;
  /** Ground truth, when it is known at prediction time. */
  label?: Scalar;
  segments?: Record<string, string | number | boolean>;
}

/** A ground-truth label for an earlier prediction, sent to `POST /api/v1/models/{model}/labels`. */
export interface LabelRecord {
  id: string;
  label: Scalar;
  timestamp?: WireTimestamp;
}

/**
 * A row of reference data. Either flat (feature columns beside optional `prediction`, `score`,
 * `label`, `id`, `timestamp` columns) or shaped like a {@link PredictionRecord}.
 */
export type ReferenceRow = PredictionRecord | Record<string, FeatureValue>;

/** A record the server refused, with its position in the request body. */
export interface RejectedRecord {
  index: number;
  id: string | null;
  error: string;
}

/** Answer of every ingestion route. A 200 means the accepted records are durable. */
export interface IngestResult {
  accepted: number;
  rejected: RejectedRecord[];
  /** Accepted records that broke the model schema (stored, and counted by data-quality monitors). */
  quality_violations?: number;
  /** Accepted records with at least one violation of each kind, e.g. `{"unknown_feature": 12}`. */
  violations_by_kind?: Record<string, number>;
}

/** Body of every non-2xx answer except 429/503 overload answers, which may have none. */
export interface ApiErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

export type Task = 'binary_classification' | 'multiclass_classification' | 'regression';

export type FeatureType = 'numeric' | 'categorical' | 'boolean' | 'text' | 'timestamp';

export interface FeatureSpec {
  name: string;
  type: FeatureType;
  description?: string;
  /** Known categories; other values are counted as unseen categories. */
  categories?: string[];
}

/** What a model's records contain, and which column of a flat file holds what. */
export interface ModelSchema {
  features: FeatureSpec[];
  prediction_field?: string;
  score_field?: string;
  class_score_fields?: Record<string, string>;
  label_field?: string;
  id_field?: string;
  timestamp_field?: string;
  classes?: string[];
  segments?: string[];
  sensitive_attributes?: string[];
}

/** `POST /api/v1/models` body. */
export interface CreateModelRequest {
  name: string;
  task: Task;
  description?: string;
  tags?: Record<string, string>;
  schema?: ModelSchema;
}

export interface Model {
  name: string;
  task: Task;
  description: string | null;
  tags: Record<string, string>;
  schema: ModelSchema | null;
  schema_source: 'declared' | 'inferred' | null;
  created_at: string;
  updated_at: string;
}

/** `POST /api/v1/models/{model}/versions` body. */
export interface CreateVersionRequest {
  name: string;
  artifact_uri?: string;
  params?: Record<string, unknown>;
  metrics?: Record<string, number>;
  tags?: Record<string, string>;
  description?: string;
}

export interface ModelVersion {
  model: string;
  name: string;
  artifact_uri: string | null;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  tags: Record<string, string>;
  description: string | null;
  created_at: string;
  /** The tracking run it was registered from (MLflow), if any. */
  run_id: string | null;
  /** The digest of its run's training dataset, if any. */
  data_digest: string | null;
  /** The aliases that point to it now (e.g. champion). */
  aliases: string[];
}

/** A stored prediction, as returned by the query routes. */
export interface StoredPrediction {
  id: string;
  timestamp: string;
  version: string | null;
  features: Record<string, FeatureValue>;
  prediction: Scalar | null;
  score: number | null;
  scores: Record<string, number> | null;
  label: Scalar | null;
  label_timestamp: string | null;
  segments: Record<string, string>;
  quality_violations: string[];
}

/** A stored reference row, as returned by `GET …/reference/{dataset}/rows`. */
export type StoredReferenceRow = Omit<StoredPrediction, 'label_timestamp'>;

/** One page of a cursor-paginated listing. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Query of `GET /api/v1/models/{model}/predictions`. */
export interface PredictionQuery {
  from?: string | number | Date;
  to?: string | number | Date;
  version?: string;
  limit?: number;
  cursor?: string;
}

/** Kinds of notification channel. */
export type ChannelType = 'webhook' | 'slack' | 'email' | 'pagerduty' | 'retrain_webhook';

/** Body of `POST /api/v1/channels`; see docs/alerting.md for each type's `config`. */
export interface CreateChannelRequest {
  name: string;
  type: ChannelType;
  config: Record<string, unknown>;
  enabled?: boolean;
}

/** Body of `PATCH /api/v1/channels/{channel}`: `config` is merged; `null` removes a setting. */
export interface UpdateChannelRequest {
  name?: string;
  enabled?: boolean;
  config?: Record<string, unknown>;
  /** Webhooks: replace the signing secret (answered once, in `secret`). */
  rotate_secret?: boolean;
}

/** A notification channel; secrets in `config` are masked. */
export interface Channel {
  id: number;
  name: string;
  type: ChannelType;
  config: Record<string, unknown>;
  enabled: boolean;
  created_at: string;
  updated_at: string;
  /** Webhooks: the signing secret, only in the answer that creates or rotates it. */
  secret?: string;
}

export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'dead';

/** One notification to one channel, as the outbox records it. */
export interface Delivery {
  id: number;
  /** Sent as `X-Vigil-Delivery-Id`, the same on every retry. */
  delivery_id: string;
  channel_id: number;
  /** `null` once the channel is deleted. */
  channel: string | null;
  dedup_key: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

/** Answer of `POST /api/v1/channels/{channel}/test`. */
export interface ChannelTestResult extends Delivery {
  /** Whether the receiver accepted the test notification. */
  ok: boolean;
}

/** Query of `GET /api/v1/deliveries`. */
export interface DeliveryQuery {
  /** Channel name or id. */
  channel?: string | number;
  status?: DeliveryStatus;
  limit?: number;
  cursor?: string;
}

/** A label matcher: `=`, `!=`, `=~` (regex matching the whole value), `!~`. */
export interface LabelMatcher {
  label: string;
  op?: '=' | '!=' | '=~' | '!~';
  value: string;
}

export type Severity = 'info' | 'warning' | 'critical';

/** An alert rule as sent to `POST /api/v1/models/{model}/alert-rules` (every field but `name` optional). */
export interface AlertRuleRequest {
  name: string;
  type?: 'static' | 'reference_band' | 'change_detector';
  enabled?: boolean;
  severity?: Severity;
  match?: LabelMatcher[];
  on_status?: ('ok' | 'warning' | 'alert')[];
  threshold?: { lower?: number | null; upper?: number | null };
  k?: number;
  detector?: { method: 'page_hinkley' | 'cusum' | 'adwin'; params?: Record<string, number | string> };
  for_windows?: { breaches: number; of: number };
  labels?: Record<string, string>;
  annotations?: { summary?: string; description?: string; runbook_url?: string };
  channels?: string[];
  retrain_channel?: string | null;
  group_by?: string[];
  group_wait_seconds?: number;
  group_interval_seconds?: number;
  repeat_interval_seconds?: number;
}

export interface AlertRule {
  id: number;
  model: string;
  name: string;
  /** The rule as stored, every default filled in. */
  spec: Omit<Required<AlertRuleRequest>, 'name'>;
  created_at: string;
  updated_at: string;
}

export interface AlertComment {
  id: number;
  author: string;
  body: string;
  created_at: string;
}

export interface Alert {
  id: number;
  fingerprint: string;
  state: 'pending' | 'firing' | 'resolved';
  severity: string;
  rule: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  value: number | null;
  threshold_lower: number | null;
  threshold_upper: number | null;
  window_start: string;
  window_end: string;
  active_at: string;
  fired_at: string | null;
  resolved_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  silenced_by: number[];
  /** Firing alerts that inhibit this one now: it fires, but is not notified nor counted as open. */
  inhibited_by: number[];
  /** Present on `getAlert`. */
  comments?: AlertComment[];
}

export interface AlertQuery {
  model?: string;
  state?: Alert['state'];
  severity?: Severity;
  limit?: number;
  cursor?: string;
}

export interface SilenceRequest {
  matchers: LabelMatcher[];
  /** ISO-8601 or epoch milliseconds; now by default. */
  starts_at?: string | number;
  /** Give `ends_at` or `duration_seconds`. */
  ends_at?: string | number;
  duration_seconds?: number;
  comment: string;
  created_by?: string;
}

export interface Silence {
  id: number;
  matchers: Required<LabelMatcher>[];
  starts_at: string;
  ends_at: string;
  comment: string;
  created_by: string;
  created_at: string;
  state: 'pending' | 'active' | 'expired';
}

export type MonitorKind =
  | 'data_quality'
  | 'feature_drift'
  | 'prediction_drift'
  | 'label_drift'
  | 'performance'
  | 'estimated_performance'
  | 'fairness'
  | 'multivariate_drift'
  | 'traffic'
  | 'custom_metric';

export type ResultStatus = 'ok' | 'warning' | 'alert' | 'insufficient_data' | 'error';

/** Tumbling window aligned to the UTC clock, or the newest N predictions. */
export type MonitorWindow =
  | { size: '1m' | '5m' | '15m' | '30m' | '1h' | '6h' | '12h' | '1d' }
  | { last_n: number };

export type MonitorBaseline =
  | { type: 'reference'; dataset?: string }
  | { type: 'period'; from: string; to: string }
  | { type: 'trailing'; windows: number };

/**
 * A monitor definition (`config`); see docs/alerting.md for every kind's fields. `kind` is
 * required; the rest falls back to the server's defaults.
 */
export interface MonitorConfig {
  kind: MonitorKind;
  window?: MonitorWindow;
  baseline?: MonitorBaseline;
  version?: string;
  segment?: { name: string; value: string };
  min_sample_size?: number;
  features?: string[];
  [field: string]: unknown;
}

/** Body of `POST /api/v1/models/{model}/monitors`. */
export interface CreateMonitorRequest {
  name: string;
  enabled?: boolean;
  config: MonitorConfig;
}

/** Body of `PATCH /api/v1/models/{model}/monitors/{monitor}`: a new `config` replaces the whole definition. */
export interface UpdateMonitorRequest {
  enabled?: boolean;
  config?: MonitorConfig;
}

export interface Monitor {
  name: string;
  kind: MonitorKind;
  enabled: boolean;
  is_default: boolean;
  /** The definition with every default filled in. */
  config: MonitorConfig;
  /** Windows queued for evaluation. */
  pending_windows: number;
  created_at: string;
  updated_at: string;
}

/** One value of one series (monitor, version, segment, feature, metric) in one window. */
export interface MonitorResult {
  monitor: string;
  kind: MonitorKind;
  version: string | null;
  /** `name=value`, or null for all traffic. */
  segment: string | null;
  window_start: string;
  window_end: string;
  feature: string | null;
  metric: string;
  value: number | null;
  threshold_lower: number | null;
  threshold_upper: number | null;
  band_lower: number | null;
  band_upper: number | null;
  sample_size: number;
  status: ResultStatus;
  reason: string | null;
  details: Record<string, unknown> | null;
  evaluated_at: string;
}

/** Query of `GET /api/v1/models/{model}/results`: `from` inclusive, `to` exclusive, on the window start. */
export interface ResultQuery {
  monitor?: string;
  feature?: string;
  metric?: string;
  status?: ResultStatus;
  version?: string;
  /** `name=value` */
  segment?: string;
  from?: string | number | Date;
  to?: string | number | Date;
  /** Page size, 1 to 10,000 (server default 1,000). */
  limit?: number;
  cursor?: string;
}

export type HealthStatus = 'alerting' | 'warning' | 'error' | 'ok' | 'insufficient_data' | 'no_data';

/** One model in `GET /api/v1/health`. */
export interface ModelHealth {
  model: string;
  /** The worst current status of its enabled monitors. */
  status: HealthStatus;
  /** Monitors by their current status. */
  monitors: Record<string, number>;
  alerting_monitors: string[];
  last_prediction_at: string | null;
  last_evaluated_window: string | null;
}

/** Range and filters of the dashboard's chart data (`from` inclusive, `to` exclusive). */
export interface SeriesQuery {
  from?: string | number | Date;
  to?: string | number | Date;
  /** Most buckets to return (2–2000, default 300); the server picks a round step to fit. */
  points?: number;
  version?: string;
  /** `name=value`. */
  segment?: string;
}

interface SeriesFrame {
  model: string;
  from: string;
  to: string;
  step_seconds: number;
  version: string | null;
  segment: string | null;
}

/** One metric of one monitor, folded into the chart's buckets. */
export interface MetricSeries {
  monitor: string;
  kind: MonitorKind;
  metric: string;
  /** An estimate without labels (e.g. CBPE). */
  estimated: boolean;
  points: {
    start: string;
    value: number | null;
    band_lower: number | null;
    band_upper: number | null;
    threshold_lower: number | null;
    threshold_upper: number | null;
    status: ResultStatus;
    sample_size: number;
    windows: number;
  }[];
}

/** `GET /api/v1/models/{model}/series`: everything the model page draws. */
export interface ModelSeries extends SeriesFrame {
  task: string;
  traffic: {
    start: string;
    predictions: number;
    labeled: number;
    label_coverage: number | null;
    mean_score: number | null;
  }[];
  predictions: {
    kind: 'categorical' | 'numeric';
    classes: { value: string; count: number }[];
    over_time: { start: string; counts: Record<string, number> }[];
    histogram: { edges: number[]; counts: number[] } | null;
  };
  performance: MetricSeries[];
  quality: { start: string; rows: number; violations: Record<string, number> }[];
  versions: string[];
  segments: { name: string; values: string[] }[];
}

/** `GET /api/v1/models/{model}/drift-map`: features × buckets. */
export interface DriftMap extends SeriesFrame {
  buckets: string[];
  features: {
    feature: string;
    metric: string;
    scores: (number | null)[];
    thresholds: (number | null)[];
    /** Score / threshold: above 1 breaches. */
    ratios: (number | null)[];
    statuses: (ResultStatus | null)[];
    max_ratio: number | null;
  }[];
}

/** `GET /api/v1/models/{model}/features/{feature}`. */
export interface FeatureDetail extends SeriesFrame {
  feature: string;
  role: 'feature' | 'segment';
  type: string;
  reference_dataset: string | null;
  distribution: {
    kind: 'numeric' | 'categorical';
    edges: number[] | null;
    reference: number[];
    current: number[];
    categories: (string | null)[] | null;
    reference_missing: number;
    current_missing: number;
    reference_rows: number;
    current_rows: number;
  };
  drift: MetricSeries[];
  quality: { start: string; rows: number; missing: number; violations: Record<string, number> }[];
  examples: {
    id: string;
    timestamp: string;
    value: number | string | boolean | null;
    invalid_value: unknown;
    prediction: string | null;
    score: number | null;
    label: string | null;
    violations: string[];
  }[];
}

export interface DemoOptions {
  /** Hours of history to backfill (1–168, default 48). */
  hours?: number;
  /** Predictions per hour on average (default 300; hours × rate at most 20,000). */
  rate_per_hour?: number;
  seed?: number;
}

export interface DemoStarted {
  model: string;
  /** False when the demo already existed. */
  created: boolean;
  streaming: boolean;
  predictions: number;
  labels: number;
}

/** One model in `GET /api/v1/overview`: what the dashboard's overview shows of it. */
export interface ModelOverview {
  model: string;
  task: Task;
  description: string | null;
  tags: Record<string, string>;
  status: HealthStatus;
  /** Enabled monitors by their current status. */
  monitors: Record<string, number>;
  alerting_monitors: string[];
  /** Alerts firing now. */
  /** Firing alerts not inhibited by another firing alert. */
  open_alerts: number;
  unacknowledged_alerts: number;
  /** Firing alerts that another firing alert inhibits. */
  inhibited_alerts: number;
  last_prediction_at: string | null;
  /** The version on its newest recent prediction, else its newest registered version. */
  current_version: string | null;
  /** Predictions per bucket of `traffic_range`, oldest first. */
  traffic: number[];
  created_at: string;
}

/** `GET /api/v1/overview`: every model at a glance, in one call. */
export interface Overview {
  generated_at: string;
  traffic_range: { from: string; to: string; bucket_seconds: number };
  totals: { models: number; by_status: Partial<Record<HealthStatus, number>>; open_alerts: number };
  data: ModelOverview[];
}

/** What a user may do: admin everything; editor read, send data, acknowledge and silence, edit monitors; viewer read. */
export type UserRole = 'admin' | 'editor' | 'viewer';

/** A person who signs in to the dashboard. Passwords are never returned. */
export interface User {
  id: number;
  username: string;
  role: UserRole;
  disabled: boolean;
  created_at: string;
  updated_at: string;
  last_sign_in_at: string | null;
  /** `user:<name>`, `api-key:<id>`, `first-start` or `vigil users`. */
  created_by: string;
}

export interface CreateUserRequest {
  /** Letters, digits, `.`, `_`, `@`, `-`, starting with a letter; stored in lower case. */
  username: string;
  /** 8 to 256 characters. */
  password: string;
  role: UserRole;
}

/** Changes to a user; at least one field. A new password ends their other sessions, disabling all of them. */
export interface UpdateUserRequest {
  role?: UserRole;
  password?: string;
  disabled?: boolean;
}

export type ApiKeyScope = 'admin' | 'write' | 'read';

export interface ApiKey {
  id: number;
  name: string;
  scope: ApiKeyScope;
  /** First characters of a generated key, or `sha256:` and 8 hex digits of one the operator chose. */
  prefix: string;
  created_at: string;
  revoked_at: string | null;
  /** Last request made with the key, to the minute. */
  last_used_at: string | null;
  created_by: string | null;
}

/** A new key: the key itself is in this answer only. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}

/** What `GET /api/v1/models/{model}/compare` compares: two versions (or aliases) over a period. */
export interface CompareQuery {
  /** Version name or alias of one side, usually the champion. */
  a: string;
  /** Version name or alias of the other side, usually the challenger. */
  b: string;
  from?: string | number | Date;
  to?: string | number | Date;
  /** Also compare per clock-aligned window of this length. */
  window?: '1m' | '5m' | '15m' | '30m' | '1h' | '6h' | '12h' | '1d';
  /** Confidence level of the intervals; default 0.95. */
  confidence?: number;
}

/** One performance metric of two versions compared paired; `difference` is b − a. */
export interface MetricComparison {
  metric: 'accuracy' | 'precision' | 'recall' | 'f1' | 'roc_auc' | 'macro_recall' | 'mae' | 'rmse';
  greater_is_better: boolean;
  test: 'mcnemar' | 'delong' | 'paired_bootstrap';
  status: 'ok' | 'insufficient_data';
  reason: string | null;
  a: number | null;
  b: number | null;
  difference: number | null;
  lower: number | null;
  upper: number | null;
  p_value: number | null;
  sample_size: number;
  sampled: boolean;
  /** The side significantly better at the chosen confidence, or null. */
  better: 'a' | 'b' | null;
}

export type EstimatedMetrics = Partial<Record<'accuracy' | 'precision' | 'recall' | 'f1', number | null>>;

/** The comparison of one window (or of the whole period). */
export interface ComparisonWindow {
  start: string;
  end: string;
  pairs: number;
  labelled: number;
  agreement: { rate: number | null; agreeing: number; mean_absolute_difference: number | null };
  /** Binary classifiers: each side's estimated performance (CBPE); null for other tasks. */
  estimated: {
    method: 'cbpe';
    status: 'ok' | 'insufficient_data';
    reason: string | null;
    a: EstimatedMetrics | null;
    b: EstimatedMetrics | null;
    calibration: string | null;
  } | null;
  metrics: MetricComparison[];
}

/** The answer of `GET /api/v1/models/{model}/compare`. */
export interface ComparisonResult {
  model: string;
  task: string;
  a: { version: string; requested: string; alias: string | null };
  b: { version: string; requested: string; alias: string | null };
  from: string;
  to: string;
  window: CompareQuery['window'] | null;
  confidence: number;
  positive_class: string | null;
  overall: ComparisonWindow;
  windows: ComparisonWindow[];
}

/** Who held an alias when: one span of an alias's history. */
export interface AliasHolding {
  alias: string;
  version: string;
  from: string;
  /** Null while it holds the alias. */
  to: string | null;
  set_by: string;
  reason: 'set' | 'rollback';
  ended_by: 'moved' | 'deleted' | 'rolled_back' | null;
}

/** One check of a gated promotion, as MLflow's MetricThreshold. */
export interface MetricCheck {
  metric: string;
  greater_is_better: boolean;
  /** `run` (default): the versions' run metrics; `live`: paired on production traffic; `live_estimated`: CBPE before labels. */
  source?: 'run' | 'live' | 'live_estimated';
  threshold?: number;
  min_absolute_change?: number;
  min_relative_change?: number;
  /** `live` only: the paired test must find the candidate better than the holder. */
  require_significant?: boolean;
}

/** The body of `POST /api/v1/models/{model}/aliases/{alias}/promote`. */
export interface PromoteRequest {
  version: string;
  checks?: MetricCheck[];
  /** The production traffic live checks compare on. */
  live?: {
    from?: string | number;
    to?: string | number;
    min_labelled?: number;
    confidence?: number;
  };
}

/** One check's outcome; a refused promotion (409 `promotion_refused`) lists these in `details`. */
export interface PromotionCheck {
  metric: string;
  check: 'threshold' | 'min_absolute_change' | 'min_relative_change' | 'significant_improvement';
  source: 'run' | 'live' | 'live_estimated';
  passed: boolean;
  skipped: boolean;
  candidate: number | null;
  baseline: number | null;
  required: number;
  message: string;
  live: {
    from: string;
    to: string;
    pairs: number;
    labelled: number;
    difference: number | null;
    lower: number | null;
    upper: number | null;
    p_value: number | null;
  } | null;
}

export interface PromotionResult {
  current: AliasHolding;
  checks: PromotionCheck[];
}

/** A shadow (challenger) version's prediction for an id the serving version logged. */
export interface ShadowPredictionRecord {
  id: string;
  timestamp?: WireTimestamp;
  prediction: Scalar;
  score?: number;
  scores?: Record<string, number>;
}

export interface ShadowIngestResult {
  accepted: number;
  duplicates: number;
}

/** Kinds of entity the audit trail records changes of. */
export type AuditEntityType =
  | 'model'
  | 'model_version'
  | 'alias'
  | 'monitor'
  | 'alert_rule'
  | 'alert'
  | 'channel'
  | 'silence'
  | 'user'
  | 'api_key';

/** One change, as `GET /api/v1/audit` lists it. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: {
    type: 'user' | 'api_key' | 'cli';
    id: string;
    /** The user name, or the API key's name. */
    name: string | null;
    /** `user:<name>`, `api-key:<id>` or `cli`. */
    ref: string;
  };
  entity_type: AuditEntityType;
  /** Models by name, versions as `<model>/<version>`, aliases as `<model>@<alias>`, the rest by numeric id. */
  entity_id: string;
  model: string | null;
  action: string;
  /** The entity before (null when created) and after (null when deleted); secrets are left out. */
  before: unknown;
  after: unknown;
  secrets_changed: boolean;
  request_id: string | null;
}

/** Query of `GET /api/v1/audit`. */
export interface AuditQuery {
  entity_type?: AuditEntityType;
  entity_id?: string;
  model?: string;
  /** `user:<name>`, `api-key:<id>`, or a user or key name. */
  actor?: string;
  action?: string;
  from?: WireTimestamp;
  to?: WireTimestamp;
  limit?: number;
  cursor?: string;
}
