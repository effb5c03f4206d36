/**
 * One open DuckDB database: the single writer connection (DuckDB has one writer), a reader
 * connection, a connection for short lookups, and the locks that serialise each. `DuckDbStore`
 * and every storage area (monitors, alerts, outbox, …) share one instance, so all writes go
 * through one queue.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { chmodSync, existsSync, mkdirSync, statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { restrictNewFileModes } from '../../data-dir.js';
import { StoreUnavailableError, VigilError } from '../../errors.js';
import { PriorityMutex } from '../../util/mutex.js';
import type { StoreHealth, StoreHealthSource } from '../health.js';
import type { WriterActivity } from '../types.js';
import { IdleCheckpoint } from './idle-checkpoint.js';
import { loadNativeBins, type NativeBins, nativeBinsAvailable } from './native-bins.js';
import { readTypedColumns, type TypedColumns } from './typed-read.js';

export type Row = Record<string, unknown>;

export interface DuckDbOpenOptions {
  /** Database file; `:memory:` for a throwaway in-memory database. */
  path: string;
  /** DuckDB memory limit, e.g. `2GB`. */
  memoryLimit?: string;
  threads?: number;
  /**
   * Write-ahead log size (MiB) at which a commit checkpoints (default 128); the log is also
   * checkpointed whenever writes pause (see idle-checkpoint.ts).
   */
  checkpointThresholdMb?: number;
  /** How long the writer must idle before the log is checkpointed (default 1 s). */
  idleCheckpointMs?: number;
  /** While the store cannot write, how often to check whether it can again (default 5 s). */
  recoveryProbeMs?: number;
  /**
   * Count histograms with our DuckDB extension when it is built (default true); false counts
   * with DuckDB's own `histogram` (the same results; see native-bins.ts).
   */
  nativeBins?: boolean;
  /**
   * Let DuckDB store doubles with ALP-RD compression when it would choose it (default false).
   * See `RAW_DOUBLES` below.
   */
  compactDoubles?: boolean;
}

/**
 * ALP-RD is DuckDB's compression for doubles with many significant digits (measurements,
 * scores, standardised features: most of a model's numeric inputs). It saves about a sixth of
 * their space, and decoding it is most of the cost of scanning them: on a million rows of 40
 * such columns, a count and a mean of each cost 215-231 ms of CPU compressed against 72-101 ms
 * stored raw, and a 5,000-row sample 245-281 against 150 ms (docs/benchmarks.md). Every window a
 * monitor evaluates is such a scan, so the store keeps those doubles raw; ALP, which compresses
 * doubles of few digits (prices, counts, rounded values) and decodes fast, stays on.
 */
const RAW_DOUBLES = "SET GLOBAL disabled_compression_methods = 'alprd'";

/** Out of space, or of the space this process may use (a quota, a file size limit). */
const DISK_FULL =
  /No space left on device|ENOSPC|disk is full|Disk full|Disk quota exceeded|EDQUOT|File too large|EFBIG/i;
/** DuckDB invalidates the instance after a fatal error (e.g. a failed checkpoint). */
const FATAL = /FATAL Error|database has been invalidated/i;
/** Free space needed, beyond the write-ahead log's size, before writes are tried again. */
const MIN_FREE_BYTES = 1024 * 1024;
/** DuckDB's own default is 16 MiB: see idle-checkpoint.ts for why it is larger here. */
export const DEFAULT_CHECKPOINT_THRESHOLD_MB = 128;

/**
 * A lock whose tasks fail fast with a 507/503 while the store cannot serve them, and whose
 * storage errors (disk full, fatal engine errors) mark the store unwritable. Urgent tasks (an
 * ingestion group commit) go before the ordinary ones waiting, so that acknowledging data never
 * waits behind a queue of evaluation writes.
 */
class GuardedLock extends PriorityMutex {
  constructor(
    private readonly db: DuckDbDatabase,
    private readonly kind: 'read' | 'write',
  ) {
    super();
  }

  /** Tasks queued or running. */
  pending = 0;

  override run<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    return super.run(this.guarded(task));
  }

  override runUrgent<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    return super.runUrgent(this.guarded(task));
  }

  /** Seconds the lock has been held in all, since the database was opened. */
  heldSeconds = 0;

  private guarded<T>(task: () => Promise<T>): () => Promise<T> {
    return async () => {
      const started = performance.now();
      try {
        this.db.admit(this.kind);
        return await task();
      } catch (error) {
        throw this.db.storageFailure(error) ?? error;
      } finally {
        this.heldSeconds += (performance.now() - started) / 1000;
        this.pending--;
        if (this.kind === 'write' && this.pending === 0) this.db.idleCheckpoint.wrote();
      }
    };
  }

  /** For the recovery probe, which must run while the store is marked unwritable. */
  runUnguarded<T>(task: () => Promise<T>): Promise<T> {
    return super.run(task);
  }
}

/**
 * Code that joins every write transaction of some work (see `DuckDbDatabase.observe`): the
 * audit trail appends its entries this way, in the transaction of the change they record.
 */
export interface TransactionObserver {
  /** Inside the transaction, right after it began. */
  begun(): Promise<void>;
  /** Inside the transaction, right before it commits; may write on the writer connection. */
  committing(): Promise<void>;
}

interface Observation {
  observer: TransactionObserver;
  /** True while a transaction of the observed work is open: its reads go to the writer. */
  inTransaction: boolean;
  /** Set when the observed work settled: timers it left behind are no longer observed. */
  closed: boolean;
}

interface GroupMember {
  work: () => Promise<unknown>;
  /** `performance.now()` when the work was handed to `grouped`. */
  queuedAt: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class DuckDbDatabase implements StoreHealthSource {
  readonly writeLock = new GuardedLock(this, 'write');
  readonly readLock = new GuardedLock(this, 'read');
  /**
   * Short point reads (a model by name, an API key, a model's columns) have a connection of
   * their own, so that acknowledging ingestion never waits behind an evaluation's scans.
   */
  readonly lookupLock = new GuardedLock(this, 'read');
  private state: StoreHealth = { writable: true };
  private readonly healthListeners = new Set<(health: StoreHealth) => void>();
  private readonly reopenListeners = new Set<() => void>();
  private probe: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly observation = new AsyncLocalStorage<Observation>();
  readonly idleCheckpoint: IdleCheckpoint;
  /** Whether our extension (`vigil_profile`) is loaded, or why not (logged once at start-up). */
  nativeBins: NativeBins;

  private constructor(
    private readonly options: DuckDbOpenOptions,
    private currentInstance: DuckDBInstance,
    private currentWriter: DuckDBConnection,
    private currentReader: DuckDBConnection,
    private currentLookup: DuckDBConnection,
    nativeBins: NativeBins,
  ) {
    this.nativeBins = nativeBins;
    this.idleCheckpoint = new IdleCheckpoint({
      checkpoint: () => this.checkpointIfWritable(),
      logBytes: () => this.logBytes(),
      writing: () => this.writeLock.pending > 0,
      idleMs: options.idleCheckpointMs,
    });
  }

  /** The instance and its connections change when the store reopens after a fatal error. */
  get instance(): DuckDBInstance {
    return this.currentInstance;
  }
  get writer(): DuckDBConnection {
    return this.currentWriter;
  }
  get reader(): DuckDBConnection {
    return this.currentReader;
  }
  get lookupConnection(): DuckDBConnection {
    return this.currentLookup;
  }
  /** The database file (`:memory:` for an in-memory database). */
  get path(): string {
    return this.options.path;
  }

  /**
   * Cheap checks that the file is whole, run at start: a database truncated by a failing
   * disk or a bad copy opens and even answers queries until a read reaches a missing block.
   * Returns what is wrong, or null.
   */
  async damage(): Promise<string | null> {
    if (this.options.path === ':memory:') return null;
    const [size] = await this.rows(this.currentReader, 'PRAGMA database_size');
    const blockSize = Number(size?.block_size ?? 0);
    const totalBlocks = Number(size?.total_blocks ?? 0);
    // Three 4 KiB headers, then the blocks.
    const expected = 3 * 4096 + totalBlocks * blockSize;
    const actual = statSync(this.options.path).size;
    if (actual < expected) {
      return `the file is ${actual} bytes but holds ${totalBlocks} blocks of ${blockSize} bytes (${expected} bytes): it was truncated`;
    }
    await this.rows(this.currentReader, 'SELECT count(*) FROM duckdb_tables()');
    return null;
  }

  /** Closes without a checkpoint: for a file found damaged, which must not be written. */
  abandon(): void {
    this.closed = true;
    this.idleCheckpoint.stop();
    clearInterval(this.probe);
    this.closeConnections();
  }

  private static async connect(options: DuckDbOpenOptions) {
    const config: Record<string, string> = {};
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    config.checkpoint_threshold = `${options.checkpointThresholdMb ?? DEFAULT_CHECKPOINT_THRESHOLD_MB}MiB`;
    const wantsNativeBins = options.nativeBins ?? true;
    // Our extension is not signed by DuckDB; only the store's own statements run on this instance.
    if (nativeBinsAvailable(wantsNativeBins)) config.allow_unsigned_extensions = 'true';
    const instance = await DuckDBInstance.create(options.path, config);
    const writer = await instance.connect();
    // A global setting (DuckDB ignores it as an option of the instance): every later checkpoint.
    if (!options.compactDoubles) await writer.run(RAW_DOUBLES);
    const reader = await instance.connect();
    const lookup = await instance.connect();
    const nativeBins = await loadNativeBins(writer, wantsNativeBins);
    return { instance, writer, reader, lookup, nativeBins };
  }

  static async open(options: DuckDbOpenOptions): Promise<DuckDbDatabase> {
    if (options.path !== ':memory:') {
      mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
      restrictNewFileModes();
    }
    const { instance, writer, reader, lookup, nativeBins } = await DuckDbDatabase.connect(options);
    if (options.path !== ':memory:') {
      // Files from older versions (or another umask) are tightened too.
      for (const file of [options.path, `${options.path}.wal`]) {
        if (existsSync(file)) chmodSync(file, 0o600);
      }
    }
    return new DuckDbDatabase(options, instance, writer, reader, lookup, nativeBins);
  }

  // ---------------------------------------------------------------- health

  health(): StoreHealth {
    return this.state;
  }

  onHealthChange(listener: (health: StoreHealth) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  /** Called after the instance was reopened: connection-scoped state (temp tables, extra connections) is gone. */
  onReopen(listener: () => void): () => void {
    this.reopenListeners.add(listener);
    return () => this.reopenListeners.delete(listener);
  }

  /** Throws at once when the store cannot serve this kind of task. */
  admit(kind: 'read' | 'write'): void {
    const state = this.state;
    if (state.writable || (kind === 'read' && state.readable)) return;
    throw new StoreUnavailableError(state.reason, kind);
  }

  /**
   * Turns a storage error into a 507/503 and marks the store unwritable; `undefined` for
   * other errors (a constraint, bad SQL…), which leave the store as it is.
   */
  storageFailure(error: unknown): VigilError | undefined {
    if (error instanceof VigilError) return undefined;
    const message = error instanceof Error ? error.message : String(error);
    const fatal = FATAL.test(message);
    if (!fatal && !DISK_FULL.test(message)) return undefined;
    const reason = DISK_FULL.test(message) ? 'disk_full' : 'failed';
    if (this.state.writable || (fatal && this.state.readable)) {
      this.setHealth({ writable: false, reason, message, readable: !fatal, since: new Date() });
    }
    return new StoreUnavailableError(this.state.writable ? reason : this.state.reason);
  }

  private setHealth(state: StoreHealth): void {
    this.state = state;
    for (const listener of this.healthListeners) listener(state);
    if (!state.writable && !this.probe && !this.closed) {
      this.probe = setInterval(() => void this.tryRecover(), this.options.recoveryProbeMs ?? 5000);
      this.probe.unref();
    }
  }

  private enoughSpace(): boolean {
    if (this.options.path === ':memory:') return true;
    try {
      const fs = statfsSync(dirname(this.options.path));
      return fs.bavail * fs.bsize >= MIN_FREE_BYTES + this.logBytes();
    } catch {
      return false;
    }
  }

  /** The write-ahead log's size in bytes (0 for an in-memory database). */
  private logBytes(): number {
    if (this.options.path === ':memory:') return 0;
    const wal = `${this.options.path}.wal`;
    return existsSync(wal) ? statSync(wal).size : 0;
  }

  /** A checkpoint between write transactions, when the store can write and has room for it. */
  private async checkpointIfWritable(): Promise<void> {
    if (this.closed || !this.state.writable || !this.enoughSpace()) return;
    await this.writeLock.run(() => this.currentWriter.run('CHECKPOINT'));
  }

  private recovering = false;

  /**
   * Once there is space again: reopen the instance if DuckDB invalidated it (which replays
   * the write-ahead log), and mark the store writable.
   */
  async tryRecover(): Promise<boolean> {
    const state = this.state;
    if (state.writable) return true;
    if (this.recovering || this.closed || !this.enoughSpace()) return false;
    this.recovering = true;
    try {
      await this.writeLock.runUnguarded(() =>
        this.readLock.runUnguarded(() =>
          this.lookupLock.runUnguarded(async () => {
            if (!state.readable) {
              try {
                this.closeConnections();
              } catch {
                // The invalidated instance may refuse to close cleanly; it is dropped either way.
              }
              const next = await DuckDbDatabase.connect(this.options);
              this.currentInstance = next.instance;
              this.currentWriter = next.writer;
              this.currentReader = next.reader;
              this.currentLookup = next.lookup;
              this.nativeBins = next.nativeBins;
              for (const listener of this.reopenListeners) listener();
              // Fold the replayed log into the file now, while there is room.
              await this.currentWriter.run('CHECKPOINT');
            }
          }),
        ),
      );
      clearInterval(this.probe);
      this.probe = undefined;
      this.setHealth({ writable: true });
      return true;
    } catch {
      return false;
    } finally {
      this.recovering = false;
    }
  }

  async rows(
    connection: DuckDBConnection,
    sql: string,
    params: DuckDBValue[] = [],
    types?: DuckDBType[],
  ): Promise<Row[]> {
    const reader = await connection.runAndReadAll(sql, params, types);
    return reader.getRowObjectsJS() as Row[];
  }

  /** The observation of the current async context, if its work is still running. */
  private activeObservation(): Observation | undefined {
    const observation = this.observation.getStore();
    return observation && !observation.closed ? observation : undefined;
  }

  /**
   * Runs `work` so that every write transaction it starts calls `observer` inside it (after
   * BEGIN and before COMMIT). Its single-statement writes become transactions for this, and its
   * reads during its own transactions see their uncommitted writes (they go to the writer).
   */
  async observe<T>(observer: TransactionObserver, work: () => Promise<T>): Promise<T> {
    const observation: Observation = { observer, inTransaction: false, closed: false };
    try {
      return await this.observation.run(observation, work);
    } finally {
      observation.closed = true;
    }
  }

  /** A query on the reader connection (on the writer inside an observed transaction, to see its writes). */
  read(sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
    return this.onReader((connection) => this.rows(connection, sql, params));
  }

  /** Runs a read on the reader connection, or on the writer inside an observed transaction. */
  private onReader<T>(read: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.activeObservation()?.inTransaction) return read(this.writer);
    return this.readLock.run(() => read(this.reader));
  }

  /**
   * `read`, by column: each column's values in row order. For results of many rows and columns
   * (row samples) this is several times cheaper than an object per row.
   */
  readColumns(sql: string, params: DuckDBValue[] = []): Promise<Record<string, unknown[]>> {
    return this.onReader((connection) => this.columns(connection, sql, params));
  }

  async columns(
    connection: DuckDBConnection,
    sql: string,
    params: DuckDBValue[] = [],
  ): Promise<Record<string, unknown[]>> {
    const reader = await connection.runAndReadAll(sql, params);
    return reader.getColumnsObjectJS() as Record<string, unknown[]>;
  }

  /**
   * `readColumns` for results of numbers and text only, read straight from the result's vectors
   * (see typed-read.ts): for many rows and columns (a window's rows) it costs a fraction of the
   * value-by-value conversion.
   */
  readTyped(sql: string, params: DuckDBValue[] = []): Promise<TypedColumns> {
    return this.onReader((connection) => this.typedColumns(connection, sql, params));
  }

  async typedColumns(
    connection: DuckDBConnection,
    sql: string,
    params: DuckDBValue[] = [],
  ): Promise<TypedColumns> {
    return readTypedColumns(await connection.run(sql, params));
  }

  /**
   * `read` for a short point read (a few rows by key) that a request waits for, on the lookup
   * connection: it never queues behind the long reads of evaluation.
   */
  lookup(sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
    if (this.activeObservation()?.inTransaction) return this.rows(this.writer, sql, params);
    return this.lookupLock.run(() => this.rows(this.currentLookup, sql, params));
  }

  /** One statement on the writer connection, in its own implicit transaction. */
  write(sql: string, params: DuckDBValue[] = [], types?: DuckDBType[]): Promise<Row[]> {
    if (this.activeObservation()) return this.transaction(() => this.rows(this.writer, sql, params, types));
    return this.writeLock.run(() => this.rows(this.writer, sql, params, types));
  }

  /**
   * `write` for a one-row bookkeeping write that a request waits for (an API key's last use): it
   * goes before the evaluation writes waiting, as an ingestion commit does.
   */
  writeUrgently(sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
    if (this.activeObservation()) return this.transaction(() => this.rows(this.writer, sql, params));
    return this.writeLock.runUrgent(() => this.rows(this.writer, sql, params));
  }

  /** Writes gathered for the open transaction, each written once right before it commits. */
  private commitWrites = new Map<string, { state: unknown; write: (state: unknown) => Promise<void> }>();

  /**
   * The state of a write that the open transaction makes once, right before it commits, however
   * many works of a group commit add to it: a rollup (the traffic counts of a model) that each
   * batch would otherwise write with statements of its own. The first call under `key` in a
   * transaction creates the state and registers `write`; later calls get the same state to add
   * to. A rollback drops it with the rest. The caller holds the write lock, inside
   * `inTransaction`.
   */
  writeAtCommit<S>(key: string, create: () => S, write: (state: S) => Promise<void>): S {
    let entry = this.commitWrites.get(key);
    if (!entry) {
      entry = { state: create(), write: write as (state: unknown) => Promise<void> };
      this.commitWrites.set(key, entry);
    }
    return entry.state as S;
  }

  private async writeGathered(): Promise<void> {
    const writes = [...this.commitWrites.values()];
    this.commitWrites.clear();
    for (const { state, write } of writes) await write(state);
  }

  /** Runs `body` in a transaction on the writer connection; the caller holds the write lock. */
  async inTransaction<T>(body: () => Promise<T>, beforeCommit?: () => void): Promise<T> {
    const observation = this.activeObservation();
    this.commitWrites.clear();
    await this.writer.run('BEGIN TRANSACTION');
    try {
      if (observation) {
        observation.inTransaction = true;
        await observation.observer.begun();
      }
      const result = await body();
      await this.writeGathered();
      if (observation) await observation.observer.committing();
      beforeCommit?.();
      await this.writer.run('COMMIT');
      this.commitCount++;
      return result;
    } catch (error) {
      this.commitWrites.clear();
      try {
        await this.writer.run('ROLLBACK');
      } catch {
        // A failed COMMIT (e.g. the log could not be written) leaves no transaction to roll
        // back: the first error is the one that says what happened.
      }
      throw error;
    } finally {
      if (observation) observation.inTransaction = false;
    }
  }

  /** Transactions committed through `inTransaction` since the database was opened. */
  commitCount = 0;
  private readonly groupActivity = {
    groupCommits: 0,
    groupedWorks: 0,
    groupWaitSeconds: 0,
    groupWorkSeconds: 0,
    gatheredWriteSeconds: 0,
    commitSeconds: 0,
  };

  /** Where the writer's time went since the database was opened (for the metrics). */
  writerActivity(): WriterActivity {
    return { ...this.groupActivity, writerHeldSeconds: this.writeLock.heldSeconds };
  }
  private groupQueue: GroupMember[] = [];

  /** Works waiting for the next group commit. */
  get waitingForCommit(): number {
    return this.groupQueue.length;
  }

  private groupScheduled = false;

  /**
   * Group commit: runs `work` on the writer inside a transaction shared with the work of other
   * callers that arrived while the writer was busy, so that they pay for one commit (one flush
   * of the write-ahead log) together. Each caller's promise settles only after that commit:
   * resolved, its writes are durable. When any work of a group fails, the group is rolled back
   * and each work runs again in a transaction of its own, so one failure (a repeated key) fails
   * only its own caller.
   */
  grouped<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.groupQueue.push({
        work,
        queuedAt: performance.now(),
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (this.groupScheduled) return;
      this.groupScheduled = true;
      // A group commits the work of many callers: no one caller's observer joins it.
      this.observation
        .exit(() => this.writeLock.runUrgent(() => this.commitGroup(this.takeGroup())))
        .catch((error: unknown) => {
          // The store refused the write lock (it cannot write): the whole group fails with it.
          for (const member of this.takeGroup()) member.reject(error);
        });
    });
  }

  private takeGroup(): GroupMember[] {
    this.groupScheduled = false;
    return this.groupQueue.splice(0);
  }

  /** Runs a group in one transaction; never throws (each member's promise gets the outcome). */
  private async commitGroup(members: GroupMember[]): Promise<void> {
    if (members.length === 0) return;
    const results: unknown[] = [];
    const started = performance.now();
    const activity = this.groupActivity;
    activity.groupCommits++;
    activity.groupedWorks += members.length;
    for (const member of members) activity.groupWaitSeconds += (started - member.queuedAt) / 1000;
    try {
      let worked = started;
      let committing = started;
      await this.inTransaction(
        async () => {
          for (const member of members) results.push(await member.work());
          worked = performance.now();
        },
        () => {
          committing = performance.now();
        },
      );
      activity.groupWorkSeconds += (worked - started) / 1000;
      activity.gatheredWriteSeconds += (committing - worked) / 1000;
      activity.commitSeconds += (performance.now() - committing) / 1000;
      for (let i = 0; i < members.length; i++) members[i]!.resolve(results[i]);
      return;
    } catch (error) {
      if (members.length === 1) {
        members[0]!.reject(this.storageFailure(error) ?? error);
        return;
      }
    }
    for (const member of members) {
      try {
        member.resolve(await this.inTransaction(member.work));
      } catch (error) {
        member.reject(this.storageFailure(error) ?? error);
      }
    }
  }

  /** Takes the write lock and runs `body` in one transaction. */
  transaction<T>(body: () => Promise<T>): Promise<T> {
    return this.writeLock.run(() => this.inTransaction(body));
  }

  close(): void {
    this.closed = true;
    this.idleCheckpoint.stop();
    clearInterval(this.probe);
    this.probe = undefined;
    this.closeConnections();
  }

  private closeConnections(): void {
    this.currentLookup.closeSync();
    this.currentReader.closeSync();
    this.currentWriter.closeSync();
    this.currentInstance.closeSync();
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
