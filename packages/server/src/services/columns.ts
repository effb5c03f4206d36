import type { ModelSchema } from '../api/schemas/models.js';
import type { ModelColumn, Store } from '../storage/types.js';

/**
 * Caches each model's column list. A stale entry heals itself: adding a column that
 * another writer already added is a no-op that returns the full list.
 */
export class ColumnCatalog {
  private readonly cache = new Map<number, ModelColumn[]>();

  constructor(private readonly store: Store) {}

  async get(modelId: number): Promise<ModelColumn[]> {
    let columns = this.cache.get(modelId);
    if (!columns) {
      columns = await this.store.listColumns(modelId);
      this.cache.set(modelId, columns);
    }
    return columns;
  }

  async add(modelId: number, columns: Omit<ModelColumn, 'position'>[]): Promise<ModelColumn[]> {
    const all = await this.store.addColumns(modelId, columns);
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
