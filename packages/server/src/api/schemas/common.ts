import { z } from 'zod';
import { MAX_NAME_LENGTH } from '../../domain/index.js';

// A field left out reads "required" rather than zod's "expected string, received undefined",
// in every answer that names a field (request validation and the checks built on these schemas).
z.config({
  customError: (issue) =>
    issue.code === 'invalid_type' && issue.input === undefined ? `required (${issue.expected})` : undefined,
});

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

/**
 * A query-string boolean: exactly `true` or `false` (documented as a boolean; anything
 * else is a 400 that says so).
 */
export function queryBoolean(defaultValue: boolean) {
  return z
    .stringbool({ truthy: ['true'], falsy: ['false'], case: 'sensitive', error: 'use true or false' })
    .default(defaultValue)
    .meta({ type: 'boolean' });
}

/**
 * A time bound in a query string: an RFC 3339 date-time, the other ISO-8601 forms the
 * timestamp parser reads (date only, no zone = UTC), or an epoch number. Parsed by the
 * handler (ingest/timestamps.ts), which says why a value is not a valid instant.
 */
export function timeBound(what: string) {
  return z
    .string()
    .optional()
    .meta({
      anyOf: [
        { format: 'date-time' },
        {
          pattern:
            '^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]{1,9})?)?(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$',
        },
        { pattern: '^[+-]?[0-9]+(\\.[0-9]+)?$' },
        { maxLength: 0 },
      ],
      description:
        `${what}: an RFC 3339 date-time such as \`2026-01-05T10:00:00Z\` (ISO-8601 without a zone means UTC; ` +
        'years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or ' +
        'microseconds (1e14 to 1e16); empty means no bound.',
    });
}

/** An opaque page cursor: `next_cursor` of the previous page, as given. */
export const Cursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, 'not a cursor this server issued; use next_cursor as given')
  .describe('Opaque: the `next_cursor` of the previous page, passed back unchanged.');

/** Kept for routes that list these by hand; every route gets the standard errors anyway (see api/conventions.ts). */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
} as const;
