import { z } from 'zod';
import { HEALTH_STATUSES, Task } from '../../domain/index.js';
import { Tags } from './common.js';

export const OVERVIEW_BUCKETS = 24;

export const OverviewQuery = z.object({
  hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24)
    .describe(
      `Hours of traffic in the sparklines, ending at the next whole hour, in ${OVERVIEW_BUCKETS} equal buckets of whole hours: a number of hours that is not a multiple of ${OVERVIEW_BUCKETS} is rounded up to the next one (\`traffic_range\` says what is shown).`,
    ),
});

export const ModelOverview = z
  .object({
    model: z.string(),
    task: Task,
    description: z.string().nullable(),
    tags: Tags,
    status: z.enum(HEALTH_STATUSES).describe("The worst status of its enabled monitors' newest windows."),
    monitors: z.record(z.string(), z.number().int()).describe('Enabled monitors by their current status.'),
    alerting_monitors: z.array(z.string()),
    open_alerts: z
      .number()
      .int()
      .describe('Alerts firing now, not counting inhibited ones (as Alertmanager counts them).'),
    unacknowledged_alerts: z.number().int().describe('Open alerts that nobody has acknowledged.'),
    inhibited_alerts: z
      .number()
      .int()
      .describe(
        'Alerts firing now that another firing alert inhibits (a warning under a critical of the same series, drift while there is no traffic).',
      ),
    last_prediction_at: z.string().nullable(),
    current_version: z
      .string()
      .nullable()
      .describe(
        'The version on its newest prediction in the traffic range, else its newest registered version.',
      ),
    traffic: z.array(z.number().int()).describe('Predictions per bucket, oldest first.'),
    created_at: z.string(),
  })
  .meta({ id: 'ModelOverview' });

export const Overview = z
  .object({
    generated_at: z.string(),
    traffic_range: z.object({
      from: z.string(),
      to: z.string(),
      bucket_seconds: z.number(),
    }),
    totals: z.object({
      models: z.number().int(),
      by_status: z.record(z.string(), z.number().int()),
      open_alerts: z.number().int(),
    }),
    data: z.array(ModelOverview),
  })
  .meta({ id: 'Overview' });
export type Overview = z.infer<typeof Overview>;
export type ModelOverview = z.infer<typeof ModelOverview>;
