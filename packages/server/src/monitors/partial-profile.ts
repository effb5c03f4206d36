/**
 * Window profiles merged from stored per-minute partial profiles.
 *
 * An open window is evaluated again shortly after each ingestion, and once more when it closes.
 * Scanning the whole growing window each time costs a full scan per evaluation; instead, the
 * additive measures of each minute (rows, first and last time; counts-only histograms: bin
 * counts, nulls and the sum of the values; other histograms, fine ones included: bin counts and
 * sums, nulls, min, max, mean and the sum of squared deviations; category counts; stored
 * violation counts) are kept through `Store.profilePartials`, and an evaluation profiles only
 * the minutes that changed, in one scan grouped by minute, and merges the rest.
 *
 * Exactness: predictions are only ever added (one row per id), so a minute whose row count is
 * unchanged holds exactly the rows its partial was computed from. Each evaluation reads the
 * row count of every minute of the window (a scan of the timestamps), recomputes the minutes
 * whose count differs from the stored one (late data included), and merges. Partials are
 * keyed by the rows' scope (version, segment), the measures resolved to stored columns (a
 * retyped feature is a new column) and the bin edges (a new reference dataset with new edges
 * is a new key). Counts, min and max merge exactly; a window mean is the sum of the minutes'
 * sums over the count (counts-only) or their means merged with the standard deviation by Chan
 * et al.'s pairwise update (`mergeMoments`), and bin sums are sums of the minutes' bin sums:
 * these differ from the engine's own aggregates only in the last digits (as the engine's
 * parallel sums differ between runs; 1e-12 relative in the tests). Category counts merge
 * exactly only when no minute had more categories than the request's limit (then nothing was
 * folded into "other"); otherwise that request is left to the full scan. Anything else
 * (labels, `where` on the label, quantiles) is left to the full scan.
 *
 * Size: a minute's histogram keeps only its non-empty bins (`partial-bins.ts`: a sum, a count
 * and an index, 11 bytes a bin when counts stay below 256, in base64); a fine score histogram
 * of performance estimation (1,000 bins, nearly all filled in a busy minute) takes ~15 KB a
 * minute, ~0.9 MB for an hour's window, kept until the window ended one window length ago.
 * Counts-only histograms take a few dozen bytes.
 *
 * Storage stays bounded: the partials of a window are deleted once it ended more than one
 * window length ago (at the model's next partial write), with the model, and never written
 * for windows already older than that.
 */
import { createHash } from 'node:crypto';
import { EMPTY_MOMENTS, type Moments, mergeMoments, momentsFromStd, momentsStd } from '@vigil/stats';
import type { ProfilePartial, ProfilePartialWindow } from '../storage/profile-partials.js';
import {
  type CategoricalProfile,
  emptyWindowProfile,
  evenlySpacedEdges,
  type NumericProfile,
  type ProfileRequest,
  type ProfileSource,
  type ProfileTarget,
  strictlyIncreasing,
  type WindowProfile,
} from '../storage/profiles.js';
import type { ModelColumn, Store } from '../storage/types.js';
import { addBins, encodeBins } from './partial-bins.js';

/** Sub-window of the partials. */
export const PARTIAL_BUCKET_MICROS = 60_000_000;
/** The engine's default category limit (see `ProfileRequest.categorical`). */
const DEFAULT_CATEGORY_LIMIT = 1000;
/**
 * Histograms with more inner edges are binned by arithmetic on evenly spaced edges (see
 * `storage/duckdb/profiles.ts`), and their counts-only form comes back with per-bin sums.
 */
const MAX_INLINE_EDGES = 64;
/** Dirty minutes in more runs than this are recomputed as one range. */
const MAX_RANGES = 4;

type Measures = Omit<ProfileRequest, 'source' | 'bucketMicros'>;
type NumericSpec = NonNullable<Measures['numeric']>[number];
type CategoricalSpec = NonNullable<Measures['categorical']>[number];

/** One measure of one minute, as stored (one of `n`, `x`, `c`, `v`). */
interface MinutePayload {
  first: number | null;
  last: number | null;
  /** A counts-only numeric spec: bin counts, nulls, sum of the values. */
  n?: [number[], number, number];
  /**
   * Any other numeric spec: nulls, min, max, mean (null without values), the sum of squared
   * deviations from the mean, and the non-empty bins' counts and sums (`encodeBins`).
   */
  x?: [number, number | null, number | null, number | null, number, string];
  /** A categorical spec: counts, nulls, values folded into "other" (merging needs 0). */
  c?: [Record<string, number>, number, number];
  /** Violation counts. */
  v?: Record<string, number>;
}

/** One measure: a numeric (counts-only or not) or categorical spec (by index), or the violation counts. */
type Measure = { kind: 'n' | 'x' | 'c'; index: number } | { kind: 'v' };

const isLabel = (target: ProfileTarget) =>
  'field' in target && (target.field === 'label' || target.field === 'label_num');

/** Whether a numeric spec's window measures merge from its minutes' measures. */
export function mergeableNumeric(spec: NumericSpec): boolean {
  const inner = spec.edges.slice(1, -1);
  const binnable =
    spec.edges.length >= 2 &&
    inner.every(Number.isFinite) &&
    strictlyIncreasing(inner) &&
    // Fine histograms: counts-only ones come back with the sums of their non-empty bins only.
    (inner.length <= MAX_INLINE_EDGES || (spec.countsOnly !== true && evenlySpacedEdges(inner)));
  return (
    binnable && (spec.quantiles ?? []).length === 0 && !isLabel(spec.target) && spec.where?.field !== 'label'
  );
}

export function mergeableCategorical(spec: CategoricalSpec): boolean {
  return !isLabel(spec.target);
}

/** Byte order of UTF-8 strings, as the engine orders text. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export interface PartialMeasures {
  numeric: NumericSpec[];
  categorical: CategoricalSpec[];
  violations: boolean;
}

export interface PartialOutcome {
  /** The window's profile of what merged (undefined: the window has no rows). */
  profile: WindowProfile | undefined;
  /** Categorical specs that could not be merged exactly (left to the full scan). */
  unmerged: CategoricalSpec[];
}

/** A minute's measure as stored: its rows and payload. */
interface MinuteMeasure {
  rows: number;
  payload: MinutePayload;
}

/**
 * The partials of recently evaluated windows, parsed, kept in the evaluator's memory so that
 * each evaluation of an open window need not read and parse every minute's partials again.
 * What it holds is exact whoever wrote the partials: a minute's measure is used only while the
 * minute has the rows it was computed from. Bounded (`maxEntries` minute measures in all, the
 * least recently used windows forgotten); a window not in memory is read from the store.
 */
export class PartialMemory {
  private readonly windows = new Map<string, Map<string, MinuteMeasure>>();
  private entries = 0;

  constructor(private readonly maxEntries = 200_000) {}

  /** The window's measures by `shape|minute`, if any are kept (taken out until `keep`). */
  take(window: string): Map<string, MinuteMeasure> | undefined {
    const found = this.windows.get(window);
    if (found) {
      this.windows.delete(window);
      this.entries -= found.size;
    }
    return found;
  }

  keep(window: string, measures: Map<string, MinuteMeasure>): void {
    if (measures.size > this.maxEntries) return;
    this.windows.set(window, measures);
    this.entries += measures.size;
    for (const [oldest, kept] of this.windows) {
      if (this.entries <= this.maxEntries) break;
      this.windows.delete(oldest);
      this.entries -= kept.size;
    }
  }

  /** Windows kept, for tests. */
  get size(): number {
    return this.windows.size;
  }
}

/** The rows a predictions source selects, without its time range: what partials are kept by. */
function scopeOf(source: ProfileSource & { kind: 'predictions' }): ProfileSource {
  return {
    kind: 'predictions',
    ...(source.version !== undefined ? { version: source.version } : {}),
    ...(source.segment !== undefined ? { segment: source.segment } : {}),
  };
}

export class PartialProfiles {
  private readonly rowCounts = new Map<string, Promise<WindowProfile[]>>();

  constructor(
    private readonly store: Store,
    private readonly modelId: number,
    private readonly columns: ModelColumn[],
    private readonly nowMicros: number,
    /** Runs a profile request of this model (through the batch of the evaluation). */
    private readonly profile: (request: ProfileRequest) => Promise<WindowProfile[]>,
    /** Parsed partials of recent windows, kept between evaluations. */
    private readonly memory?: PartialMemory,
  ) {}

  /**
   * Whether `source` is profiled from partials: a clock-aligned window of several minutes,
   * still open or ended less than one window length ago, whose partials are kept.
   */
  applies(source: ProfileSource): boolean {
    if (source.kind !== 'predictions') return false;
    const { fromMicros: from, toMicros: to } = source;
    if (from === undefined || to === undefined) return false;
    if (source.lastN !== undefined || source.ingestedAfterMicros !== undefined) return false;
    if (from % PARTIAL_BUCKET_MICROS !== 0 || to % PARTIAL_BUCKET_MICROS !== 0) return false;
    if (to - from < 2 * PARTIAL_BUCKET_MICROS) return false;
    return to >= this.keepAfter(to - from);
  }

  /** Windows that ended before this are pruned. */
  private keepAfter(windowLength: number): number {
    return this.nowMicros - windowLength;
  }

  /** The window's profile of `measures`, or null when partials are not worth it for this window. */
  async windowProfile(source: ProfileSource, measures: PartialMeasures): Promise<PartialOutcome | null> {
    if (source.kind !== 'predictions') throw new Error('Partials profile predictions only.');
    const from = source.fromMicros!;
    const to = source.toMicros!;
    const scope = scopeOf(source);
    const window: ProfilePartialWindow = {
      modelId: this.modelId,
      windowStartMicros: from,
      windowEndMicros: to,
    };
    const list: Measure[] = [
      ...measures.numeric.map((spec, index): Measure => ({ kind: spec.countsOnly ? 'n' : 'x', index })),
      ...measures.categorical.map((_, index): Measure => ({ kind: 'c', index })),
      ...(measures.violations ? [{ kind: 'v' } as Measure] : []),
    ];
    const shapes = list.map((m) => this.shape(scope, measures, m));
    // The window's measures kept in memory, or read from the store when some shape has none
    // there (a restart, another evaluator's minutes, a measure not asked before).
    const memoryKey = JSON.stringify([this.modelId, scope, from, to]);
    const known = this.memory?.take(memoryKey) ?? new Map<string, MinuteMeasure>();
    const keptShapes = new Set([...known.keys()].map((key) => key.slice(0, key.indexOf('|'))));
    if (!shapes.every((shape) => keptShapes.has(shape))) {
      for (const p of await this.store.profilePartials.read(window, shapes))
        known.set(`${p.shape}|${p.bucketMicros}`, { rows: p.rows, payload: JSON.parse(p.payload) });
    }
    try {
      // A closed window without partials (a backfill, or evaluated first at its close) gains
      // nothing from a scan by minute: the full scan is as fast.
      if (known.size === 0 && to <= this.nowMicros) return null;
      // Rows per minute now: the minutes whose count changed are profiled again.
      const counts = await this.minuteRows(source);
      if (counts.length === 0) return { profile: undefined, unmerged: [] };
      /** Per minute, the rows and each measure's payload (by position in `list`). */
      const minutes = new Map<number, { rows: number; payloads: MinutePayload[] }>();
      const dirty: number[] = [];
      for (const c of counts) {
        const bucket = c.window!;
        const kept = shapes.map((shape) => known.get(`${shape}|${bucket}`));
        if (kept.every((p) => p !== undefined && p.rows === c.rows))
          minutes.set(bucket, { rows: c.rows, payloads: kept.map((p) => p!.payload) });
        else dirty.push(bucket);
      }
      if (dirty.length > 0) {
        const fresh = await this.scan(scope, this.ranges(dirty, counts), measures);
        const written: ProfilePartial[] = [];
        for (const profile of fresh) {
          const payloads = list.map((m) => this.payloadOf(profile, m));
          minutes.set(profile.window!, { rows: profile.rows, payloads });
          payloads.forEach((payload, k) => {
            const text = JSON.stringify(payload);
            // Kept as the store gives it back (JSON has no NaN or -0), so memory and store agree.
            known.set(`${shapes[k]!}|${profile.window!}`, { rows: profile.rows, payload: JSON.parse(text) });
            written.push({
              shape: shapes[k]!,
              bucketMicros: profile.window!,
              rows: profile.rows,
              payload: text,
            });
          });
        }
        await this.store.profilePartials.write(window, written, this.keepAfter(to - from));
      }
      return this.merge([...minutes.values()], measures, list);
    } finally {
      // Kept only while the window's partials are: after that the store no longer has them.
      if (known.size > 0 && to >= this.keepAfter(to - from)) this.memory?.keep(memoryKey, known);
    }
  }

  /**
   * The rows of each minute of a window `applies` to (each minute's start as its `window`),
   * read once per evaluation: later rounds of the same evaluation, and its row sample, reuse it.
   */
  minuteRows(source: ProfileSource): Promise<WindowProfile[]> {
    if (source.kind !== 'predictions') throw new Error('Partials profile predictions only.');
    const scope = scopeOf(source);
    const from = source.fromMicros!;
    const to = source.toMicros!;
    const countsKey = JSON.stringify([scope, from, to]);
    let pending = this.rowCounts.get(countsKey);
    if (!pending) {
      pending = this.profile({
        source: { ...scope, fromMicros: from, toMicros: to } as ProfileSource,
        bucketMicros: PARTIAL_BUCKET_MICROS,
      });
      this.rowCounts.set(countsKey, pending);
      pending.catch(() => this.rowCounts.delete(countsKey));
    }
    return pending;
  }

  /** Whether the window is still open (its last evaluations are still to come). */
  isOpen(source: ProfileSource): boolean {
    return source.kind === 'predictions' && source.toMicros !== undefined && source.toMicros > this.nowMicros;
  }

  /** Runs of dirty minutes (clean minutes with data in between split them), as [from, to) ranges. */
  private ranges(dirty: number[], counts: WindowProfile[]): [number, number][] {
    const isDirty = new Set(dirty);
    const ranges: [number, number][] = [];
    let open: [number, number] | null = null;
    for (const c of counts) {
      const bucket = c.window!;
      if (isDirty.has(bucket)) {
        if (open) open[1] = bucket + PARTIAL_BUCKET_MICROS;
        else open = [bucket, bucket + PARTIAL_BUCKET_MICROS];
      } else if (open) {
        ranges.push(open);
        open = null;
      }
    }
    if (open) ranges.push(open);
    return ranges.length > MAX_RANGES ? [[ranges[0]![0], ranges.at(-1)![1]]] : ranges;
  }

  private async scan(
    scope: ProfileSource,
    ranges: [number, number][],
    measures: PartialMeasures,
  ): Promise<WindowProfile[]> {
    const request = (fromMicros: number, toMicros: number): ProfileRequest => ({
      source: { ...scope, fromMicros, toMicros } as ProfileSource,
      bucketMicros: PARTIAL_BUCKET_MICROS,
      numeric: measures.numeric.map((spec, i) => ({ ...spec, key: `n${i}` })),
      categorical: measures.categorical.map((spec, i) => ({
        ...spec,
        key: `c${i}`,
        limit: spec.limit ?? DEFAULT_CATEGORY_LIMIT,
      })),
      ...(measures.violations ? { violations: true } : {}),
    });
    const results = await Promise.all(ranges.map(([from, to]) => this.profile(request(from, to))));
    return results.flat();
  }

  private payloadOf(profile: WindowProfile, measure: Measure): MinutePayload {
    const payload: MinutePayload = { first: profile.firstMicros, last: profile.lastMicros };
    if (measure.kind === 'n') {
      const p = profile.numeric[`n${measure.index}`]!;
      const present = profile.rows - p.nulls;
      payload.n = [p.counts, p.nulls, present > 0 && p.mean !== null ? p.mean * present : 0];
    } else if (measure.kind === 'x') {
      const p = profile.numeric[`n${measure.index}`]!;
      const { m2 } = momentsFromStd(profile.rows - p.nulls, p.mean, p.std);
      payload.x = [p.nulls, p.min, p.max, p.mean, m2, encodeBins(p.counts, p.sums)];
    } else if (measure.kind === 'c') {
      const p = profile.categorical[`c${measure.index}`] ?? {
        counts: {},
        nulls: profile.rows,
        otherCount: 0,
      };
      payload.c = [p.counts, p.nulls, p.otherCount];
    } else {
      payload.v = profile.violations;
    }
    return payload;
  }

  private merge(
    minutes: { rows: number; payloads: MinutePayload[] }[],
    measures: PartialMeasures,
    list: Measure[],
  ): PartialOutcome {
    const profile = emptyWindowProfile(null);
    for (const { rows, payloads } of minutes) {
      profile.rows += rows;
      const { first, last } = payloads[0]!;
      if (first !== null)
        profile.firstMicros = profile.firstMicros === null ? first : Math.min(profile.firstMicros, first);
      if (last !== null)
        profile.lastMicros = profile.lastMicros === null ? last : Math.max(profile.lastMicros, last);
    }
    const unmerged: CategoricalSpec[] = [];
    list.forEach((measure, k) => {
      if (measure.kind === 'n') {
        const spec = measures.numeric[measure.index]!;
        const counts = new Array<number>(spec.edges.length - 1).fill(0);
        let nulls = 0;
        let sum = 0;
        for (const { payloads } of minutes) {
          const [c, n, s] = payloads[k]!.n!;
          c.forEach((v, b) => {
            counts[b]! += v;
          });
          nulls += n;
          sum += s;
        }
        const present = profile.rows - nulls;
        const result: NumericProfile = {
          counts,
          sums: new Array<number>(counts.length).fill(Number.NaN),
          nulls,
          min: null,
          max: null,
          mean: present > 0 ? sum / present : null,
          std: null,
        };
        profile.numeric[spec.key] = result;
      } else if (measure.kind === 'x') {
        const spec = measures.numeric[measure.index]!;
        const bins = spec.edges.length - 1;
        const result: NumericProfile = {
          counts: new Array<number>(bins).fill(0),
          sums: new Array<number>(bins).fill(0),
          nulls: 0,
          min: null,
          max: null,
          mean: null,
          std: null,
        };
        let moments: Moments = EMPTY_MOMENTS;
        for (const { rows, payloads } of minutes) {
          const [nulls, min, max, mean, m2, encoded] = payloads[k]!.x!;
          result.nulls += nulls;
          if (min !== null && (result.min === null || min < result.min)) result.min = min;
          if (max !== null && (result.max === null || max > result.max)) result.max = max;
          if (mean !== null) moments = mergeMoments(moments, { count: rows - nulls, mean, m2 });
          addBins(encoded, result.counts, result.sums);
        }
        if (moments.count > 0) {
          result.mean = moments.mean;
          result.std = momentsStd(moments);
        }
        profile.numeric[spec.key] = result;
      } else if (measure.kind === 'c') {
        const spec = measures.categorical[measure.index]!;
        const counts = new Map<string, number>();
        let nulls = 0;
        let folded = false;
        for (const { payloads } of minutes) {
          const [c, n, other] = payloads[k]!.c!;
          if (other > 0) folded = true;
          for (const [value, count] of Object.entries(c)) counts.set(value, (counts.get(value) ?? 0) + count);
          nulls += n;
        }
        if (folded) {
          unmerged.push(spec);
          return;
        }
        // The engine's ranking: most frequent first, ties by value; the rest is "other".
        const ranked = [...counts].sort(([a, x], [b, y]) => y - x || compareUtf8(a, b));
        const limit = spec.limit ?? DEFAULT_CATEGORY_LIMIT;
        const result: CategoricalProfile = { counts: {}, nulls, otherCount: 0 };
        ranked.forEach(([value, count], r) => {
          if (r < limit) result.counts[value] = count;
          else result.otherCount += count;
        });
        profile.categorical[spec.key] = result;
      } else {
        for (const { payloads } of minutes)
          for (const [v, n] of Object.entries(payloads[k]!.v ?? {}))
            profile.violations[v] = (profile.violations[v] ?? 0) + n;
      }
    });
    return { profile, unmerged };
  }

  /** What one measure of the partials is, resolved to stored columns, as a short stable key. */
  private shape(scope: ProfileSource, measures: PartialMeasures, measure: Measure): string {
    const resolved = (target: ProfileTarget) =>
      'column' in target
        ? this.columns
            .filter((c) => c.name === target.column)
            .map((c) => [c.name, c.role, c.type, c.position])
        : target.field;
    let what: unknown;
    if (measure.kind === 'n' || measure.kind === 'x') {
      // The kind names the payload's form: a spec's counts-only and full partials never mix.
      const s = measures.numeric[measure.index]!;
      what = [
        measure.kind,
        resolved(s.target),
        s.edges.map(String),
        s.where ? [s.where.field, s.where.equals] : null,
      ];
    } else if (measure.kind === 'c') {
      const s = measures.categorical[measure.index]!;
      what = ['c', resolved(s.target), s.limit ?? DEFAULT_CATEGORY_LIMIT];
    } else {
      what = ['v'];
    }
    const description = JSON.stringify({
      bucket: PARTIAL_BUCKET_MICROS,
      scope,
      segment:
        scope.kind === 'predictions' && scope.segment ? resolved({ column: scope.segment.name }) : null,
      what,
    });
    return createHash('sha256').update(description).digest('base64url');
  }
}
