/**
 * Recording every change made through the API, in one place: each state-changing route
 * declares in its `config.audit` which entity it changes and how (or why it needs no
 * record), and an `onRoute` hook wraps its handler so that every write transaction the
 * handler commits appends the entry with it (see `AuditRepository.recording`). A route that
 * changes state and declares neither fails at start-up, so a new route cannot forget it.
 */
import type { FastifyRequest, RouteOptions } from 'fastify';
import type { AuditActor, AuditEntityType, AuditRecorder, NewAuditEntry } from '../storage/audit.js';
import type { Store } from '../storage/types.js';
import { type EntityRef, type EntityTarget, type Snapshot, TARGETS, type TargetContext } from './targets.js';

/**
 * What a state-changing route records: the entity it changes and the action (and the model,
 * for a route whose request does not name it); or why it records nothing.
 */
export type AuditSpec = RecordedChange | { exempt: string };
export interface RecordedChange {
  entity: AuditEntityType;
  action: string;
  model?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every POST, PUT, PATCH and DELETE route under /api/ (see audit/recording.ts). */
    audit?: AuditSpec;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function changesState(route: Pick<RouteOptions, 'method' | 'url'>): boolean {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  return route.url.startsWith('/api/') && methods.some((m) => STATE_CHANGING.has(m.toUpperCase()));
}

export interface AuditDependencies {
  store: Store;
  now: () => number;
}

/** onRoute hook: wraps the handler of each audited route; refuses a state-changing route without `config.audit`. */
export function recordChanges(deps: AuditDependencies) {
  return function auditRoute(route: RouteOptions): void {
    if (!changesState(route)) return;
    const spec = (route.config as { audit?: AuditSpec } | undefined)?.audit;
    if (!spec) {
      throw new Error(
        `${String(route.method)} ${route.url} changes state but declares no audit: add config.audit = { entity, action } ` +
          "to record its changes in the audit trail, or { exempt: '<why it changes nothing the trail records>' }.",
      );
    }
    if ('exempt' in spec) return;
    const handler = route.handler;
    route.handler = function recordedHandler(request, reply) {
      const recorder = new ChangeRecorder(
        deps,
        spec,
        {
          store: deps.store,
          request,
          projectId: request.auth.projectId,
          ...(spec.model ? { modelName: spec.model } : {}),
        },
        () => actorOf(deps.store, request),
        request.id,
      );
      return deps.store.audit.recording(recorder, async () => handler.call(this, request, reply));
    };
  };
}

/** The user or API key that made a request, as the trail names it. */
async function actorOf(store: Store, request: FastifyRequest): Promise<AuditActor> {
  const auth = request.auth;
  if (auth.user) return { type: 'user', id: String(auth.user.id), name: auth.user.username, ref: auth.actor };
  const key = (await store.listApiKeys(auth.projectId)).find((k) => k.id === auth.keyId);
  return { type: 'api_key', id: String(auth.keyId), name: key?.name ?? null, ref: auth.actor };
}

/**
 * A change that server code makes for a request beyond the entity its route names (the demo's
 * model, versions and aliases; the default monitors a reference upload creates): the entity,
 * the action, its model, and the fields a request doing just that would carry to name it (e.g.
 * `{ alias: 'champion' }`, `{ name: '<monitor>' }`).
 */
export interface ServerChange {
  entity: AuditEntityType;
  action: string;
  model?: string;
  names?: Record<string, string>;
}

/**
 * Runs `work` and records the change it makes as its own entry, in the transaction that makes
 * it, by the request's actor and with its request id: the same entry the route for that
 * operation would write. A recording inside another replaces it for its work only.
 */
export type ChangeAuditor = <T>(change: ServerChange, work: () => Promise<T>) => Promise<T>;

export function auditorFor(deps: AuditDependencies, request: FastifyRequest): ChangeAuditor {
  return (change, work) => {
    const named = {
      params: {},
      query: {},
      body: change.names ?? {},
      url: '',
      id: request.id,
    } as unknown as FastifyRequest;
    const recorder = new ChangeRecorder(
      deps,
      { entity: change.entity, action: change.action },
      {
        store: deps.store,
        request: named,
        projectId: request.auth.projectId,
        ...(change.model ? { modelName: change.model } : {}),
      },
      () => actorOf(deps.store, request),
      request.id,
    );
    return deps.store.audit.recording(recorder, work);
  };
}

function sameSnapshot(a: Snapshot | null, b: Snapshot | null): boolean {
  return JSON.stringify(a?.view ?? null) === JSON.stringify(b?.view ?? null) && a?.secrets === b?.secrets;
}

/**
 * Records a change made outside the HTTP API, by the command line on a stopped server's data
 * folder (`vigil keys create`, `vigil users reset-password`), as `cli`. `names` are the fields
 * a request would carry to name the entity (e.g. `{ username }`).
 */
export function recordCliChange<T>(
  store: Store,
  change: {
    entity: AuditEntityType;
    action: string;
    projectId: number;
    names?: Record<string, string>;
    command: string;
  },
  work: () => Promise<T>,
): Promise<T> {
  const request = {
    params: {},
    query: {},
    body: change.names ?? {},
    url: '',
    id: null,
  } as unknown as FastifyRequest;
  const recorder = new ChangeRecorder(
    { store, now: Date.now },
    { entity: change.entity, action: change.action },
    { store, request, projectId: change.projectId },
    async () => ({ type: 'cli', id: change.command, name: null, ref: 'cli' }),
    null,
  );
  return store.audit.recording(recorder, work);
}

/**
 * The entries of one change (a request). The first transaction reads the entity as it was;
 * each commit compares it with the entity now and appends an entry when it changed (a request
 * that changes nothing records nothing).
 */
class ChangeRecorder implements AuditRecorder {
  private readonly target: EntityTarget;
  private started = false;
  private ref: EntityRef | null = null;
  /** The newest entity of this kind before the change, so a create is not mistaken for it. */
  private newestBefore: string | null = null;
  private last: Snapshot | null = null;
  private actor: AuditActor | null = null;

  constructor(
    private readonly deps: AuditDependencies,
    private readonly spec: RecordedChange,
    private readonly context: TargetContext,
    private readonly findActor: () => Promise<AuditActor>,
    private readonly requestId: string | null,
  ) {
    this.target = TARGETS[spec.entity];
  }

  async begun(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const context = this.context;
    this.ref = await this.target.locate(context);
    if (this.ref) this.last = await this.target.snapshot(context, this.ref);
    else if (this.target.created) this.newestBefore = (await this.target.created(context))?.id ?? null;
  }

  async committing(): Promise<NewAuditEntry | null> {
    const context = this.context;
    if (!this.ref) {
      this.ref = await this.target.locate(context);
      if (!this.ref && this.target.created) {
        const created = await this.target.created(context);
        if (created && created.id !== this.newestBefore) this.ref = created;
      }
      if (!this.ref) return null;
    }
    const next = await this.target.snapshot(context, this.ref);
    const previous = this.last;
    if (sameSnapshot(previous, next)) return null;
    this.last = next;
    this.actor ??= await this.findActor();
    return {
      projectId: context.projectId,
      atMs: this.deps.now(),
      actor: this.actor,
      entityType: this.spec.entity,
      entityId: this.ref.id,
      modelName: this.ref.modelName,
      action: this.spec.action,
      before: previous?.view ?? null,
      after: next?.view ?? null,
      secretsChanged: previous !== null && next !== null && previous.secrets !== next.secrets,
      requestId: this.requestId,
    };
  }
}
