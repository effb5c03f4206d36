/**
 * What the audit trail records of each kind of entity: how a request names it, and the
 * entity as JSON (snake_case, as the API shows it). Secrets never enter that JSON: channel
 * credentials are masked as channel listings mask them, password hashes and key hashes are
 * left out. A digest of the secrets is compared in memory only, to tell that one changed.
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { presentModel, presentVersion } from '../api/presenters.js';
import { normalizeUsername } from '../auth/sessions.js';
import { redactedConfig } from '../notify/secrets.js';
import type { AuditEntityType } from '../storage/audit.js';
import type { ModelRow, Store } from '../storage/types.js';
import { MLFLOW_PREFIX } from '../tracking/route.js';

/** An entity as a request names it: its id in the trail, its model, and how to load it. */
export interface EntityRef {
  id: string;
  modelName: string | null;
  /** The store's id of the entity (or of its model, for aliases): stable across renames. */
  key: number;
  /** The alias or version name, for entities named within a model. */
  name?: string;
}

export interface Snapshot {
  view: unknown;
  /** Digest of the secrets the view leaves out; null without any. */
  secrets: string | null;
}

export interface TargetContext {
  store: Store;
  request: FastifyRequest;
  projectId: number;
  /** The model, when the route names it rather than the request (the demo's). */
  modelName?: string;
}

export interface EntityTarget {
  /** The entity the request names, if it exists (for an alias: if its model does). */
  locate(context: TargetContext): Promise<EntityRef | null>;
  /** The entity a create made, found inside its transaction when `locate` cannot name it. */
  created?(context: TargetContext): Promise<EntityRef | null>;
  snapshot(context: TargetContext, ref: EntityRef): Promise<Snapshot | null>;
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

type Fields = Record<string, unknown>;

function record(value: unknown): Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : {};
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

const isMlflow = (request: FastifyRequest) => request.url.startsWith(MLFLOW_PREFIX);

/** A field of an MLflow request (query and JSON body), or of a Vigil request's path or body. */
function field(request: FastifyRequest, name: string): string | undefined {
  return (
    text(record(request.params)[name]) ??
    text(record(request.body)[name]) ??
    text(record(request.query)[name])
  );
}

/** The model a request is about: `:model` in Vigil's paths, `name` in MLflow's registry and in a model create. */
export function requestModelName(request: FastifyRequest): string | undefined {
  return text(record(request.params).model) ?? field(request, 'name');
}

async function modelOf(context: TargetContext): Promise<ModelRow | null> {
  const name = context.modelName ?? requestModelName(context.request);
  return name === undefined ? null : context.store.getModel(context.projectId, name);
}

async function modelById(context: TargetContext, id: number): Promise<ModelRow | null> {
  const model = await context.store.getModelById(id);
  return model && model.projectId === context.projectId ? model : null;
}

const numeric = (value: string | undefined) =>
  value !== undefined && /^\d{1,10}$/.test(value) ? Number(value) : undefined;

// ------------------------------------------------------------------ targets

const model: EntityTarget = {
  async locate(context) {
    const found = await modelOf(context);
    return found ? { id: found.name, modelName: found.name, key: found.id } : null;
  },
  async snapshot(context, ref) {
    const found = await modelById(context, ref.key);
    if (!found) return null;
    const { updated_at: _, ...view } = presentModel(found);
    return { view, secrets: null };
  },
};

async function versionRef(
  context: TargetContext,
  modelRow: ModelRow,
  name: string,
): Promise<EntityRef | null> {
  const version = await context.store.getModelVersion(modelRow.id, name);
  if (!version) return null;
  return {
    id: `${modelRow.name}/${version.name}`,
    modelName: modelRow.name,
    key: version.id,
    name: version.name,
  };
}

const modelVersion: EntityTarget = {
  async locate(context) {
    const found = await modelOf(context);
    // Vigil's version create names it `name` (the model is in the path); MLflow names it `version`.
    const name = isMlflow(context.request)
      ? field(context.request, 'version')
      : (text(record(context.request.params).version) ?? text(record(context.request.body).name));
    return found && name !== undefined ? versionRef(context, found, name) : null;
  },
  async created(context) {
    const found = await modelOf(context);
    if (!found) return null;
    const newest = (await context.store.listModelVersions(found.id)).reduce<{
      id: number;
      name: string;
    } | null>((best, v) => (best === null || v.id > best.id ? v : best), null);
    return newest ? versionRef(context, found, newest.name) : null;
  },
  async snapshot(context, ref) {
    const owner = await context.store.getModel(context.projectId, ref.modelName!);
    const found = owner ? await context.store.getModelVersion(owner.id, ref.name!) : null;
    if (!found || !owner || found.tags['vigil.deleted'] === 'true') return null;
    const details = (await context.store.registry.versionDetails([found.id])).get(found.id);
    return {
      view: {
        ...presentVersion(owner, found),
        ...(details
          ? {
              source: details.source,
              run_id: details.runId,
              status: details.status,
              data_digest: details.dataDigest,
            }
          : {}),
      },
      secrets: null,
    };
  },
};

const alias: EntityTarget = {
  async locate(context) {
    const found = await modelOf(context);
    const name = field(context.request, 'alias');
    return found && name !== undefined
      ? { id: `${found.name}@${name}`, modelName: found.name, key: found.id, name }
      : null;
  },
  async snapshot(context, ref) {
    const holding = (await context.store.registry.currentAliases(ref.key)).find((a) => a.alias === ref.name);
    if (!holding) return null;
    return {
      view: {
        alias: holding.alias,
        version: holding.versionName,
        since: iso(holding.fromMs),
        set_by: holding.setBy,
        reason: holding.reason,
      },
      secrets: null,
    };
  },
};

function monitorRef(modelRow: ModelRow, monitor: { id: number } | null): EntityRef | null {
  return monitor ? { id: String(monitor.id), modelName: modelRow.name, key: monitor.id } : null;
}

const monitor: EntityTarget = {
  async locate(context) {
    const found = await modelOf(context);
    const name = field(context.request, 'monitor') ?? text(record(context.request.body).name);
    return found && name !== undefined
      ? monitorRef(found, await context.store.monitors.get(found.id, name))
      : null;
  },
  async created(context) {
    const found = await modelOf(context);
    if (!found) return null;
    const newest = (await context.store.monitors.list(found.id)).reduce<{ id: number } | null>(
      (best, m) => (best === null || m.id > best.id ? m : best),
      null,
    );
    return monitorRef(found, newest);
  },
  async snapshot(context, ref) {
    const found = await context.store.monitors.getById(ref.key);
    if (!found) return null;
    return {
      view: {
        id: found.id,
        model: ref.modelName,
        name: found.name,
        kind: found.kind,
        enabled: found.enabled,
        is_default: found.isDefault,
        config: found.config,
        created_at: found.createdAt.toISOString(),
      },
      secrets: null,
    };
  },
};

const alertRule: EntityTarget = {
  async locate(context) {
    const found = await modelOf(context);
    const name = field(context.request, 'rule') ?? text(record(context.request.body).name);
    const rule = found && name !== undefined ? await context.store.alerts.getRule(found.id, name) : null;
    return found && rule ? { id: String(rule.id), modelName: found.name, key: rule.id } : null;
  },
  async snapshot(context, ref) {
    const found = await modelOf(context);
    const rule = found
      ? (await context.store.alerts.listRules(found.id)).find((r) => r.id === ref.key)
      : undefined;
    if (!rule) return null;
    return {
      view: {
        id: rule.id,
        model: ref.modelName,
        name: rule.name,
        spec: rule.spec,
        created_at: iso(rule.createdAtMs),
      },
      secrets: null,
    };
  },
};

const alert: EntityTarget = {
  async locate(context) {
    const id = numeric(field(context.request, 'id'));
    const found = id === undefined ? null : await context.store.alerts.getAlert(id);
    if (!found || found.projectId !== context.projectId) return null;
    const owner = await context.store.getModelById(found.modelId);
    return { id: String(found.id), modelName: owner?.name ?? null, key: found.id };
  },
  async snapshot(context, ref) {
    const found = await context.store.alerts.getAlert(ref.key);
    if (!found) return null;
    const comments = await context.store.alerts.listComments(found.id);
    return {
      view: {
        id: found.id,
        rule: found.ruleName,
        state: found.state,
        acknowledged_at: iso(found.acknowledgedAtMs),
        acknowledged_by: found.acknowledgedBy,
        comments: comments.map((c) => ({ id: c.id, author: c.author, body: c.body })),
      },
      secrets: null,
    };
  },
};

const channel: EntityTarget = {
  async locate(context) {
    const reference = field(context.request, 'channel') ?? text(record(context.request.body).name);
    if (reference === undefined) return null;
    const id = numeric(reference);
    const found =
      id !== undefined && text(record(context.request.params).channel) !== undefined
        ? await context.store.channels.get(id)
        : await context.store.channels.getByName(context.projectId, reference);
    return found && found.projectId === context.projectId
      ? { id: String(found.id), modelName: null, key: found.id }
      : null;
  },
  async snapshot(context, ref) {
    const found = await context.store.channels.get(ref.key);
    if (!found) return null;
    return {
      view: {
        id: found.id,
        name: found.name,
        type: found.type,
        enabled: found.enabled,
        config: redactedConfig(found),
        created_at: found.createdAt.toISOString(),
      },
      secrets: digest(found.config),
    };
  },
};

const silence: EntityTarget = {
  async locate(context) {
    const id = numeric(field(context.request, 'id'));
    const found = id === undefined ? null : await context.store.alerts.getSilence(id);
    return found && found.projectId === context.projectId
      ? { id: String(found.id), modelName: null, key: found.id }
      : null;
  },
  async created(context) {
    const newest = (await context.store.alerts.listSilences(context.projectId)).reduce<{ id: number } | null>(
      (best, s) => (best === null || s.id > best.id ? s : best),
      null,
    );
    return newest ? { id: String(newest.id), modelName: null, key: newest.id } : null;
  },
  async snapshot(context, ref) {
    const found = await context.store.alerts.getSilence(ref.key);
    if (!found) return null;
    return {
      view: {
        id: found.id,
        matchers: found.matchers,
        starts_at: iso(found.startsAtMs),
        ends_at: iso(found.endsAtMs),
        comment: found.comment,
        created_by: found.createdBy,
      },
      secrets: null,
    };
  },
};

const user: EntityTarget = {
  async locate(context) {
    const { request, store } = context;
    // Changing one's own password names no user in the path: it is the signed-in user.
    const reference =
      text(record(request.params).id) ??
      text(record(request.body).username) ??
      (request.auth?.user ? String(request.auth.user.id) : undefined);
    if (reference === undefined) return null;
    const id = numeric(reference);
    const found =
      id !== undefined
        ? await store.users.get(id)
        : (await store.users.findCredentials(normalizeUsername(reference)))?.user;
    return found && found.projectId === context.projectId
      ? { id: String(found.id), modelName: null, key: found.id }
      : null;
  },
  async snapshot(context, ref) {
    const found = await context.store.users.get(ref.key);
    if (!found) return null;
    const credentials = await context.store.users.findCredentials(found.username);
    return {
      view: {
        id: found.id,
        username: found.username,
        role: found.role,
        disabled: found.disabled,
        created_by: found.createdBy,
        created_at: found.createdAt.toISOString(),
      },
      secrets: credentials ? digest(credentials.passwordHash) : null,
    };
  },
};

const apiKey: EntityTarget = {
  async locate(context) {
    const id = numeric(text(record(context.request.params).id));
    if (id === undefined) return null;
    const found = (await context.store.listApiKeys(context.projectId)).find((k) => k.id === id);
    return found ? { id: String(found.id), modelName: null, key: found.id } : null;
  },
  async created(context) {
    const keys = await context.store.listApiKeys(context.projectId);
    const newest = keys.reduce<{ id: number } | null>(
      (best, k) => (best === null || k.id > best.id ? k : best),
      null,
    );
    return newest ? { id: String(newest.id), modelName: null, key: newest.id } : null;
  },
  async snapshot(context, ref) {
    const found = (await context.store.listApiKeys(context.projectId)).find((k) => k.id === ref.key);
    if (!found) return null;
    return {
      view: {
        id: found.id,
        name: found.name,
        scope: found.scope,
        prefix: found.prefix,
        created_by: found.createdBy,
        created_at: found.createdAt.toISOString(),
        revoked_at: found.revokedAt ? found.revokedAt.toISOString() : null,
      },
      secrets: null,
    };
  },
};

export const TARGETS: Record<AuditEntityType, EntityTarget> = {
  model,
  model_version: modelVersion,
  alias,
  monitor,
  alert_rule: alertRule,
  alert,
  channel,
  silence,
  user,
  api_key: apiKey,
};
