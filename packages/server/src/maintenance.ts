/**
 * Tasks an operator runs on a data folder with the server stopped (`vigil keys create
 * --data-dir`, …): each opens the database directly, which DuckDB refuses while a
 * server holds it, so they can never race a running server.
 */

import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { recordCliChange } from './audit/index.js';
import { generateApiKey, hashApiKey, keyPrefix } from './auth/keys.js';
import {
  generatePassword,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
} from './auth/passwords.js';
import { normalizeUsername } from './auth/sessions.js';
import { loadConfig } from './config.js';
import { prepareDataDir, StartupError } from './data-dir.js';
import type { User } from './domain/index.js';
import { DATABASE_FILE, DEFAULT_PROJECT, openStore } from './server.js';
import { DuckDbDatabase } from './storage/duckdb/database.js';
import type { ApiKeyRow, ApiKeyScope, Store } from './storage/types.js';
import { isTarFile, listTar, readTarEntry, type TarEntry } from './util/tar.js';

const BLOB_ENTRY = /^artifacts\/blobs\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

/** The database and artifact entries of a backup archive, checked before anything is written. */
async function backupArchive(backupFile: string): Promise<{ database: TarEntry; blobs: TarEntry[] }> {
  let entries: TarEntry[];
  try {
    entries = await listTar(backupFile);
  } catch (error) {
    throw new StartupError(
      `The backup ${backupFile} is not a usable archive: ${(error as Error).message}. Nothing was changed.`,
    );
  }
  const database = entries.find((e) => e.name === DATABASE_FILE);
  if (!database)
    throw new StartupError(`The backup ${backupFile} holds no ${DATABASE_FILE}. Nothing was changed.`);
  const unknown = entries.filter((e) => e !== database && !BLOB_ENTRY.test(e.name));
  if (unknown.length > 0) {
    throw new StartupError(
      `The backup ${backupFile} holds entries a Vigil backup never has (${unknown
        .slice(0, 3)
        .map((e) => e.name)
        .join(', ')}). Nothing was changed.`,
    );
  }
  return { database, blobs: entries.filter((e) => BLOB_ENTRY.test(e.name)) };
}

/** Puts the archive's artifact blobs in place, each checked against its digest; existing blobs are kept. */
async function restoreBlobs(backupFile: string, blobs: TarEntry[], dataDir: string): Promise<number> {
  const root = join(dataDir, 'artifacts');
  const incoming = join(root, 'incoming');
  await mkdir(incoming, { recursive: true, mode: 0o700 });
  let restored = 0;
  for (const blob of blobs) {
    const [, folder, digest] = BLOB_ENTRY.exec(blob.name)!;
    const target = join(root, 'blobs', folder!, digest!);
    if (existsSync(target)) continue;
    const temporary = join(incoming, randomBytes(12).toString('hex'));
    const hash = createHash('sha256');
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(
        readTarEntry(backupFile, blob),
        meter,
        createWriteStream(temporary, { mode: 0o600, flush: true }),
      );
      if (hash.digest('hex') !== digest) {
        throw new StartupError(
          `The artifact ${blob.name} in the backup ${backupFile} is damaged (its content does not match its digest).`,
        );
      }
      await mkdir(join(root, 'blobs', folder!), { recursive: true, mode: 0o700 });
      await rename(temporary, target);
      restored++;
    } finally {
      await rm(temporary, { force: true });
    }
  }
  return restored;
}

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
    const change = {
      entity: 'api_key',
      action: 'create',
      projectId: project.id,
      command: 'vigil keys create',
    } as const;
    const row = await recordCliChange(store, change, () =>
      store.createApiKey({
        projectId: project.id,
        name: input.name,
        scope: input.scope,
        keyHash: hashApiKey(key),
        prefix: keyPrefix(key, true),
        createdBy: 'vigil keys create',
      }),
    );
    return { key, row };
  });
}

/**
 * Sets a new password for a user in a stopped server's data folder, enables the user and
 * ends their sessions: the way back in when every admin password is lost. Without such a
 * user, creates it as an admin. The password is the given one or a random one, returned once.
 */
export function resetPasswordInDataDir(
  dataDir: string,
  input: { username: string; password?: string },
): Promise<{ password: string; user: User; created: boolean }> {
  const username = normalizeUsername(input.username);
  if (!/^[a-z][a-z0-9._@-]{0,63}$/.test(username)) {
    throw new StartupError(
      `"${input.username}" is not a valid user name: use letters, digits, ".", "_", "@" and "-", starting with a letter, at most 64 characters.`,
    );
  }
  const password = input.password ?? generatePassword();
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new StartupError(
      `The password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long.`,
    );
  }
  return withDataDir(dataDir, async (store) => {
    const passwordHash = await hashPassword(password);
    const existing = await store.users.findCredentials(username);
    const project = await store.ensureProject(DEFAULT_PROJECT);
    const change = {
      entity: 'user',
      action: existing ? 'reset_password' : 'create',
      projectId: existing?.user.projectId ?? project.id,
      names: { username },
      command: 'vigil users reset-password',
    } as const;
    return recordCliChange(store, change, async () => {
      if (!existing) {
        const user = await store.users.create({
          projectId: project.id,
          username,
          passwordHash,
          role: 'admin',
          createdBy: 'vigil users reset-password',
          nowMs: Date.now(),
        });
        return { password, user, created: true };
      }
      const { user } = existing;
      const outcome = await store.users.update(
        user.projectId,
        user.id,
        { passwordHash, disabled: false },
        Date.now(),
      );
      if (!outcome.ok) throw new StartupError(`Cannot change user "${username}" (${outcome.reason}).`);
      await store.sessions.deleteForUser(user.id);
      return { password, user: outcome.value, created: false };
    });
  });
}

/**
 * Puts a backup (from `vigil backup` / `POST /api/v1/admin/backup`) in place as the data
 * folder's database, with the server stopped. The backup is checked first; the files it
 * replaces are kept beside it (`vigil.duckdb.replaced-<time>`), never deleted.
 */
export async function restoreDataDir(
  backupFile: string,
  dataDir: string,
): Promise<{ replaced: string[]; artifacts: number }> {
  if (!existsSync(backupFile)) throw new StartupError(`No backup file ${backupFile}.`);
  prepareDataDir(dataDir);
  const target = join(dataDir, DATABASE_FILE);
  if (existsSync(target)) {
    // Opening the current database fails with a lock error while a server runs on it.
    try {
      const current = await DuckDbDatabase.open({ path: target });
      current.abandon();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/Conflicting lock/.test(message)) {
        throw new StartupError(
          `The database ${target} is in use: a Vigil server is running on this data folder; stop it before restoring.`,
        );
      }
      // A damaged database may not open at all: that is what the restore is for.
    }
  }
  // A backup is a tar of the database and the artifacts (`vigil backup`), or the bare database.
  const archive = (await isTarFile(backupFile)) ? await backupArchive(backupFile) : null;
  const incoming = join(dataDir, `${DATABASE_FILE}.restoring`);
  if (archive) {
    await pipeline(readTarEntry(backupFile, archive.database), createWriteStream(incoming, { mode: 0o600 }));
  } else {
    await copyFile(backupFile, incoming);
  }
  await chmod(incoming, 0o600);
  let damage: string | null;
  try {
    const check = await DuckDbDatabase.open({ path: incoming });
    try {
      damage = await check.damage();
      await check.rows(check.reader, 'SELECT count(*) FROM schema_migrations');
    } finally {
      check.abandon();
    }
  } catch (error) {
    damage = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  }
  if (damage) {
    await rm(incoming, { force: true });
    await rm(`${incoming}.wal`, { force: true });
    throw new StartupError(
      `The backup ${backupFile} is not a usable Vigil database: ${damage}. Nothing was changed.`,
    );
  }
  // Blobs first: a database whose artifacts are missing is never put in place.
  let artifacts = 0;
  try {
    if (archive) artifacts = await restoreBlobs(backupFile, archive.blobs, dataDir);
  } catch (error) {
    await rm(incoming, { force: true });
    throw error;
  }
  const stamp = new Date().toISOString().replaceAll(':', '-').replace(/\..*/, 'Z');
  const replaced: string[] = [];
  for (const file of [target, `${target}.wal`]) {
    if (existsSync(file)) {
      const aside = `${file}.replaced-${stamp}`;
      await rename(file, aside);
      replaced.push(aside);
    }
  }
  await rename(incoming, target);
  if (existsSync(`${incoming}.wal`)) await rename(`${incoming}.wal`, `${target}.wal`);
  return { replaced, artifacts };
}
