import { z } from 'zod';
import { MONITOR_KINDS, RESULT_STATUSES } from '../../domain/index.js';
import { MonitorConfig } from '../../domain/monitor-config.js';

export const MonitorName = z
  .string()
  .min(1)
  .max(100)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'use letters, digits, ".", "_" and "-", starting with a letter or digit',
  );

export const CreateMonitorBody = z
  .object({
    name: MonitorName,
    enabled: z.boolean().optional(),
    config: MonitorConfig.describe('What to watch, over which windows, against which baseline.'),
  })
  .strict()
  .meta({ id: 'CreateMonitor' });

export const UpdateMonitorBody = z
  .object({
    enabled: z.boolean().optional(),
    config: MonitorConfig.optional().describe('The whole new definition (its kind cannot change).'),
  })
  .strict()
  .meta({ id: 'UpdateMonitor' });

export const Monitor = z
  .object({
    name: z.string(),
    kind: z.enum(MONITOR_KINDS),
    enabled: z.boolean(),
    is_default: z.boolean(),
    config: MonitorConfig.describe('The monitor definition, with defaults filled in.'),
    pending_windows: z.number().int().describe('Windows queued for evaluation.'),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Monitor' });

export const MonitorList = z.object({ data: z.array(Monitor) });
export const MonitorParams = z.object({ model: z.string().min(1), monitor: z.string().min(1) });

export const Result = z
  .object({
    monitor: z.string(),
    kind: z.enum(MONITOR_KINDS),
    version: z.string().nullable(),
    segment: z.string().nullable().describe('`name=value` of the segment, or null for all traffic.'),
    window_start: z.string(),
    window_end: z.string(),
    feature: z.string().nullable(),
    metric: z.string(),
    value: z.number().nullable(),
    threshold_lower: z.number().nullable(),
    threshold_upper: z.number().nullable(),
    band_lower: z.number().nullable(),
    band_upper: z.number().nullable(),
    sample_size: z.number().int(),
    status: z.enum(RESULT_STATUSES),
    reason: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    evaluated_at: z.string(),
  })
  .meta({ id: 'MonitorResult' });

export const ResultPage = z.object({ data: z.array(Result), next_cursor: z.string().nullable() });

export const ResultQuery = z.object({
  monitor: z.string().optional(),
  feature: z.string().optional(),
  metric: z.string().optional(),
  status: z.enum(RESULT_STATUSES).optional(),
  version: z.string().optional(),
  segment: z.string().optional().describe('`name=value`'),
  from: z.string().optional().describe('Window start at or after (ISO-8601 or epoch milliseconds).'),
  to: z.string().optional().describe('Window start before (ISO-8601 or epoch milliseconds).'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  cursor: z.string().optional(),
});

export const HEALTH_STATES = ['alerting', 'warning', 'error', 'ok', 'insufficient_data', 'no_data'] as const;

export const ModelHealth = z
  .object({
    model: z.string(),
    status: z.enum(HEALTH_STATES).describe('The worst current status of its monitors.'),
    monitors: z.record(z.string(), z.number().int()).describe('Monitors by their current status.'),
    alerting_monitors: z.array(z.string()),
    last_prediction_at: z.string().nullable(),
    last_evaluated_window: z.string().nullable(),
  })
  .meta({ id: 'ModelHealth' });

export const HealthSummary = z.object({ data: z.array(ModelHealth) });
