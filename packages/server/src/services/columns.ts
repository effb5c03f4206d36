import type { ModelSchema } from '../domain/index.js';
import { VigilError } from '../errors.js';
import { columnKey, schemaColumns } from '../storage/columns.js';
import type { ModelColumn, NewColumn, Store } from '../storage/types.js';

/** A schema that would take a model over the column limit. */
export class TooManyColumnsError extends VigilError {
  constructor(message: string) {
    super(400, 'too_many_columns', message);
  }
}

/**
 * Caches each model's column list. A stale entry heals itself: adding a column that
 * another writer already added is a no-op that returns the full list.
 */
export class ColumnCatalog {
  private readonly cache = new Map<number, ModelColumn[]>();

  /** `limit`: most columns a model may have; traffic cannot add more (its values are kept raw). */
  constructor(
    private readonly store: Store,
    readonly limit = Number.POSITIVE_INFINITY,
  ) {}

  async get(modelId: number): Promise<ModelColumn[]> {
    let columns = this.cache.get(modelId);
    if (!columns) {
      columns = await this.store.listColumns(modelId);
      this.cache.set(modelId, columns);
    }
    return columns;
  }

  /** Records the column list the store returned after changing it. */
  set(modelId: number, columns: ModelColumn[]): void {
    this.cache.set(modelId, columns);
  }

  /** Forgets a model's columns, e.g. after a schema change. */
  forget(modelId: number): void {
    this.cache.delete(modelId);
  }

  /** Adds columns for new names, as many as the column limit leaves room for. */
  async add(modelId: number, columns: Omit<ModelColumn, 'position'>[]): Promise<ModelColumn[]> {
    const room = this.limit - (await this.get(modelId)).length;
    if (room <= 0) return this.get(modelId);
    const all = await this.store.addColumns(modelId, columns.slice(0, room));
    this.cache.set(modelId, all);
    return all;
  }

  /** The columns `wanted` adds to `existing` (a known name with a new type is a new column). */
  static newColumns(existing: readonly ModelColumn[], wanted: readonly NewColumn[]): NewColumn[] {
    const known = new Set(existing.map(columnKey));
    return wanted.filter((c) => {
      const key = columnKey(c);
      if (known.has(key)) return false;
      known.add(key);
      return true;
    });
  }

  /**
   * Refuses a schema (declared or inferred) that would take the model over the column
   * limit, before anything is written. `modelId` is null for a model not created yet.
   */
  async checkSchema(modelName: string, modelId: number | null, schema: ModelSchema): Promise<void> {
    const existing = modelId === null ? [] : await this.store.listColumns(modelId);
    const added = ColumnCatalog.newColumns(existing, schemaColumns(schema)).length;
    const total = existing.length + added;
    if (total <= this.limit) return;
    const what =
      existing.length === 0
        ? `The schema of model "${modelName}" needs ${total} columns (one per feature and segment)`
        : `Model "${modelName}" has ${existing.length} columns and this schema adds ${added} (a renamed or retyped feature gets a new column), ${total} in all`;
    throw new TooManyColumnsError(
      `${what}; the limit is ${this.limit} columns per model (VIGIL_MAX_COLUMNS_PER_MODEL).`,
    );
  }
}
