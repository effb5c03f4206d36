/** @vigil/server: the Vigil API server, its storage engines and configuration. */
export { type App, type AppDependencies, buildApp, VIGIL_VERSION } from './app.js';
export { ConfigError, loadConfig, type VigilConfig } from './config.js';
export { prepareDataDir, StartupError } from './data-dir.js';
export { createKeyInDataDir, resetPasswordInDataDir, restoreDataDir } from './maintenance.js';
export { ensureAdminKey, openStore, type RunningServer, runServer, startServer } from './server.js';
export { DuckDbStore, type DuckDbStoreOptions } from './storage/duckdb/store.js';
export type { StoreHealth, StoreHealthSource } from './storage/health.js';
export type { Store } from './storage/types.js';
