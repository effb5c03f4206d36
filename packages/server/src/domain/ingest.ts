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
    violations_by_kind: z
      .record(z.string(), z.number().int())
      .optional()
      .describe(
        'Accepted records with at least one violation of each kind, e.g. `{"unknown_feature": 5832}` ' +
          '(kinds: type_mismatch, missing_feature, unknown_feature, unseen_category, unknown_segment, column_limit, …).',
      ),
  })
  .meta({ id: 'IngestResult' });
export type IngestResult = z.infer<typeof IngestResult>;

/**
 * Records with at least one violation of each kind (`unknown_feature:amount` is of kind
 * `unknown_feature`), from each accepted record's violations (`null` for none).
 */
export function violationsByKind(lists: Iterable<readonly string[] | null>): Record<string, number> {
  const counts: Record<string, number> = {};
  const kinds = new Set<string>();
  for (const list of lists) {
    if (list === null || list.length === 0) continue;
    kinds.clear();
    for (const violation of list) {
      const at = violation.indexOf(':');
      kinds.add(at === -1 ? violation : violation.slice(0, at));
    }
    for (const kind of kinds) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}
