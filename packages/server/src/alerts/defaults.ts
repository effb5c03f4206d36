/**
 * Every default of alerting in one place. The N-of-M defaults are tuned by the false-alarm
 * simulation of the monitors (see docs/alerting.md): change them here and nowhere else.
 */
import type { AlertRuleSpec, LabelMatcher } from '../domain/index.js';

/** Fire once this many of the last `of` windows with data breach (Prometheus's `for`, in windows). */
export const DEFAULT_FOR_WINDOWS = { breaches: 1, of: 1 } as const;

/** Grouping as Alertmanager does it; the group wait is short so that alerts arrive within seconds. */
export const DEFAULT_GROUP_BY = ['model', 'monitor'] as const;
export const DEFAULT_GROUP_WAIT_SECONDS = 1;
export const DEFAULT_GROUP_INTERVAL_SECONDS = 300;
export const DEFAULT_REPEAT_INTERVAL_SECONDS = 4 * 3600;

/** Windows remembered per series beyond the rule's M (for evidence and late re-evaluations). */
export const MIN_WINDOWS_KEPT = 5;

/** The engine's polling period for time-based steps (group wait, silences ending). */
export const DEFAULT_TICK_MS = 1000;
/**
 * Results read per batch (one transaction each). Each batch reads the models and monitors of its
 * results and commits once: at 500, a minute of 20 models' default monitors took 7 batches.
 */
export const DEFAULT_BATCH_SIZE = 5000;

/** A rule spec with every optional field at its default. */
export function ruleDefaults(): Omit<AlertRuleSpec, 'type' | 'severity'> {
  return {
    enabled: true,
    match: [],
    for_windows: { ...DEFAULT_FOR_WINDOWS },
    labels: {},
    annotations: {},
    channels: [],
    retrain_channel: null,
    group_by: [...DEFAULT_GROUP_BY],
    group_wait_seconds: DEFAULT_GROUP_WAIT_SECONDS,
    group_interval_seconds: DEFAULT_GROUP_INTERVAL_SECONDS,
    repeat_interval_seconds: DEFAULT_REPEAT_INTERVAL_SECONDS,
  };
}

/**
 * The rules of a model that has none of its own: a result with status `alert` breaches at
 * severity `critical`, one with `warning` (or `alert`) at `warning`. Inhibition keeps the warning
 * quiet while the critical fires. They notify every channel of the project (no channel list).
 */
export const DEFAULT_RULES: readonly { name: string; spec: AlertRuleSpec }[] = [
  {
    name: 'default-critical',
    spec: { ...ruleDefaults(), type: 'static', severity: 'critical', on_status: ['alert'] },
  },
  {
    name: 'default-warning',
    spec: { ...ruleDefaults(), type: 'static', severity: 'warning', on_status: ['warning', 'alert'] },
  },
];

/** Monitor kinds whose alerts say the data moved; silenced while the model gets no traffic. */
export const DRIFT_KINDS = [
  'feature_drift',
  'prediction_drift',
  'label_drift',
  'multivariate_drift',
] as const;

/** The traffic monitor's count of predictions per window; a firing alert on 0 means no traffic. */
export const TRAFFIC_COUNT_METRIC = 'prediction_count';

export interface InhibitRule {
  /** A firing alert matching these (and `sourceValue`, when given)… */
  source: LabelMatcher[];
  sourceValue?: (value: number | null) => boolean;
  /** …mutes alerts matching these… */
  target: LabelMatcher[];
  /** …when both have equal values of these labels (absent counts as equal to absent). */
  equal: string[];
}

export const INHIBIT_RULES: readonly InhibitRule[] = [
  {
    source: [
      { label: 'kind', op: '=', value: 'traffic' },
      { label: 'metric', op: '=', value: TRAFFIC_COUNT_METRIC },
    ],
    // A spike also fires the traffic alert; only an empty window means "no traffic".
    sourceValue: (value) => value === 0,
    target: [{ label: 'kind', op: '=~', value: DRIFT_KINDS.join('|') }],
    equal: ['model'],
  },
  {
    source: [{ label: 'severity', op: '=', value: 'critical' }],
    target: [{ label: 'severity', op: '=', value: 'warning' }],
    equal: ['model', 'version', 'segment', 'monitor', 'feature', 'metric'],
  },
];
