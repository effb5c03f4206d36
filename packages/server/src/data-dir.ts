/**
 * The data folder: created 0700 with its files 0600 (keys and data are readable only by the
 * user running Vigil), and every way it can be unusable told in one line.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** A start-up failure the operator can fix; its message is one line saying what and how. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/**
 * Files Vigil creates from now on (the database, and the write-ahead log DuckDB recreates
 * after each checkpoint) are readable by their owner only. The umask stays set for the
 * life of the process because DuckDB creates files long after it opened the database.
 */
export function restrictNewFileModes(): void {
  try {
    const previous = process.umask(0o077);
    process.umask(previous | 0o077);
  } catch {
    // Worker threads cannot change the umask; files are then tightened after creation.
  }
}

function nearestExisting(path: string): string {
  let current = path;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

function reason(code: string | undefined, at: string): string {
  switch (code) {
    case 'EROFS':
      return `${at} is on a read-only file system`;
    case 'EACCES':
    case 'EPERM':
      return `this user may not write in ${at}`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `${at} is a file, not a folder`;
    case 'ENOSPC':
      return `the disk holding ${at} is full`;
    default:
      return `${at} cannot be written (${code ?? 'unknown error'})`;
  }
}

const HOW =
  'set VIGIL_DATA_DIR (or --data-dir) to a writable folder, or create it and give this user write access';

/** Creates the data folder (0700) if needed and checks it is a writable folder. */
export function prepareDataDir(dataDir: string): void {
  if (!existsSync(dataDir)) {
    try {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    } catch (error) {
      // A recursive mkdir reports ENOENT whatever went wrong: ask the nearest existing folder why.
      const at = nearestExisting(dirname(dataDir));
      let code = (error as NodeJS.ErrnoException).code;
      try {
        if (!statSync(at).isDirectory()) code = 'ENOTDIR';
        else accessSync(at, constants.W_OK);
      } catch (cause) {
        code = (cause as NodeJS.ErrnoException).code ?? code;
      }
      throw new StartupError(`Cannot create the data folder ${dataDir}: ${reason(code, at)}; ${HOW}.`);
    }
  }
  if (!statSync(dataDir).isDirectory()) {
    throw new StartupError(`The data folder ${dataDir} is a file, not a folder; ${HOW}.`);
  }
  try {
    accessSync(dataDir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StartupError(`Cannot write in the data folder ${dataDir}: ${reason(code, dataDir)}; ${HOW}.`);
  }
}
