/**
 * The model registry. A registered model is a Vigil model and a registry version is a Vigil
 * model version (`model_versions`); this area adds what the registry says about a version
 * (its source, run, logged model, status, training-data digest) and the aliases with the
 * full history of which version held each, from when to when. Times are epoch milliseconds.
 */
import type { ModelVersionRow } from './types.js';

export interface RegistryVersionDetails {
  versionId: number;
  source: string | null;
  runId: string | null;
  loggedModelId: string | null;
  userId: string | null;
  status: string;
  dataDigest: string | null;
  updatedMs: number;
}

export type AliasChange = 'set' | 'rollback';
export type AliasEnd = 'moved' | 'deleted' | 'rolled_back';

/** One holding of an alias: `versionId` held `alias` from `fromMs` until `toMs` (null: still holds). */
export interface AliasHolding {
  id: number;
  modelId: number;
  alias: string;
  versionId: number;
  versionName: string;
  fromMs: number;
  toMs: number | null;
  /** Who set it: `api-key:<id>` or `user:<name>`. */
  setBy: string;
  /** How it began: an ordinary set, or a roll back. */
  reason: AliasChange;
  /** How it ended, once it has. */
  endedBy: AliasEnd | null;
}

export type RollbackOutcome =
  | { outcome: 'rolled_back'; holding: AliasHolding; previous: AliasHolding }
  | { outcome: 'not_set' }
  | { outcome: 'no_previous' };

export interface RegistryRepository {
  /**
   * Creates a version of the model named as the next whole number after the model's
   * highest numeric version name, with its details, in one transaction.
   */
  createNumberedVersion(
    version: Omit<ModelVersionRow, 'id' | 'createdAt' | 'name'>,
    details: Omit<RegistryVersionDetails, 'versionId'>,
  ): Promise<ModelVersionRow>;
  /** Details of versions created through the registry (others have none). */
  versionDetails(versionIds: number[]): Promise<Map<number, RegistryVersionDetails>>;
  updateVersion(
    versionId: number,
    patch: { description?: string | null; tags?: Record<string, string> },
  ): Promise<void>;
  /** Deletes the version, its details, and ends any alias it holds. */
  deleteVersion(versionId: number, by: string, nowMs: number): Promise<void>;

  /** Moves (or sets) an alias; setting it to the version that holds it already changes nothing. */
  setAlias(
    modelId: number,
    alias: string,
    versionId: number,
    by: string,
    nowMs: number,
    reason?: AliasChange,
  ): Promise<AliasHolding>;
  /** Ends the alias's current holding; false when it was not set. */
  deleteAlias(modelId: number, alias: string, nowMs: number): Promise<boolean>;
  /** The model's aliases as they are now, by name. */
  currentAliases(modelId: number): Promise<AliasHolding[]>;
  /** Every holding of the alias, newest first; with `atMs`, only the one that held it then. */
  aliasHistory(modelId: number, alias: string, atMs?: number): Promise<AliasHolding[]>;
  /**
   * Every holding of every alias of the model, newest first: deleted aliases included (their
   * last holding ended `deleted`), so the model's whole alias timeline is one read.
   */
  modelAliasHistory(modelId: number): Promise<AliasHolding[]>;
  /**
   * Returns the alias to the version that held it before the current holder (skipping
   * versions since deleted), recorded as a new holding with reason `rollback`.
   */
  rollbackAlias(modelId: number, alias: string, by: string, nowMs: number): Promise<RollbackOutcome>;
}
