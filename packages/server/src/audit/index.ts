export { type AuditDependencies, type AuditSpec, changesState, recordChanges } from './recording.js';
export {
  ADMIN_ONLY_ENTITIES,
  presentAuditEntry,
  registerAuditRefusals,
  registerAuditRoutes,
} from './routes.js';
