import { z } from 'zod';
import { AUDIT_ENTITY_TYPES } from '../../storage/audit.js';
import { Cursor, timeBound } from './common.js';

export const AuditEntityType = z.enum(AUDIT_ENTITY_TYPES);

export const AuditActor = z
  .object({
    type: z.enum(['user', 'api_key', 'cli']),
    id: z.string().describe("The user's or API key's id."),
    name: z.string().nullable().describe("The user name, or the API key's name."),
    ref: z.string().describe('As other records name actors: `user:<name>`, `api-key:<id>`, `cli`.'),
  })
  .meta({ id: 'AuditActor' });

export const AuditEntry = z
  .object({
    id: z.number().int().describe('Grows with every entry.'),
    at: z.string().describe('When the change was committed.'),
    actor: AuditActor,
    entity_type: AuditEntityType,
    entity_id: z
      .string()
      .describe(
        'Models by name, versions as `<model>/<version>`, aliases as `<model>@<alias>`, the rest by numeric id.',
      ),
    model: z
      .string()
      .nullable()
      .describe('The model the entity belongs to; null for channels, silences, users, keys.'),
    action: z
      .string()
      .describe('`create`, `update`, `delete`, or what the route does: `set`, `rollback`, `promote`, …'),
    before: z
      .unknown()
      .describe('The entity before the change (null when it did not exist), secrets left out.'),
    after: z.unknown().describe('The entity after the change (null when deleted), secrets left out.'),
    secrets_changed: z
      .boolean()
      .describe('A secret changed (a password, a webhook secret, an SMTP password): they are never shown.'),
    request_id: z.string().nullable().describe('The request that made the change, as server logs name it.'),
  })
  .meta({ id: 'AuditEntry' });

export const AuditPage = z.object({ data: z.array(AuditEntry), next_cursor: z.string().nullable() });

export const AuditQuery = z.object({
  entity_type: AuditEntityType.optional(),
  entity_id: z.string().min(1).max(1000).optional(),
  model: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe('Only entries about this model and what belongs to it.'),
  actor: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe('`user:<name>`, `api-key:<id>`, or a user or key name.'),
  action: z.string().min(1).max(100).optional(),
  from: timeBound('Only changes at or after this instant'),
  to: timeBound('Only changes before this instant'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: Cursor.optional(),
});
