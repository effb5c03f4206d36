/**
 * Starting and stopping a Vigil server: open the store, migrate, make sure an admin
 * key exists, listen, and shut down cleanly on SIGINT / SIGTERM.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlertNotifier } from './alerts/index.js';
import { type App, buildApp } from './app.js';
import { generateApiKey, hashApiKey, keyPrefix } from './auth/keys.js';
import { generatePassword, hashPassword } from './auth/passwords.js';
import type { VigilConfig } from './config.js';
import { prepareDataDir, StartupError } from './data-dir.js';
import { DuckDbStore } from './storage/duckdb/store.js';
import type { Store } from './storage/types.js';

export const DEFAULT_PROJECT = 'default';
/** The embedded database, inside the data folder; DuckDB keeps its write-ahead log beside it (`.wal`). */
export const DATABASE_FILE = 'vigil.duckdb';

export interface RunningServer {
  app: App;
  store: Store;
  /** Base URL, e.g. `http://127.0.0.1:4000`. */
  url: string;
  /** Set only when this start created the admin key. */
  adminKey: string | undefined;
  /** The password of the `admin` user, set only when this start created that user. */
  adminPassword: string | undefined;
  close(): Promise<void>;
}

/**
 * Creates the first admin key when the database has none: `VIGIL_ADMIN_KEY` if set,
 * otherwise a random key, written to `<data dir>/admin.key` with mode 0600.
 */
export async function ensureAdminKey(store: Store, config: VigilConfig): Promise<string | undefined> {
  if ((await store.countApiKeys()) > 0) return undefined;
  const project = await store.ensureProject(DEFAULT_PROJECT);
  const key = config.adminKey ?? generateApiKey();
  await store.createApiKey({
    projectId: project.id,
    name: 'admin',
    scope: 'admin',
    keyHash: hashApiKey(key),
    prefix: keyPrefix(key, config.adminKey === undefined),
    createdBy: 'first-start',
  });
  writeFileSync(join(config.dataDir, 'admin.key'), `${key}\n`, { mode: 0o600 });
  return key;
}

/** The user the first start creates. */
export const FIRST_ADMIN_USERNAME = 'admin';

/**
 * Creates the user `admin` when there is no user at all (first start, or the first start
 * of a version with users): its password is `VIGIL_ADMIN_PASSWORD` if set, otherwise
 * random and shown once. Only the argon2id hash is stored.
 */
export async function ensureAdminUser(store: Store, config: VigilConfig): Promise<string | undefined> {
  if ((await store.users.count()) > 0) return undefined;
  const project = await store.ensureProject(DEFAULT_PROJECT);
  const password = config.adminPassword ?? generatePassword();
  await store.users.create({
    projectId: project.id,
    username: FIRST_ADMIN_USERNAME,
    passwordHash: await hashPassword(password),
    role: 'admin',
    createdBy: 'first-start',
    nowMs: Date.now(),
  });
  return password;
}

export async function openStore(config: VigilConfig): Promise<Store> {
  const path = join(config.dataDir, DATABASE_FILE);
  let store: DuckDbStore;
  try {
    store = await DuckDbStore.open({
      path,
      recoveryProbeMs: config.storeRecoveryProbeMs,
      checkpointThresholdMb: config.storeCheckpointMb,
      nativeBins: config.storeNativeBins,
      compactDoubles: config.storeCompactDoubles,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const holder = /Conflicting lock is held in (.*?)(?:\. See|$)/.exec(message);
    if (holder) {
      throw new StartupError(
        `The database ${path} is in use by ${holder[1]}: a Vigil server is running on this data folder; stop it first, or use its API.`,
      );
    }
    const firstLine = message.split('\n')[0];
    throw new StartupError(
      `Cannot open the database ${path}: ${firstLine}. If the file is damaged, restore the latest backup with \`vigil restore <backup> --data-dir ${config.dataDir}\` (see docs/operations.md).`,
    );
  }
  let damage: string | null;
  try {
    damage = await store.db.damage();
  } catch (error) {
    damage = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  }
  if (damage) {
    store.db.abandon();
    throw new StartupError(
      `The database ${path} is damaged: ${damage}. Restore the latest backup with \`vigil restore <backup> --data-dir ${config.dataDir}\` (see docs/operations.md).`,
    );
  }
  await store.migrate();
  return store;
}

export interface ServerOptions {
  /** Where alert notifications go (the notification outbox by default). */
  notifier?: AlertNotifier;
  /** Clock of alerting (epoch ms). */
  now?: () => number;
}

export async function startServer(config: VigilConfig, options: ServerOptions = {}): Promise<RunningServer> {
  prepareDataDir(config.dataDir);
  const store = await openStore(config);
  const adminKey = await ensureAdminKey(store, config);
  const adminPassword = await ensureAdminUser(store, config);
  const app = await buildApp(config, { store, ...options });
  const nativeBins = store instanceof DuckDbStore ? store.db.nativeBins : undefined;
  if (nativeBins && !nativeBins.loaded) {
    app.log[config.storeNativeBins ? 'warn' : 'info'](
      `window profiles use DuckDB's own count, avg and histogram (the same results, more CPU): ${nativeBins.reason}`,
    );
  }
  // The real cause goes to the log once, when it happens, and again when writes work again.
  const unsubscribe = store.onHealthChange((health) => {
    if (health.writable) app.log.warn('the store can write again; ready');
    else app.log.error({ reason: health.reason, cause: health.message }, 'the store cannot write; not ready');
  });
  await app.listen({ host: config.host, port: config.port });
  app.notifications.start();
  // Windows of rows stored in the last minutes before this start may have lost their marks.
  await app.monitors.catchUp((Date.now() - 15 * 60_000) * 1000);
  app.monitors.start();
  await app.demo.resume((await store.ensureProject(DEFAULT_PROJECT)).id);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!config.externalUrl) app.alerts.setExternalUrl(url);
  app.alerts.start();
  if (adminKey && config.printAdminKey) {
    const fromEnv = config.adminKey !== undefined;
    process.stdout.write(
      fromEnv
        ? `Created the admin API key from VIGIL_ADMIN_KEY (also in ${join(config.dataDir, 'admin.key')}).\n`
        : `\nCreated an admin API key. It is shown once here and kept in ${join(config.dataDir, 'admin.key')}:\n\n  ${adminKey}\n\n`,
    );
  }
  if (adminPassword && config.printAdminKey) {
    process.stdout.write(
      config.adminPassword !== undefined
        ? `Created the user "${FIRST_ADMIN_USERNAME}" with the password from VIGIL_ADMIN_PASSWORD.\n`
        : `Created the user "${FIRST_ADMIN_USERNAME}" to sign in to ${url}. Its password is shown once, here (only its hash is kept; \`vigil users reset-password ${FIRST_ADMIN_USERNAME} --data-dir ${config.dataDir}\` sets a new one):\n\n  ${adminPassword}\n\n`,
    );
  }
  let closing: Promise<void> | undefined;
  return {
    app,
    store,
    url,
    adminKey,
    adminPassword,
    close() {
      closing ??= (async () => {
        unsubscribe();
        await app.close();
        await store.close();
      })();
      return closing;
    },
  };
}

/** Runs until SIGINT / SIGTERM, then drains requests and closes the store. */
export async function runServer(config: VigilConfig): Promise<RunningServer> {
  if (!existsSync(config.dataDir)) process.stdout.write(`Creating data folder ${config.dataDir}\n`);
  const server = await startServer(config);
  process.stdout.write(
    `Vigil is running on ${server.url}  (API docs: ${server.url}/docs, data: ${config.dataDir}, engine: ${server.store.engine})\n`,
  );
  const stop = (signal: string) => {
    server.app.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return server;
}
