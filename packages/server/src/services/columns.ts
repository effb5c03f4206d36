import type { ModelSchema } from '../domain/index.js';
import type { ModelColumn, Store } from '../storage/types.js';

/**
 * Caches each model's column list. A stale entry heals itself: adding a column that
 * another writer already added is a no-op that returns the full list.
 */
export class ColumnCatalog {
  private readonly cache = new Map<number, ModelColumn[]>();

  /** `limit`: most columns a model may have; traffic cannot add more (its values are kept raw). */
  constructor(
    private readonly store: Store,
    private readonly limit = Number.POSITIVE_INFINITY,
  ) {}

  async get(modelId: number): Promise<ModelColumn[]> {
    let columns = this.cache.get(modelId);
    if (!columns) {
      columns = await this.store.listColumns(modelId);
      this.cache.set(modelId, columns);
    }
    return columns;
  }

  /** Adds columns for new names, as many as the column limit leaves room for. */
  async add(modelId: number, columns: Omit<ModelColumn, 'position'>[]): Promise<ModelColumn[]> {
    const room = this.limit - (await this.get(modelId)).length;
    if (room <= 0) return this.get(modelId);
    const all = await this.store.addColumns(modelId, columns.slice(0, room));
    this.cache.set(modelId, all);
    return all;
  }

  /** Creates the schema's columns and marks exactly the schema's columns as declared. */
  async applySchema(modelId: number, schema: ModelSchema): Promise<ModelColumn[]> {
    await this.store.addColumns(modelId, [
      ...schema.features.map((f) => ({
        name: f.name,
        role: 'feature' as const,
        type: f.type,
        declared: true,
      })),
      ...schema.segments.map((name) => ({
        name,
        role: 'segment' as const,
        type: 'categorical' as const,
        declared: true,
      })),
    ]);
    await this.store.setDeclaredColumns(modelId, [
      ...schema.features.map((f) => ({ role: 'feature' as const, name: f.name })),
      ...schema.segments.map((name) => ({ role: 'segment' as const, name })),
    ]);
    this.cache.delete(modelId);
    return this.get(modelId);
  }
}
