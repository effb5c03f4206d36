/**
 * Small windows read once: when a model's windows are known to hold at most
 * `SMALL_WINDOW_ROWS` rows, the shared window profile reads the window's rows in one statement
 * (every column its monitors' requests read) and computes each profile and the multivariate
 * sample in-process (`row-profile.ts`), instead of several engine passes and a sample query.
 *
 * Whether a window is small is known without a statement: a window of the last N rows is
 * small when N is; a clock window is small when the model's previous window of the same length
 * and scope was (remembered in memory). The read asks for one row more than the bound, and a
 * window that turns out larger takes the engine path. A model's first window takes it too.
 */
import type { ProfileSource } from '../storage/profiles.js';
import type { ModelColumn, Store } from '../storage/types.js';
import { RowColumns, type RowTargets } from './row-profile.js';

/**
 * The most rows a window profiled in-process may hold: far above where the engine's fixed cost
 * per statement dominates (a few thousand rows), far below where reading rows costs more than
 * aggregating them in the engine; and the multivariate sample's default limit (5,000 rows)
 * fits, so such a window's sample is the window itself.
 */
export const SMALL_WINDOW_ROWS = 10_000;

/** Row counts of earlier windows, kept across evaluations (the evaluator's `BaselineCache`). */
export interface WindowSizeHints {
  hint(modelId: number, key: string): number | undefined;
  setHint(modelId: number, key: string, value: number): void;
}

/** What a window's size is remembered by: its source without its place in time. */
function sizeKey(source: ProfileSource): string | null {
  if (source.kind !== 'predictions' || source.windowStarts !== undefined) return null;
  if (source.lastN !== undefined || source.fromMicros === undefined || source.toMicros === undefined)
    return null;
  const scope = [source.version ?? null, source.segment ?? null, source.ingestedAfterMicros !== undefined];
  return `window-rows:${source.toMicros - source.fromMicros}:${JSON.stringify(scope)}`;
}

export class SmallWindows {
  /** Rows read per source (by the shared profile's source id), with what they cover. */
  private readonly read = new Map<string, { targets: RowTargets; rows: RowColumns }>();
  /** Sources found larger than the bound in this evaluation. */
  private readonly large = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly modelId: number,
    private readonly columns: ModelColumn[],
    private readonly hints: WindowSizeHints,
    private readonly limit = SMALL_WINDOW_ROWS,
  ) {}

  /** Whether `source` is known to be small enough to be read whole. */
  private small(id: string, source: ProfileSource): boolean {
    if (this.large.has(id) || source.kind !== 'predictions' || source.windowStarts !== undefined)
      return false;
    if (source.lastN !== undefined) return source.lastN <= this.limit;
    const key = sizeKey(source);
    const rows = key === null ? undefined : this.hints.hint(this.modelId, key);
    return rows !== undefined && rows <= this.limit;
  }

  /** Remembers how many rows a window had, for the model's next window of that length. */
  remember(source: ProfileSource, rows: number): void {
    const key = sizeKey(source);
    if (key !== null) this.hints.setHint(this.modelId, key, rows);
  }

  /**
   * The rows of `source` with at least the columns `targets` reads, or null when the source is
   * not (known to be) small: then the engine computes its profiles.
   */
  async rows(id: string, source: ProfileSource, targets: RowTargets): Promise<RowColumns | null> {
    const known = this.read.get(id);
    if (known && targets.coveredBy(known.rows)) return known.rows;
    if (!this.small(id, source)) return null;
    // A later request reading other columns reads them all again: one consistent set of rows.
    if (known) targets.addAll(known.targets);
    const request = targets.request(source, this.limit);
    const found = await this.store.readWindowRows(this.modelId, this.columns, request);
    if (!found.withinLimit) {
      this.large.add(id);
      this.remember(source, this.limit + 1);
      return null;
    }
    const rows = new RowColumns(request, found);
    this.read.set(id, { targets, rows });
    this.remember(source, rows.rows);
    return rows;
  }
}
