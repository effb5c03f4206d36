/**
 * Reading the audit trail. Admins read every entry; the read and write scopes (viewers and
 * editors) read the entries about models (a model, its versions, aliases, monitors, alert
 * rules and alerts), not those about channels, silences, users and keys. Nothing edits it:
 * every other method is a 405 that says so.
 */
import type { FastifyInstance } from 'fastify';
import { decodeCursor, encodeCursor, timeParam } from '../api/query-params.js';
import { AuditPage, AuditQuery } from '../api/schemas/audit.js';
import { errorResponses } from '../api/schemas/common.js';
import type { TypedApp } from '../api/typed-app.js';
import { ForbiddenError } from '../errors.js';
import type { AuditEntityType, AuditEntry } from '../storage/audit.js';
import type { Store } from '../storage/types.js';

/** Entity types whose entries need the admin scope. */
export const ADMIN_ONLY_ENTITIES: ReadonlySet<AuditEntityType> = new Set([
  'channel',
  'silence',
  'user',
  'api_key',
]);

export function presentAuditEntry(entry: AuditEntry) {
  return {
    id: entry.id,
    at: new Date(entry.atMs).toISOString(),
    actor: entry.actor,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    model: entry.modelName,
    action: entry.action,
    before: entry.before,
    after: entry.after,
    secrets_changed: entry.secretsChanged,
    request_id: entry.requestId,
  };
}

export function registerAuditRoutes(app: TypedApp, store: Store): void {
  app.get(
    '/api/v1/audit',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit trail: who changed what and when, newest first',
        description:
          'Every change to models, versions, aliases, monitors, alert rules, alerts, channels, silences, users and API keys, ' +
          'made through this API or MLflow’s registry API, with the entity before and after (secrets left out). ' +
          'Entries are written in the same transaction as their change and cannot be changed or deleted. ' +
          'Admins read every entry; other scopes read the entries about models only.',
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const admin = request.auth.scope === 'admin';
      if (!admin && q.entity_type && ADMIN_ONLY_ENTITIES.has(q.entity_type)) {
        throw new ForbiddenError(
          `Audit entries about ${q.entity_type.replace('_', ' ')}s need the "admin" scope; this request has "${request.auth.scope}".`,
        );
      }
      const fromMicros = timeParam('from', q.from);
      const toMicros = timeParam('to', q.to);
      const entries = await store.audit.list({
        projectId: request.auth.projectId,
        limit: q.limit,
        ...(q.entity_type ? { entityType: q.entity_type } : {}),
        ...(q.entity_id ? { entityId: q.entity_id } : {}),
        ...(q.model ? { modelName: q.model } : {}),
        ...(q.actor ? { actor: q.actor } : {}),
        ...(q.action ? { action: q.action } : {}),
        ...(fromMicros !== undefined ? { fromMs: Math.ceil(fromMicros / 1000) } : {}),
        ...(toMicros !== undefined ? { toMs: Math.ceil(toMicros / 1000) } : {}),
        ...(q.cursor ? { beforeId: decodeCursor(q.cursor, ['number'])[0] } : {}),
        ...(admin ? {} : { modelLevelOnly: true }),
      });
      return {
        data: entries.map(presentAuditEntry),
        next_cursor: entries.length === q.limit ? encodeCursor([entries.at(-1)!.id]) : null,
      };
    },
  );
}

const APPEND_ONLY =
  'The audit trail is append-only: the server writes an entry with each change, and entries cannot be created, changed or deleted through the API. Read it with GET /api/v1/audit.';

/**
 * Every other method on the trail's paths: a 405 that says why, before authentication.
 * OPTIONS is among them so that the generic 405, which lists every method a path has a
 * route for, never advertises these refusals as allowed.
 */
export function registerAuditRefusals(app: FastifyInstance): void {
  for (const url of ['/api/v1/audit', '/api/v1/audit/*']) {
    app.route({
      method: ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      url,
      config: { audit: { exempt: 'refuses every request: the audit trail cannot be edited' } },
      schema: { hide: true },
      handler: async (_request, reply) => {
        reply.header('Allow', url === '/api/v1/audit' ? 'GET, HEAD' : '');
        reply.status(405);
        return { error: 'method_not_allowed', message: APPEND_ONLY };
      },
    });
  }
}
