/**
 * Building blocks of the storage contract suites: a migrated store with a model in it, and
 * stored events with every field filled, so each suite states only what it is about.
 */
import type { EventRecord, ModelRow, Store } from './types.js';

/** A prediction event as ingestion would store it; `extra` overrides any field. */
export function storedEvent(
  id: string,
  timestampMicros: number,
  values: EventRecord['values'],
  extra: Partial<EventRecord> = {},
): EventRecord {
  return {
    id,
    timestampMicros,
    version: 'v1',
    prediction: '1',
    predictionNumber: 1,
    score: 0.9,
    scores: null,
    label: null,
    labelNumber: null,
    values,
    invalid: null,
    violations: [],
    ...extra,
  };
}

/** Creates a binary classifier without a schema in the default project. */
export async function createTestModel(
  store: Store,
  name: string,
  tags: Record<string, string> = {},
): Promise<ModelRow> {
  const projectId = (await store.ensureProject('default')).id;
  return store.createModel({
    projectId,
    name,
    task: 'binary_classification',
    description: null,
    tags,
    schema: null,
    schemaSource: null,
  });
}

/** Opens and migrates a store; with it, the id of its default project. */
export async function openMigratedStore(
  openStore: () => Promise<Store>,
): Promise<{ store: Store; projectId: number }> {
  const store = await openStore();
  await store.migrate();
  return { store, projectId: (await store.ensureProject('default')).id };
}

/** Opens and migrates a store, then creates one model in it. */
export async function openStoreWithModel(
  openStore: () => Promise<Store>,
  name: string,
): Promise<{ store: Store; model: ModelRow }> {
  const { store } = await openMigratedStore(openStore);
  return { store, model: await createTestModel(store, name) };
}
