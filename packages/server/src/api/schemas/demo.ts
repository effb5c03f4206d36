import { z } from 'zod';

export const StartDemoBody = z
  .object({
    hours: z
      .number()
      .int()
      .min(1)
      .max(168)
      .optional()
      .describe('Hours of history to backfill before now (48 by default).'),
    rate_per_hour: z
      .number()
      .int()
      .min(10)
      .max(5000)
      .optional()
      .describe(
        'Predictions per hour on average, 300 by default (busier in the afternoon, quieter at night).',
      ),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional()
      .describe('Seed of the generated data (7 by default).'),
  })
  .strict()
  .nullish()
  .describe(
    'Optional: 48 hours of history at 300 predictions per hour, seed 7, by default; hours × rate_per_hour at most 20,000.',
  )
  .meta({ id: 'StartDemo' });

export const DemoStarted = z
  .object({
    model: z.string(),
    created: z
      .boolean()
      .describe('False when the demo already existed (it streams again if it had stopped).'),
    streaming: z.boolean(),
    predictions: z.number().int().describe('Predictions backfilled.'),
    labels: z.number().int().describe('Labels backfilled (the rest arrive while it streams).'),
  })
  .meta({ id: 'DemoStarted' });

export const DemoState = z
  .object({ model: z.string().nullable(), streaming: z.boolean() })
  .meta({ id: 'DemoState' });

export const DemoRemoved = z
  .object({ removed: z.array(z.string()).describe('Models deleted, with all their data.') })
  .meta({ id: 'DemoRemoved' });
