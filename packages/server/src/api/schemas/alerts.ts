/** Alert rules, alerts and silences over HTTP (snake_case, as the rest of the API). */
import { z } from 'zod';
import {
  DEFAULT_FOR_WINDOWS,
  DEFAULT_GROUP_BY,
  DEFAULT_GROUP_INTERVAL_SECONDS,
  DEFAULT_GROUP_WAIT_SECONDS,
  DEFAULT_REPEAT_INTERVAL_SECONDS,
} from '../../alerts/defaults.js';
import { matcherError } from '../../alerts/matchers.js';
import {
  ALERT_RULE_TYPES,
  ALERT_STATES,
  CHANGE_DETECTORS,
  MATCHER_OPS,
  SEVERITIES,
} from '../../domain/index.js';
import { Name, Timestamp } from './common.js';

const LabelName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'use letters, digits and "_", not starting with a digit')
  .max(100);

/** Labels every alert carries; a rule cannot set them itself. */
const RESERVED_LABELS = [
  'model',
  'version',
  'segment',
  'monitor',
  'kind',
  'feature',
  'metric',
  'severity',
  'rule',
];

export const Matcher = z
  .object({
    label: LabelName,
    op: z
      .enum(MATCHER_OPS)
      .default('=')
      .describe('`=`, `!=`, `=~` (regex), `!~`; regexes match the whole value.'),
    value: z.string().max(1000),
  })
  .superRefine((m, ctx) => {
    const error = matcherError(m);
    if (error) ctx.addIssue({ code: 'custom', path: ['value'], message: error });
  })
  .meta({ id: 'LabelMatcher' });

const ForWindows = z
  .object({
    breaches: z.number().int().min(1).max(1000),
    of: z.number().int().min(1).max(1000),
  })
  .refine((f) => f.breaches <= f.of, { message: '"breaches" cannot exceed "of"', path: ['breaches'] })
  .describe('Fire once `breaches` of the last `of` windows with data breach.');

const Url = z
  .string()
  .max(2000)
  .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL');

/** What a rule is, but its name: the body of a rule and, every default filled in, its stored spec. */
const ALERT_RULE_SPEC = {
  type: z.enum(ALERT_RULE_TYPES).default('static'),
  enabled: z.boolean().default(true),
  severity: z.enum(SEVERITIES).default('warning'),
  match: z
    .array(Matcher)
    .max(50)
    .default([])
    .describe(
      'Which result series: matchers on `monitor`, `kind`, `feature`, `metric`, `version`, `segment`.',
    ),
  on_status: z
    .array(z.enum(['ok', 'warning', 'alert']))
    .min(1)
    .optional()
    .describe('`static` without `threshold`: result statuses that breach (default `["alert"]`).'),
  threshold: z
    .object({ lower: z.number().nullable().optional(), upper: z.number().nullable().optional() })
    .optional()
    .describe('`static`: the value breaches below `lower` or above `upper`.'),
  k: z
    .number()
    .positive()
    .max(100)
    .optional()
    .describe('`reference_band`: band of mean ± k·σ of the reference chunks instead of the calibrated one.'),
  detector: z
    .object({
      method: z.enum(CHANGE_DETECTORS),
      params: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
    })
    .optional()
    .describe('`change_detector`: the detector run on the series and its parameters.'),
  for_windows: ForWindows.default({ ...DEFAULT_FOR_WINDOWS }),
  labels: z.record(LabelName, z.string().max(1000)).default({}),
  annotations: z
    .object({
      summary: z.string().max(2000).optional(),
      description: z.string().max(4000).optional(),
      runbook_url: Url.optional(),
    })
    .default({}),
  channels: z.array(Name).max(20).default([]).describe('Channels to notify, by name.'),
  retrain_channel: Name.nullable()
    .optional()
    .describe('Channel that receives a retraining trigger with the evidence when alerts fire.'),
  group_by: z
    .array(LabelName)
    .max(20)
    .default([...DEFAULT_GROUP_BY]),
  group_wait_seconds: z.number().int().min(0).max(86_400).default(DEFAULT_GROUP_WAIT_SECONDS),
  group_interval_seconds: z.number().int().min(1).max(86_400).default(DEFAULT_GROUP_INTERVAL_SECONDS),
  repeat_interval_seconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(DEFAULT_REPEAT_INTERVAL_SECONDS),
};

export const AlertRuleBody = z
  .object({ name: Name, ...ALERT_RULE_SPEC })
  .superRefine((rule, ctx) => {
    if (rule.type === 'change_detector' && !rule.detector) {
      ctx.addIssue({
        code: 'custom',
        path: ['detector'],
        message: 'a change_detector rule needs a detector',
      });
    }
    const { lower, upper } = rule.threshold ?? {};
    if (lower != null && upper != null && lower > upper) {
      ctx.addIssue({ code: 'custom', path: ['threshold', 'lower'], message: '"lower" is above "upper"' });
    }
    for (const label of Object.keys(rule.labels)) {
      if (RESERVED_LABELS.includes(label)) {
        ctx.addIssue({
          code: 'custom',
          path: ['labels', label],
          message: `"${label}" is set by Vigil on every alert; choose another label name`,
        });
      }
    }
  })
  .meta({ id: 'AlertRuleBody' });
export type AlertRuleBody = z.infer<typeof AlertRuleBody>;

export const AlertRule = z
  .object({
    id: z.number().int(),
    model: z.string(),
    name: z.string(),
    spec: z
      .object(ALERT_RULE_SPEC)
      .meta({ id: 'AlertRuleSpec', description: 'The rule as stored, every default filled in.' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'AlertRule' });

export const AlertRuleList = z.object({
  data: z.array(AlertRule),
  defaults_apply: z.boolean().describe('True when the model has no rules and the default rules apply.'),
});

export const AlertRuleParams = z.object({ model: z.string(), rule: z.string() });

export const AlertComment = z
  .object({ id: z.number().int(), author: z.string(), body: z.string(), created_at: z.string() })
  .meta({ id: 'AlertComment' });

export const Alert = z
  .object({
    id: z.number().int(),
    fingerprint: z.string(),
    state: z.enum(ALERT_STATES),
    severity: z.string(),
    rule: z.string(),
    labels: z.record(z.string(), z.string()),
    annotations: z.record(z.string(), z.string()),
    value: z.number().nullable(),
    threshold_lower: z.number().nullable(),
    threshold_upper: z.number().nullable(),
    window_start: z.string(),
    window_end: z.string(),
    active_at: z.string(),
    fired_at: z.string().nullable(),
    resolved_at: z.string().nullable(),
    acknowledged_at: z.string().nullable(),
    acknowledged_by: z.string().nullable(),
    silenced_by: z.array(z.number().int()).describe('Silences in force that match the alert.'),
    inhibited_by: z
      .array(z.number().int())
      .describe(
        'Firing alerts that inhibit this one now (see docs/alerting.md, Inhibition): it still fires, but is not notified and not counted as open.',
      ),
    comments: z.array(AlertComment).optional(),
  })
  .meta({ id: 'Alert' });

export const AlertList = z.object({ data: z.array(Alert), next_cursor: z.string().nullable() });

export const AlertQuery = z.object({
  model: z.string().optional(),
  state: z.enum(ALERT_STATES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().regex(/^\d+$/, 'use the next_cursor of the previous page').optional(),
});

export const AlertParams = z.object({ id: z.coerce.number().int().min(1) });

export const AckBody = z
  .object({ by: z.string().min(1).max(200).optional().describe('Who acknowledges; the API key by default.') })
  .default({});

export const CommentBody = z.object({
  body: z.string().min(1).max(10_000),
  author: z.string().min(1).max(200).optional(),
});

export const Silence = z
  .object({
    id: z.number().int(),
    matchers: z.array(Matcher),
    starts_at: z.string(),
    ends_at: z.string(),
    comment: z.string(),
    created_by: z.string(),
    created_at: z.string(),
    state: z.enum(['pending', 'active', 'expired']),
  })
  .meta({ id: 'Silence' });

export const SilenceBody = z
  .object({
    matchers: z.array(Matcher).min(1).max(50),
    starts_at: Timestamp.optional().describe('Now by default.'),
    ends_at: Timestamp.optional(),
    duration_seconds: z
      .number()
      .int()
      .min(1)
      .max(366 * 86_400)
      .optional()
      .describe('Instead of `ends_at`: how long from `starts_at`.'),
    comment: z.string().min(1).max(2000),
    created_by: z.string().min(1).max(200).optional(),
  })
  .refine((b) => (b.ends_at === undefined) !== (b.duration_seconds === undefined), {
    message: 'give either "ends_at" or "duration_seconds"',
    path: ['ends_at'],
  })
  .meta({ id: 'SilenceBody' });

export const SilenceList = z.object({ data: z.array(Silence) });
export const SilenceQuery = z.object({
  state: z.enum(['active', 'pending', 'expired', 'all']).default('all'),
});
export const SilenceParams = z.object({ id: z.coerce.number().int().min(1) });
