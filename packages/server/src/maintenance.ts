/**
 * Tasks an operator runs on a data folder with the server stopped (`vigil keys create
 * --data-dir`, …): each opens the database directly, which DuckDB refuses while a
 * server holds it, so they can never race a running server.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateApiKey, hashApiKey, keyPrefix } from './auth/keys.js';
import { loadConfig } from './config.js';
import { prepareDataDir, StartupError } from './data-dir.js';
import { DATABASE_FILE, DEFAULT_PROJECT, openStore } from './server.js';
import type { ApiKeyRow, ApiKeyScope, Store } from './storage/types.js';

async function withDataDir<T>(dataDir: string, body: (store: Store) => Promise<T>): Promise<T> {
  if (!existsSync(join(dataDir, DATABASE_FILE))) {
    throw new StartupError(`No Vigil database in ${dataDir} (no ${DATABASE_FILE}); check the data folder.`);
  }
  prepareDataDir(dataDir);
  const store = await openStore(loadConfig({}, { dataDir, printAdminKey: false }));
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/**
 * Creates an API key in the default project of a stopped server's data folder: the way
 * back in after the admin key is lost. The key is returned once and stored as a digest.
 */
export function createKeyInDataDir(
  dataDir: string,
  input: { name: string; scope: ApiKeyScope },
): Promise<{ key: string; row: ApiKeyRow }> {
  return withDataDir(dataDir, async (store) => {
    const project = await store.ensureProject(DEFAULT_PROJECT);
    const key = generateApiKey();
    const row = await store.createApiKey({
      projectId: project.id,
      name: input.name,
      scope: input.scope,
      keyHash: hashApiKey(key),
      prefix: keyPrefix(key, true),
    });
    return { key, row };
  });
}
