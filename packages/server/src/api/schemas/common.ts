import { z } from 'zod';
import { MAX_NAME_LENGTH } from '../../domain/index.js';

/** The standard error body for every non-2xx answer. */
export const ErrorBody = z
  .object({
    error: z.string().describe('Stable machine-readable code, e.g. `not_found`.'),
    message: z.string().describe('What went wrong and, where possible, how to fix it.'),
    details: z.unknown().optional(),
  })
  .meta({ id: 'Error' });

/** At most this long: names appear in URLs (see `MAX_NAME_LENGTH`). */
export const tooLong = `at most ${MAX_NAME_LENGTH} characters, the longest a URL path segment may be`;

export const Name = z
  .string()
  .min(1)
  .max(MAX_NAME_LENGTH, tooLong)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'use letters, digits, ".", "_" and "-", starting with a letter or digit',
  );

export const Tags = z.record(z.string(), z.string()).describe('Free-form string labels.');

export const Timestamp = z
  .union([z.string(), z.number()])
  .describe(
    'RFC 3339 / ISO-8601 date-time (no zone means UTC; years 0001–9999) or an epoch number: seconds (1e8–1e10), milliseconds (1e11–1e13) or microseconds (1e14–1e16).',
  );

export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
} as const;
