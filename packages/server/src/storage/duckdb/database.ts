/**
 * One open DuckDB database: the single writer connection (DuckDB has one writer), a reader
 * connection, and the locks that serialise each. `DuckDbStore` and every storage area
 * (monitors, alerts, outbox, …) share one instance, so all writes go through one queue.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { restrictNewFileModes } from '../../data-dir.js';
import { Mutex } from '../../util/mutex.js';

export type Row = Record<string, unknown>;

export interface DuckDbOpenOptions {
  /** Database file; `:memory:` for a throwaway in-memory database. */
  path: string;
  /** DuckDB memory limit, e.g. `2GB`. */
  memoryLimit?: string;
  threads?: number;
}

export class DuckDbDatabase {
  readonly writeLock = new Mutex();
  readonly readLock = new Mutex();

  private constructor(
    readonly instance: DuckDBInstance,
    readonly writer: DuckDBConnection,
    readonly reader: DuckDBConnection,
  ) {}

  static async open(options: DuckDbOpenOptions): Promise<DuckDbDatabase> {
    if (options.path !== ':memory:') {
      mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
      restrictNewFileModes();
    }
    const config: Record<string, string> = {};
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    const instance = await DuckDBInstance.create(options.path, config);
    const writer = await instance.connect();
    const reader = await instance.connect();
    if (options.path !== ':memory:') {
      // Files from older versions (or another umask) are tightened too.
      for (const file of [options.path, `${options.path}.wal`]) {
        if (existsSync(file)) chmodSync(file, 0o600);
      }
    }
    return new DuckDbDatabase(instance, writer, reader);
  }

  async rows(connection: DuckDBConnection, sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
    const reader = await connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as Row[];
  }

  /** A query on the reader connection. */
  read(sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
    return this.readLock.run(() => this.rows(this.reader, sql, params));
  }

  /** One statement on the writer connection, in its own implicit transaction. */
  write(sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
    return this.writeLock.run(() => this.rows(this.writer, sql, params));
  }

  /** Runs `body` in a transaction on the writer connection; the caller holds the write lock. */
  async inTransaction<T>(body: () => Promise<T>): Promise<T> {
    await this.writer.run('BEGIN TRANSACTION');
    try {
      const result = await body();
      await this.writer.run('COMMIT');
      return result;
    } catch (error) {
      await this.writer.run('ROLLBACK');
      throw error;
    }
  }

  /** Takes the write lock and runs `body` in one transaction. */
  transaction<T>(body: () => Promise<T>): Promise<T> {
    return this.writeLock.run(() => this.inTransaction(body));
  }

  close(): void {
    this.reader.closeSync();
    this.writer.closeSync();
    this.instance.closeSync();
  }
}

export function toNumber(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : (value as number);
}

export function toNullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

export function toDate(value: unknown): Date {
  return new Date(toNumber(value) / 1000);
}

export function parseJson<T>(value: unknown, fallback: T): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : fallback;
}

/** A timestamp parameter: epoch microseconds bound as a DOUBLE and converted in SQL. */
export const TS_PARAM = (n: number) => `make_timestamp(CAST($${n} AS BIGINT))`;
