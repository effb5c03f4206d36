export {
  type AuditDependencies,
  type AuditSpec,
  auditorFor,
  type ChangeAuditor,
  changesState,
  recordChanges,
  recordCliChange,
  type ServerChange,
} from './recording.js';
export {
  ADMIN_ONLY_ENTITIES,
  presentAuditEntry,
  registerAuditRefusals,
  registerAuditRoutes,
} from './routes.js';
