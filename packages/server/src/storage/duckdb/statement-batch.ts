/**
 * Runs the read statements of several computations that go on at the same time (the window
 * profiles of many models) together. Once every computation waits for a statement, the
 * statements of the same shape (the same SQL but for the model's table name and the parameter
 * values) run as one `UNION ALL` whose branches are tagged with their index, and each
 * computation gets exactly the rows its own statement returns. For small windows the cost of a
 * statement is mostly fixed (a round trip, planning, a pipeline per statement), so many
 * model-windows share it.
 *
 * A barrier, not a timer: what is merged does not depend on timing. If a merged statement
 * fails, each statement runs on its own, so an error stays with the computation that caused it.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { DuckDbDatabase, Row } from './database.js';
import type { StatementRunner } from './profiles.js';

/** Branches per merged statement: bounds its parameters and plan. */
const MAX_BRANCHES = 64;

interface Pending {
  sql: string;
  params: DuckDBValue[];
  resolve: (rows: Row[]) => void;
  reject: (error: unknown) => void;
}

/** Statements that differ only in the model's tables and the parameter values have one shape. */
function shapeOf(sql: string): string {
  return sql.replace(/\bm\d+_(predictions|reference)\b/g, 'm_$1');
}

export class StatementBatch {
  private active = 0;
  private pending: Pending[] = [];
  /** Statements sent to the engine (merged or not), for tests. */
  statements = 0;

  constructor(private readonly db: DuckDbDatabase) {}

  /** Runs `work` as one computation whose statements wait for the others'. */
  async participate<T>(work: (run: StatementRunner) => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await work(this.run);
    } finally {
      this.active--;
      this.maybeFlush();
    }
  }

  private readonly run: StatementRunner = (sql, params) =>
    new Promise<Row[]>((resolve, reject) => {
      this.pending.push({ sql, params, resolve, reject });
      this.maybeFlush();
    });

  private maybeFlush(): void {
    if (this.pending.length === 0 || this.pending.length < this.active) return;
    const batch = this.pending;
    this.pending = [];
    const byShape = new Map<string, Pending[]>();
    for (const statement of batch) {
      const shape = shapeOf(statement.sql);
      byShape.set(shape, [...(byShape.get(shape) ?? []), statement]);
    }
    for (const group of byShape.values()) {
      for (let offset = 0; offset < group.length; offset += MAX_BRANCHES) {
        void this.runMerged(group.slice(offset, offset + MAX_BRANCHES));
      }
    }
  }

  private async runMerged(group: Pending[]): Promise<void> {
    if (group.length > 1) {
      const params: DuckDBValue[] = [];
      const branches = group.map(({ sql, params: own }, g) => {
        const offset = params.length;
        params.push(...own);
        // Parameters are numbered per statement: renumbered after the branches before.
        const renumbered = sql.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + offset}`);
        return `SELECT ${g} AS __g, * FROM (${renumbered})`;
      });
      let rows: Row[] | null = null;
      try {
        this.statements++;
        rows = await this.db.read(branches.join(' UNION ALL '), params);
      } catch {
        // Run each alone below: the error (if any) goes to its own statement.
      }
      if (rows) {
        const split = group.map((): Row[] => []);
        for (const row of rows) {
          const g = Number(row.__g);
          delete row.__g;
          split[g]!.push(row);
        }
        for (const [g, statement] of group.entries()) statement.resolve(split[g]!);
        return;
      }
    }
    for (const statement of group) {
      try {
        this.statements++;
        statement.resolve(await this.db.read(statement.sql, statement.params));
      } catch (error) {
        statement.reject(error);
      }
    }
  }
}
