/**
 * The registry over Vigil's models: registering a model creates (or finds) the Vigil model
 * predictions are logged to; a registry version is a Vigil model version, numbered as MLflow
 * numbers them, carrying its source run's params and metrics, tags, description and the digest
 * of its training data. Aliases are set, moved and rolled back here for both APIs.
 */
import { TASKS, type Task } from '../domain/index.js';
import type { AliasHolding, RegistryVersionDetails } from '../storage/registry.js';
import type { ModelRow, ModelVersionRow, Store } from '../storage/types.js';

export const TASK_TAG = 'vigil.task';
export const DEFAULT_TASK: Task = 'binary_classification';

/** Why a name cannot be a Vigil model name, or null. Names appear in URLs and metric labels. */
export function modelNameProblem(name: string): string | null {
  if (name.length > 200) return 'it is over 200 characters';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    return 'use letters, digits, ".", "_" and "-", starting with a letter or digit';
  }
  return null;
}

/** Why an alias name is refused (MLflow's rules: not `latest`, not `v<number>`, no `/`), or null. */
export function aliasProblem(alias: string): string | null {
  if (alias.length === 0) return 'it is empty';
  if (alias.length > 255) return 'it is over 255 characters';
  if (alias.toLowerCase() === 'latest') return "'latest' is reserved";
  if (/^v\d+$/i.test(alias)) return "'v<number>' is reserved for version numbers";
  if (!/^[\w-]+$/.test(alias)) return 'use letters, digits, "_" and "-"';
  return null;
}

export function taskFromTags(tags: Record<string, string>): Task | null {
  const task = tags[TASK_TAG];
  if (task === undefined) return DEFAULT_TASK;
  return (TASKS as readonly string[]).includes(task) ? (task as Task) : null;
}

export interface VersionView {
  version: ModelVersionRow;
  details: RegistryVersionDetails | null;
  aliases: string[];
}

export class RegistryService {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  async versionViews(model: ModelRow, versions: ModelVersionRow[]): Promise<VersionView[]> {
    const details = await this.store.registry.versionDetails(versions.map((v) => v.id));
    const aliases = await this.store.registry.currentAliases(model.id);
    return versions.map((version) => ({
      version,
      details: details.get(version.id) ?? null,
      aliases: aliases.filter((a) => a.versionId === version.id).map((a) => a.alias),
    }));
  }

  /** Versions that were not deleted through the registry. */
  async liveVersions(model: ModelRow): Promise<ModelVersionRow[]> {
    return (await this.store.listModelVersions(model.id)).filter((v) => v.tags['vigil.deleted'] !== 'true');
  }

  async findVersion(model: ModelRow, name: string): Promise<ModelVersionRow | null> {
    const version = await this.store.getModelVersion(model.id, name);
    return version && version.tags['vigil.deleted'] !== 'true' ? version : null;
  }

  /**
   * Registers a version from a run (its params, latest metrics and first dataset's digest are
   * copied onto the version) or from a bare source.
   */
  async createVersion(
    model: ModelRow,
    projectId: number,
    input: {
      source: string;
      runId: string | null;
      loggedModelId: string | null;
      tags: Record<string, string>;
      description: string | null;
      userId: string | null;
    },
  ): Promise<ModelVersionRow> {
    const run = input.runId ? await this.store.tracking.getRun(projectId, input.runId) : null;
    const metrics: Record<string, number> = {};
    for (const m of run?.metrics ?? []) if (Number.isFinite(m.value)) metrics[m.key] = m.value;
    const training = run?.inputs.find((i) => i.tags['mlflow.data.context'] === 'training') ?? run?.inputs[0];
    return this.store.registry.createNumberedVersion(
      {
        modelId: model.id,
        artifactUri: input.source,
        params: run?.params ?? {},
        metrics,
        tags: input.tags,
        description: input.description,
      },
      {
        source: input.source,
        runId: input.runId,
        loggedModelId: input.loggedModelId,
        userId: input.userId,
        status: 'READY',
        dataDigest: training?.digest ?? null,
        updatedMs: this.now(),
      },
    );
  }

  setAlias(model: ModelRow, alias: string, version: ModelVersionRow, by: string): Promise<AliasHolding> {
    return this.store.registry.setAlias(model.id, alias, version.id, by, this.now());
  }
}
