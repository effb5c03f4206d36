/**
 * Row samples of long windows kept up to date as their minutes arrive.
 *
 * The multivariate monitor works on a bounded sample of the window: the `limit` rows with the
 * smallest (rank, id), the rank a hash of the row (see `SampleRanks`). Drawing it from a window
 * of a million rows costs about a scan: the sampled rows lie in every vector of every column.
 * An open window is evaluated again after each ingestion and once more when it closes, so
 * instead the last sample of each such window is kept in memory with the rows per minute it was
 * drawn from, and an evaluation draws only from the minutes whose row count changed, then keeps
 * the smallest `limit` of the kept rows and the new ones.
 *
 * Exactness: rows are only ever added, so a row of the window's sample that lies in an
 * unchanged minute was in the last sample too (fewer than `limit` rows ranked before it then,
 * since fewer do now), and one in a changed minute is in the sample of that minute's range. The
 * merged sample is the one a draw over the whole window gives: same rows, same values, same
 * order. Minute counts are read before the rows, so rows that arrive in between make the minute
 * count as changed next time, never as unchanged.
 *
 * Memory is bounded (`maxRows` kept rows in all, least recently used windows forgotten); a
 * window not in memory (after a restart, or forgotten) is drawn whole once.
 */
import type { ProfileSource, WindowProfile } from '../storage/profiles.js';
import type { RowSample, SampleRequest } from '../storage/samples.js';
import type { ModelColumn, Store } from '../storage/types.js';
import { compareText } from '../util/text-order.js';
import { PARTIAL_BUCKET_MICROS } from './partial-profile.js';

/** Rows kept in all, across windows: some 20 windows of the default 5,000-row sample. */
const DEFAULT_MAX_ROWS = 100_000;
/** Changed minutes in more runs than this are drawn from as one range. */
const MAX_RANGES = 4;

type Request = Omit<SampleRequest, 'source' | 'ranked'>;

interface KeptSample {
  /** Rows per minute (by the minute's start) the sample was drawn from. */
  minutes: Map<number, number>;
  /** The sample, with its rows' ranks. */
  sample: RowSample & { ranks: NonNullable<RowSample['ranks']> };
}

export class WindowSamples {
  private readonly kept = new Map<string, KeptSample>();
  private keptRows = 0;
  /** Rows drawn (for tests and benchmarks): from whole windows, and from changed minutes. */
  readonly drawn = { whole: 0, minutes: 0 };

  constructor(private readonly maxRows = DEFAULT_MAX_ROWS) {}

  /**
   * The sample of a window of whole minutes, `minuteRows` reading its rows per minute (each
   * minute's start as its `window`). `open` windows are kept; a closed window not kept is drawn
   * whole as usual (nothing more is likely to change it).
   */
  async sample(
    store: Store,
    modelId: number,
    columns: ModelColumn[],
    source: ProfileSource & { kind: 'predictions' },
    request: Request,
    minuteRows: () => Promise<WindowProfile[]>,
    open: boolean,
  ): Promise<RowSample> {
    const key = this.key(modelId, columns, source, request);
    const before = this.take(key);
    if (!before && !open) return store.sampleRows(modelId, columns, { ...request, source });
    // Read before any row is drawn (see the header).
    const counts = new Map((await minuteRows()).map((m) => [m.window!, m.rows]));
    const draw = (from: number, to: number, rankAtMost?: bigint) =>
      store.sampleRows(modelId, columns, {
        ...request,
        source: { ...source, fromMicros: from, toMicros: to },
        ranked: true,
        ...(rankAtMost !== undefined ? { rankAtMost } : {}),
      });
    if (!before) {
      const whole = await draw(source.fromMicros!, source.toMicros!);
      this.drawn.whole += whole.totalRows;
      this.keep(key, counts, whole);
      return withoutRanks(whole);
    }
    const changed = [...new Set([...counts.keys(), ...before.minutes.keys()])]
      .filter((minute) => counts.get(minute) !== before.minutes.get(minute))
      .sort((a, b) => a - b);
    if (changed.length === 0) {
      this.keep(key, counts, before.sample);
      return withoutRanks(before.sample);
    }
    const ranges = runs(changed);
    const inRanges = (micros: number) => ranges.some(([from, to]) => micros >= from && micros < to);
    const fresh = await Promise.all(
      ranges.map(([from, to]) => draw(from, to, limitRank(before.sample, request.limit, inRanges))),
    );
    let unchangedRows = 0;
    for (const [minute, rows] of before.minutes) if (!inRanges(minute)) unchangedRows += rows;
    const parts = [
      { sample: before.sample, keep: (r: number) => !inRanges(before.sample.ranks.micros[r]!) },
      ...fresh.map((sample) => ({ sample, keep: () => true })),
    ];
    const merged = mergeSamples(parts, request, unchangedRows + fresh.reduce((a, s) => a + s.totalRows, 0));
    this.drawn.minutes += fresh.reduce((a, s) => a + s.totalRows, 0);
    this.keep(key, counts, merged);
    return withoutRanks(merged);
  }

  /** Windows kept, for tests. */
  get size(): number {
    return this.kept.size;
  }

  private key(
    modelId: number,
    columns: ModelColumn[],
    source: ProfileSource & { kind: 'predictions' },
    request: Request,
  ): string {
    // Stored columns, not names: a retyped feature is another column, so another sample.
    const resolved = (names: string[]) =>
      names.map((name) => columns.filter((c) => c.name === name).map((c) => [c.name, c.type, c.position]));
    return JSON.stringify([
      modelId,
      source.fromMicros,
      source.toMicros,
      source.version ?? null,
      source.segment ? [source.segment.name, source.segment.value, resolved([source.segment.name])] : null,
      resolved(request.numeric),
      resolved(request.categorical),
      request.limit,
    ]);
  }

  /** Takes the window's kept sample out (it is put back, updated, by `keep`). */
  private take(key: string): KeptSample | undefined {
    const found = this.kept.get(key);
    if (found) {
      this.kept.delete(key);
      this.keptRows -= found.sample.rows;
    }
    return found;
  }

  private keep(key: string, minutes: Map<number, number>, sample: RowSample): void {
    if (!sample.ranks || sample.rows > this.maxRows) return;
    this.kept.set(key, { minutes, sample: sample as KeptSample['sample'] });
    this.keptRows += sample.rows;
    for (const [oldest, { sample: old }] of this.kept) {
      if (this.keptRows <= this.maxRows) break;
      this.kept.delete(oldest);
      this.keptRows -= old.rows;
    }
  }
}

/**
 * The rank of the `limit`-th kept row outside the changed ranges (undefined when there are
 * fewer): a new row ranked above it cannot enter the sample, so draws need not read it.
 */
function limitRank(
  kept: KeptSample['sample'],
  limit: number,
  inRanges: (micros: number) => boolean,
): bigint | undefined {
  const ranks: bigint[] = [];
  for (let r = 0; r < kept.rows; r++) if (!inRanges(kept.ranks.micros[r]!)) ranks.push(kept.ranks.rank[r]!);
  if (ranks.length < limit) return undefined;
  ranks.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ranks[limit - 1];
}

/** Consecutive minutes as [from, to) ranges; one range when they fall in too many runs. */
function runs(minutes: number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const minute of minutes) {
    const last = ranges.at(-1);
    if (last && last[1] === minute) last[1] = minute + PARTIAL_BUCKET_MICROS;
    else ranges.push([minute, minute + PARTIAL_BUCKET_MICROS]);
  }
  return ranges.length > MAX_RANGES ? [[ranges[0]![0], ranges.at(-1)![1]]] : ranges;
}

/**
 * The smallest `limit` rows by (rank, id) of the parts' kept rows, in recorded order
 * (timestamp, then id), as one ranked sample of `totalRows` rows.
 */
export function mergeSamples(
  parts: { sample: RowSample; keep: (row: number) => boolean }[],
  request: Request,
  totalRows: number,
): RowSample & { ranks: NonNullable<RowSample['ranks']> } {
  const rows: { part: number; row: number }[] = [];
  parts.forEach(({ sample, keep }, part) => {
    for (let row = 0; row < sample.rows; row++) if (keep(row)) rows.push({ part, row });
  });
  const ranks = parts.map(({ sample }) => sample.ranks!);
  const rank = (r: { part: number; row: number }) => ranks[r.part]!.rank[r.row]!;
  const id = (r: { part: number; row: number }) => ranks[r.part]!.id[r.row]!;
  const micros = (r: { part: number; row: number }) => ranks[r.part]!.micros[r.row]!;
  rows.sort((a, b) => {
    const x = rank(a);
    const y = rank(b);
    return x < y ? -1 : x > y ? 1 : compareText(id(a), id(b));
  });
  const chosen = rows.slice(0, request.limit);
  chosen.sort((a, b) => micros(a) - micros(b) || compareText(id(a), id(b)));
  const numeric: Record<string, Float64Array> = {};
  for (const name of request.numeric) {
    const column = new Float64Array(chosen.length);
    chosen.forEach((r, k) => {
      column[k] = parts[r.part]!.sample.numeric[name]![r.row]!;
    });
    numeric[name] = column;
  }
  const categorical: Record<string, (string | null)[]> = {};
  for (const name of request.categorical)
    categorical[name] = chosen.map((r) => parts[r.part]!.sample.categorical[name]![r.row] ?? null);
  return {
    totalRows,
    rows: chosen.length,
    numeric,
    categorical,
    ranks: { rank: chosen.map(rank), id: chosen.map(id), micros: chosen.map(micros) },
  };
}

/** The sample as an unranked draw returns it (callers may keep or change what they get). */
function withoutRanks(sample: RowSample): RowSample {
  return {
    totalRows: sample.totalRows,
    rows: sample.rows,
    numeric: Object.fromEntries(Object.entries(sample.numeric).map(([k, v]) => [k, v.slice()])),
    categorical: Object.fromEntries(Object.entries(sample.categorical).map(([k, v]) => [k, [...v]])),
  };
}
