/** The domain model shared by every layer of the server. */
export {
  ALERT_RULE_TYPES,
  ALERT_STATES,
  type Alert,
  type AlertComment,
  type AlertNotification,
  type AlertRuleSpec,
  type AlertRuleType,
  type AlertState,
  CHANGE_DETECTORS,
  type ChangeDetectorMethod,
  type LabelMatcher,
  MATCHER_OPS,
  type MatcherOp,
  type NotifiedAlert,
  SEVERITIES,
  type Severity,
  type Silence,
} from './alerts.js';
export { AUDIT_ENTITY_TYPES, type AuditEntityType } from './audit.js';
export { HEALTH_STATUSES, type HealthStatus, modelHealth } from './health.js';
export { IngestResult, RejectedRecord, violationsByKind } from './ingest.js';
export {
  FEATURE_TYPES,
  FeatureSpec,
  FeatureType,
  MAX_NAME_LENGTH,
  ModelSchema,
  StoredModelSchema,
  TASKS,
  Task,
} from './model.js';
export { WINDOW_SIZES, type WindowSize } from './monitor-config.js';
export {
  MONITOR_KINDS,
  type MonitorKind,
  type MonitorResult,
  type NewMonitorResult,
  RESULT_STATUSES,
  type ResultStatus,
} from './monitoring.js';
export {
  CHANNEL_TYPES,
  type Channel,
  type ChannelConfig,
  type ChannelType,
  DELIVERY_STATUSES,
  type Delivery,
  type DeliveryStatus,
  type EmailChannelConfig,
  type PagerDutyChannelConfig,
  type SlackChannelConfig,
  type WebhookChannelConfig,
} from './notify.js';
export {
  API_KEY_SCOPES,
  type ApiKeyScope,
  type Session,
  USER_ROLES,
  type User,
  type UserRole,
} from './users.js';
