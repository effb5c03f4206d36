/** What ingestion answers: how many records were stored, and each rejected record with its reason. */
import { z } from 'zod';

export const RejectedRecord = z
  .object({
    index: z.number().int().describe('Position of the record in the request body, from 0.'),
    id: z.string().nullable(),
    error: z.string(),
  })
  .meta({ id: 'RejectedRecord' });
export type RejectedRecord = z.infer<typeof RejectedRecord>;

export const IngestResult = z
  .object({
    accepted: z.number().int(),
    rejected: z.array(RejectedRecord),
    quality_violations: z
      .number()
      .int()
      .optional()
      .describe(
        'Accepted records that broke the model schema (stored, and counted by data-quality monitors).',
      ),
  })
  .meta({ id: 'IngestResult' });
export type IngestResult = z.infer<typeof IngestResult>;
