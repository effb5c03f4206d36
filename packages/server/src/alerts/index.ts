/** Alerting: rules on result series, the alert life cycle, grouping, silences and inhibition. */

export {
  DEFAULT_FOR_WINDOWS,
  DEFAULT_GROUP_BY,
  DEFAULT_GROUP_INTERVAL_SECONDS,
  DEFAULT_GROUP_WAIT_SECONDS,
  DEFAULT_REPEAT_INTERVAL_SECONDS,
  DEFAULT_RULES,
  INHIBIT_RULES,
  ruleDefaults,
} from './defaults.js';
export {
  AlertEngine,
  type AlertEngineOptions,
  dedupKey,
  type EngineLogger,
  inhibitions,
  mutedAlerts,
} from './engine.js';
export { fingerprint } from './fingerprint.js';
export { matcherError, matches, matchesAll } from './matchers.js';
export { type AlertNotifier, NO_NOTIFIER, type RecordedNotification, RecordingNotifier } from './notifier.js';
export { OutboxNotifier } from './outbox-notifier.js';
