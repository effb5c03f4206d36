/**
 * Inserting a columnar batch as a query instead of through the appender. The appender's
 * flush (the table append and its primary-key index) runs synchronously on the calling
 * thread, which is the server's event loop; `INSERT INTO t SELECT * FROM vigil_batch(k)`
 * runs on DuckDB's threads, and only asks the event loop to fill each 2,048-row chunk from
 * the batch's typed arrays (`column-sources.ts`), which takes a few copies per column. So
 * while DuckDB inserts one batch, the event loop receives and checks the next.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type DuckDBConnection, DuckDBTableFunction, INTEGER } from '@duckdb/node-api';
import { CHUNK_ROWS, type ColumnSource, fillChunk } from './column-sources.js';
import { finishOnWorker, hasWorkerThread } from './prepared.js';

interface PendingBatch {
  sources: ColumnSource[];
  length: number;
  /** Called when DuckDB has taken the last chunk: the INSERT is nearly done then. */
  drained: () => void;
}

const FUNCTION_NAME = 'vigil_batch';

export class BatchScan {
  private readonly batches = new Map<number, PendingBatch>();
  private lastKey = 0;
  private readonly scan = DuckDBTableFunction.create({
    name: FUNCTION_NAME,
    parameterTypes: [INTEGER],
    bindFunction: (info) => {
      const batch = this.batches.get(Number(info.getParameter(0)));
      if (!batch) {
        info.setError('no such batch');
        return;
      }
      batch.sources.forEach((source, column) => {
        info.addResultColumn(`c${column}`, source.type);
      });
      info.setCardinality(batch.length, true);
      info.setBindData(batch);
    },
    initFunction: (info) => {
      // The batch is filled in order by one thread: chunks come from the event loop anyway.
      info.setMaxThreads(1);
      info.setInitData({ offset: 0 });
    },
    mainFunction: (info, output) => {
      const batch = info.bindData as PendingBatch;
      const state = info.initData as { offset: number };
      const count = Math.min(CHUNK_ROWS, batch.length - state.offset);
      output.rowCount = count;
      if (count === 0) {
        batch.drained();
        return;
      }
      fillChunk(output.chunk, batch.sources, state.offset, count);
      state.offset += count;
    },
  });

  /** Makes the scan known to a connection (again after the database reopened). */
  register(connection: DuckDBConnection): void {
    connection.registerTableFunction(this.scan);
  }

  /**
   * Inserts the batch's rows into `table` (whose columns the sources give, in order) inside
   * the connection's current transaction; rejects as the INSERT does (a repeated key…).
   */
  async insert(connection: DuckDBConnection, table: string, sources: ColumnSource[], length: number) {
    // Keys stay within INTEGER, the parameter's type.
    const key = (this.lastKey % 2_000_000_000) + 1;
    this.lastKey = key;
    let drained = false;
    let wake = () => {};
    this.batches.set(key, {
      sources,
      length,
      drained: () => {
        drained = true;
        wake();
      },
    });
    const sql = `INSERT INTO ${table} SELECT * FROM ${FUNCTION_NAME}(${key})`;
    try {
      if (!(await hasWorkerThread(connection))) {
        await connection.run(sql);
        return;
      }
      // Left to DuckDB's worker (see finishOnWorker: a libuv thread running it would spin while
      // the worker waits on the event loop for every chunk, a fifth of the server's CPU on two
      // cores). Until the scan has given its last chunk, look only now and then (an error ends it early).
      const pause = () =>
        drained ? sleep(1) : Promise.race([sleep(10), new Promise<void>((resolve) => (wake = resolve))]);
      await finishOnWorker(await connection.start(sql), pause);
    } finally {
      this.batches.delete(key);
    }
  }
}
