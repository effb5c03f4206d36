/**
 * Statements run again and again on one connection, prepared once. `connection.run(sql, params)`
 * extracts, prepares and then executes: three trips through DuckDB's thread pool, each back
 * through the event loop, and a parse and plan each time. A statement prepared before is bound
 * and executed in one trip. On the writer's hot path (the traffic rollup of every group commit)
 * each trip waits for the event loop, which under load is busy with other requests.
 */
import type {
  DuckDBConnection,
  DuckDBMaterializedResult,
  DuckDBPreparedStatement,
  DuckDBValue,
} from '@duckdb/node-api';

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
  const ready = await statement;
  ready.bind(params);
  return ready.run();
}
