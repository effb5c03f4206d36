export {
  type AuditDependencies,
  type AuditSpec,
  changesState,
  recordChanges,
  recordCliChange,
} from './recording.js';
export {
  ADMIN_ONLY_ENTITIES,
  presentAuditEntry,
  registerAuditRefusals,
  registerAuditRoutes,
} from './routes.js';
