/** The kinds of entity whose changes the audit trail records. */
export const AUDIT_ENTITY_TYPES = [
  'model',
  'model_version',
  'alias',
  'monitor',
  'alert_rule',
  'alert',
  'channel',
  'silence',
  'user',
  'api_key',
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];
