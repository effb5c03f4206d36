/**
 * The audit trail: one entry per change to a model, version, alias, monitor, alert rule,
 * alert, channel, silence, user or API key, saying who made it, when, and the entity before
 * and after (secrets redacted by whoever builds the entry). Entries are only ever appended.
 *
 * An entry is written in the same transaction as the change it records: `recording` runs
 * some work and, inside every write transaction that work commits, asks the recorder for the
 * entry to append. So a change is never committed without its entry, nor an entry without
 * its change. Times are epoch milliseconds.
 */

import type { AuditEntityType } from '../domain/index.js';

export { AUDIT_ENTITY_TYPES, type AuditEntityType } from '../domain/index.js';

/** Who made a change: a signed-in user, an API key, or the server's own command line. */
export interface AuditActor {
  type: 'user' | 'api_key' | 'cli';
  /** The user's or key's id (a user's name for `cli`). */
  id: string;
  /** The username, or the key's name. */
  name: string | null;
  /** As other records name actors: `user:<name>`, `api-key:<id>`, `cli`. */
  ref: string;
}

export interface NewAuditEntry {
  projectId: number;
  atMs: number;
  actor: AuditActor;
  entityType: AuditEntityType;
  /** Models by name, versions as `<model>/<version>`, aliases as `<model>@<alias>`, the rest by numeric id. */
  entityId: string;
  /** The model the entity belongs to; null for channels, silences, users and keys. */
  modelName: string | null;
  /** `create`, `update`, `delete`, or what the route does (`rollback`, `promote`, `acknowledge`, …). */
  action: string;
  /** The entity as JSON before the change (null when it did not exist) and after (null when deleted). */
  before: unknown;
  after: unknown;
  /**
   * True when a secret changed (a password, a webhook secret, an SMTP password): secrets are
   * left out of `before` and `after`, so this is the only trace of such a change.
   */
  secretsChanged: boolean;
  /** The HTTP request that made the change, to match server logs. */
  requestId: string | null;
}

export interface AuditEntry extends NewAuditEntry {
  /** Grows with every entry: later entries have larger ids. */
  id: number;
}

export interface AuditQuery {
  projectId: number;
  entityType?: AuditEntityType;
  entityId?: string;
  /** An actor's `ref` (`user:alice`, `api-key:3`) or name (a username or a key's name). */
  actor?: string;
  action?: string;
  modelName?: string;
  /** Only entries about a model (those with a `modelName`). */
  modelLevelOnly?: boolean;
  fromMs?: number;
  /** Exclusive. */
  toMs?: number;
  /** Entries older than this id (the cursor of the previous page). */
  beforeId?: number;
  limit: number;
}

/**
 * Builds the entries of one unit of work (one request). The store calls it inside each
 * write transaction of the work, while holding the write lock: reads through the store there
 * see the transaction's own writes.
 */
export interface AuditRecorder {
  /** Right after a transaction of the work began (e.g. to read the entity as it was). */
  begun(): Promise<void>;
  /** Right before that transaction commits: the entry to append with it, or null. */
  committing(): Promise<NewAuditEntry | null>;
}

export interface AuditRepository {
  /**
   * Runs `work`; every write transaction it commits (in its own async context, until it
   * settles) appends the recorder's entry inside that transaction.
   */
  recording<T>(recorder: AuditRecorder, work: () => Promise<T>): Promise<T>;
  /** Appends an entry on its own (changes made outside a request, e.g. `vigil keys create`). */
  append(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Entries newest first. */
  list(query: AuditQuery): Promise<AuditEntry[]>;
}
