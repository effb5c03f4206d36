/**
 * Statements run again and again on one connection, prepared once. `connection.run(sql, params)`
 * extracts, prepares and then executes: three trips through DuckDB's thread pool, each back
 * through the event loop, and a parse and plan each time. A statement prepared before is bound
 * and executed in one trip. On the writer's hot path (the traffic rollup of every group commit)
 * each trip waits for the event loop, which under load is busy with other requests.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  DuckDBConnection,
  DuckDBMaterializedResult,
  DuckDBPendingResult,
  DuckDBPreparedStatement,
  DuckDBValue,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';

/** Per connection (a reopened database has new ones), the statements prepared on it by SQL text. */
const prepared = new WeakMap<DuckDBConnection, Map<string, Promise<DuckDBPreparedStatement>>>();

/**
 * Runs `sql` with `params` on `connection` through a statement prepared once per connection. The
 * caller must hold the connection's lock: a statement's parameters are bound before it executes,
 * so two callers at once could execute each other's.
 */
export async function runPrepared(
  connection: DuckDBConnection,
  sql: string,
  params: DuckDBValue[],
): Promise<DuckDBMaterializedResult> {
  const ready = await preparedStatement(connection, sql);
  ready.bind(params);
  return ready.run();
}

/**
 * `runPrepared` for a statement whose work is one long task (an INSERT of many rows from a
 * single-threaded scan): started as a pending result and left to DuckDB's worker thread, while
 * the event loop looks every millisecond whether it is done (see `finishOnWorker`). Without a
 * worker (`threads` = 1), `runPrepared`.
 */
export async function runPreparedOnWorker(
  connection: DuckDBConnection,
  sql: string,
  params: DuckDBValue[],
): Promise<void> {
  if (!(await hasWorkerThread(connection))) {
    await runPrepared(connection, sql, params);
    return;
  }
  const ready = await preparedStatement(connection, sql);
  ready.bind(params);
  await finishOnWorker(ready.start(), () => sleep(1));
}

const hasWorker = new WeakMap<DuckDBConnection, Promise<boolean>>();

/** Whether DuckDB has a worker thread of its own to run a statement on (its `threads` is above 1). */
export function hasWorkerThread(connection: DuckDBConnection): Promise<boolean> {
  let workers = hasWorker.get(connection);
  if (workers === undefined) {
    workers = connection
      .runAndReadAll("SELECT current_setting('threads')")
      .then((reader) => Number(reader.getRows()[0]?.[0]) > 1);
    hasWorker.set(connection, workers);
  }
  return workers;
}

/**
 * Waits for a pending result that DuckDB's worker threads execute, looking whether it is done
 * after each `pause`, then returns its result (or throws its error) as `run` does. Run to its end
 * by a libuv thread instead (`run`), a statement whose one task DuckDB's worker takes leaves that
 * thread busy-waiting ("no tasks available") until the worker is done. Needs a worker thread
 * (`hasWorkerThread`).
 */
export async function finishOnWorker(
  pending: DuckDBPendingResult,
  pause: () => Promise<unknown>,
): Promise<DuckDBMaterializedResult> {
  const handle = (pending as unknown as { pending_result: duckdb.PendingResult }).pending_result;
  for (;;) {
    const state = duckdb.pending_execute_check_state(handle);
    if (state !== duckdb.PendingState.RESULT_NOT_READY && state !== duckdb.PendingState.NO_TASKS_AVAILABLE)
      break;
    await pause();
  }
  return (await pending.getResult()) as DuckDBMaterializedResult;
}

async function preparedStatement(
  connection: DuckDBConnection,
  sql: string,
): Promise<DuckDBPreparedStatement> {
  let statements = prepared.get(connection);
  if (!statements) {
    statements = new Map();
    prepared.set(connection, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = connection.prepare(sql);
    statements.set(sql, statement);
    // A statement that failed to prepare is prepared again next time (and fails as it did).
    statement.catch(() => statements.delete(sql));
  }
  return statement;
}
