/**
 * One window profile shared by the monitors of a model evaluated for the same window.
 *
 * Each monitor still asks for exactly what it measures (`currentProfile`), but requests made
 * while the other monitors are also waiting are merged into one `Store.profile` call, and what
 * a round computed answers later requests for the same measures. A model's window is then
 * scanned once or twice in all instead of once or twice per monitor.
 *
 * A round starts when every monitor still evaluating waits for a profile: a barrier, not a
 * timer, so how much is merged does not depend on timing. Every monitor gets what its own
 * request would have returned (same keys, same numbers; `labeled` only when it reads labels).
 * If the merged call fails, each request runs on its own, so an error stays with its monitor.
 *
 * A window known to be small is read once instead (`small-window.ts`): its rows, with every
 * column the round's requests read, and each profile (and the multivariate sample) is computed
 * from them in-process, giving what the store would.
 */
import {
  type CategoricalProfile,
  emptyWindowProfile,
  type NumericProfile,
  type ProfileRequest,
  type ProfileSource,
  profileUsesLabels,
  type RegressionSums,
  type WindowProfile,
} from '../storage/profiles.js';
import type { RowSample, SampleRequest } from '../storage/samples.js';
import type { ModelColumn, Store } from '../storage/types.js';
import {
  mergeableCategorical,
  mergeableNumeric,
  type PartialMeasures,
  type PartialMemory,
  PartialProfiles,
} from './partial-profile.js';
import type { WindowSamples } from './partial-sample.js';
import type { ProfileBatch } from './profile-batch.js';
import { profileFromRows, RowTargets, sampleFromRows, sampleTargets } from './row-profile.js';
import { SmallWindows, type WindowSizeHints } from './small-window.js';

/** The part of a profile request that says what to measure (as `Measures` in context.ts). */
type Measures = Omit<ProfileRequest, 'source' | 'bucketMicros'>;
type NumericSpec = NonNullable<Measures['numeric']>[number];
type CategoricalSpec = NonNullable<Measures['categorical']>[number];
type ConfusionCell = WindowProfile['confusion'][number];

interface Pending {
  source: ProfileSource;
  measures: Measures;
  resolve: (profile: WindowProfile | undefined) => void;
  reject: (error: unknown) => void;
}

/** A row sample of the window (the multivariate monitor's), asked in the same rounds. */
interface PendingSample {
  source: ProfileSource;
  request: Omit<SampleRequest, 'source'>;
  resolve: (sample: RowSample) => void;
  reject: (error: unknown) => void;
}

/** What earlier rounds computed for one source; `undefined` = not computed yet. */
interface Known {
  /** The source had no rows (the store returned no profile). */
  empty: boolean;
  base: WindowProfile | undefined;
  labeled: number | undefined;
  numeric: Map<string, NumericProfile>;
  categorical: Map<string, CategoricalProfile>;
  confusion: ConfusionCell[] | undefined;
  regression: RegressionSums | null | undefined;
  violations: Record<string, number> | undefined;
}

/** Finite edges and numbers print exactly, so equal strings mean equal specs. */
function numericId(spec: NumericSpec): string {
  return [
    JSON.stringify(spec.target),
    spec.edges.join(','),
    (spec.quantiles ?? []).join(','),
    spec.where ? JSON.stringify([spec.where.field, spec.where.equals]) : '',
    spec.countsOnly ? 'counts' : '',
  ].join('|');
}

function categoricalId(spec: CategoricalSpec): string {
  return `${JSON.stringify(spec.target)}|${spec.limit ?? ''}`;
}

function sourceId(source: ProfileSource): string {
  return JSON.stringify(source, (_key, value) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
}

/** A request for the window's rows only (a monitor sizing its baseline). */
function isProbe(measures: Measures): boolean {
  return (
    (measures.numeric ?? []).length === 0 &&
    (measures.categorical ?? []).length === 0 &&
    !measures.confusion &&
    !measures.regression &&
    !measures.violations
  );
}

function copyNumeric(profile: NumericProfile): NumericProfile {
  return {
    ...profile,
    counts: [...profile.counts],
    sums: [...profile.sums],
    ...(profile.quantiles ? { quantiles: [...profile.quantiles] } : {}),
  };
}

export class SharedWindowProfile {
  private active = 0;
  private waiting: (Pending | PendingSample)[] = [];
  private running = false;
  private readonly known = new Map<string, Known>();
  /** Store calls made (rounds plus fallbacks), for tests and benchmarks. */
  storeCalls = 0;

  constructor(
    private readonly store: Store,
    private readonly modelId: number,
    private readonly columns: ModelColumn[],
    /** The profiles of the other model-windows evaluated at the same time, to compute together. */
    private readonly batch?: ProfileBatch,
    /** Merge long windows' additive measures from stored partials, as of this time. */
    partialsAt?: { nowMicros: number },
    /** Read windows known to be small once and profile them in-process (sizes remembered here). */
    windowSizes?: WindowSizeHints,
    /** Keep long windows' row samples and parsed partials between evaluations (with `partialsAt`). */
    private readonly windowSamples?: WindowSamples,
    partialMemory?: PartialMemory,
  ) {
    this.partials = partialsAt
      ? new PartialProfiles(
          store,
          modelId,
          columns,
          partialsAt.nowMicros,
          (request) => this.profileAlone(request),
          partialMemory,
        )
      : undefined;
    this.small = windowSizes ? new SmallWindows(store, modelId, columns, windowSizes) : undefined;
  }

  private readonly small: SmallWindows | undefined;
  /** Windows profiled from their rows read once, for tests and benchmarks. */
  rowReads = 0;

  /** Stored partial profiles of long windows (undefined when not used). */
  readonly partials: PartialProfiles | undefined;

  /**
   * `Store.profile` of this model, computed together with the other model-windows of the batch
   * (for profiles monitors ask for outside the shared window profile, such as traffic history).
   */
  profileAlone(request: ProfileRequest): Promise<WindowProfile[]> {
    const item = { modelId: this.modelId, columns: this.columns, request };
    return this.batch
      ? this.batch.profile(this, item)
      : this.store.profile(this.modelId, this.columns, request);
  }

  /** Runs `evaluate` as one participant: rounds wait for it until it asks or finishes. */
  async participate<T>(evaluate: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await evaluate();
    } finally {
      this.active--;
      this.maybeRun();
    }
  }

  /** The profile of `source` with `measures` (undefined when the source has no rows). */
  request(source: ProfileSource, measures: Measures): Promise<WindowProfile | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ source, measures, resolve, reject });
      this.maybeRun();
    });
  }

  /** `Store.sampleRows` of `source`, asked as a participant (a small window's comes from its rows). */
  sample(source: ProfileSource, request: Omit<SampleRequest, 'source'>): Promise<RowSample> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ source, request, resolve, reject });
      this.maybeRun();
    });
  }

  private maybeRun(): void {
    if (this.running || this.waiting.length === 0 || this.waiting.length < this.active) return;
    const batch = this.waiting;
    this.waiting = [];
    this.running = true;
    this.round(batch).finally(() => {
      this.running = false;
      this.maybeRun();
    });
  }

  private async round(batch: (Pending | PendingSample)[]): Promise<void> {
    const bySource = new Map<string, (Pending | PendingSample)[]>();
    for (const pending of batch) {
      const id = sourceId(pending.source);
      bySource.set(id, [...(bySource.get(id) ?? []), pending]);
    }
    const later: (Pending | PendingSample)[] = [];
    for (const [id, all] of bySource) {
      const profiles = all.filter((r): r is Pending => 'measures' in r);
      let samples = all.filter((r): r is PendingSample => 'request' in r);
      if (await this.fromRows(id, profiles, samples)) continue;
      // A monitor that does not know the window's size yet asks for its rows only, then asks
      // for measures that depend on it. Counting the rows first, on their own, lets those
      // measures join the other monitors' in one pass instead of a second pass over the window
      // (or, once the count says the window is small, one read of its rows with the samples).
      const probes = profiles.filter((r) => isProbe(r.measures));
      let requests = profiles;
      if (probes.length > 0 && probes.length < all.length && !this.known.get(id)?.base) {
        later.push(...profiles.filter((r) => !isProbe(r.measures)), ...samples);
        requests = probes;
        samples = [];
      }
      if (requests.length > 0) {
        try {
          const known = await this.compute(id, requests);
          for (const r of requests) r.resolve(known.empty ? undefined : this.extract(known, r.measures));
          this.small?.remember(requests[0]!.source, known.empty ? 0 : (known.base?.rows ?? 0));
        } catch {
          await this.eachAlone(requests);
        }
      }
      for (const s of samples) {
        await this.drawSample(s.source, s.request).then((sample) => {
          this.small?.remember(s.source, sample.totalRows);
          s.resolve(sample);
        }, s.reject);
      }
    }
    // Asked again with the probing monitors' next requests (or once they are done).
    this.waiting.unshift(...later);
  }

  /** `Store.sampleRows`, or for a long window, its sample kept up to date from the minutes that changed. */
  private async drawSample(
    source: ProfileSource,
    request: Omit<SampleRequest, 'source'>,
  ): Promise<RowSample> {
    const partials = this.partials;
    if (this.windowSamples && partials?.applies(source) && source.kind === 'predictions') {
      return this.windowSamples.sample(
        this.store,
        this.modelId,
        this.columns,
        source,
        request,
        () => partials.minuteRows(source),
        partials.isOpen(source),
      );
    }
    return this.store.sampleRows(this.modelId, this.columns, { ...request, source });
  }

  /**
   * Answers a round's requests of one source from the window's rows when it is known to be
   * small (false otherwise, or when the read fails: then the engine answers them).
   */
  private async fromRows(id: string, requests: Pending[], samples: PendingSample[]): Promise<boolean> {
    if (!this.small) return false;
    const targets = new RowTargets();
    for (const r of requests) targets.add(r.measures);
    for (const s of samples) targets.addAll(sampleTargets(s.request));
    const source = (requests[0] ?? samples[0])!.source;
    // A long window's additive measures are merged from stored per-minute partials instead.
    if (this.partials?.applies(source)) return false;
    const rows = await this.small.rows(id, source, targets).catch(() => null);
    if (!rows) return false;
    this.rowReads++;
    for (const r of requests) {
      try {
        r.resolve(profileFromRows(rows, r.measures));
      } catch {
        // What the engine refuses (edges it cannot bin) it refuses with its own error.
        await this.eachAlone([r]);
      }
    }
    for (const s of samples) {
      if (rows.rows <= s.request.limit) s.resolve(sampleFromRows(rows, s.request));
      else
        await this.store
          .sampleRows(this.modelId, this.columns, { ...s.request, source: s.source })
          .then(s.resolve, s.reject);
    }
    return true;
  }

  /** Computes, in one store call, whatever the requests need that earlier rounds did not. */
  private async compute(id: string, requests: Pending[]): Promise<Known> {
    let known = this.known.get(id);
    if (!known) {
      known = {
        empty: false,
        base: undefined,
        labeled: undefined,
        numeric: new Map(),
        categorical: new Map(),
        confusion: undefined,
        regression: undefined,
        violations: undefined,
      };
      this.known.set(id, known);
    }
    if (known.empty) return known;
    const numeric = new Map<string, NumericSpec>();
    const categorical = new Map<string, CategoricalSpec>();
    let labels = false;
    let confusion = false;
    let regression = false;
    let violations = false;
    for (const { measures } of requests) {
      for (const spec of measures.numeric ?? []) {
        const key = numericId(spec);
        if (!known.numeric.has(key)) numeric.set(key, spec);
      }
      for (const spec of measures.categorical ?? []) {
        const key = categoricalId(spec);
        if (!known.categorical.has(key)) categorical.set(key, spec);
      }
      labels ||= profileUsesLabels(measures) && known.labeled === undefined;
      confusion ||= measures.confusion === true && known.confusion === undefined;
      regression ||= measures.regression === true && known.regression === undefined;
      violations ||= measures.violations === true && known.violations === undefined;
    }
    const nothingNew =
      known.base !== undefined &&
      numeric.size === 0 &&
      categorical.size === 0 &&
      !labels &&
      !confusion &&
      !regression &&
      !violations;
    if (nothingNew) return known;
    // The additive measures of a long window come from stored per-minute partials: only the
    // minutes that changed are scanned (see partial-profile.ts).
    const partials = this.partials;
    const source = requests[0]!.source;
    if (partials?.applies(source)) {
      // Keys by position: two monitors may use one key for different specs.
      const numericIds = [...numeric].filter(([, spec]) => mergeableNumeric(spec));
      const categoricalIds = [...categorical].filter(([, spec]) => mergeableCategorical(spec));
      const mergeable: PartialMeasures = {
        numeric: numericIds.map(([, spec], i) => ({ ...spec, key: `n${i}` })),
        categorical: categoricalIds.map(([, spec], i) => ({ ...spec, key: `c${i}` })),
        violations,
      };
      const outcome =
        mergeable.numeric.length + mergeable.categorical.length > 0 || violations
          ? await partials.windowProfile(source, mergeable)
          : null;
      if (outcome && !outcome.profile) {
        known.empty = true;
        return known;
      }
      if (outcome?.profile) {
        const merged = outcome.profile;
        known.base = merged;
        mergeable.numeric.forEach((spec, i) => {
          const key = numericIds[i]![0];
          known.numeric.set(key, merged.numeric[spec.key]!);
          numeric.delete(key);
        });
        const unmerged = new Set(outcome.unmerged);
        mergeable.categorical.forEach((spec, i) => {
          if (unmerged.has(spec)) return;
          const key = categoricalIds[i]![0];
          known.categorical.set(key, merged.categorical[spec.key]!);
          categorical.delete(key);
        });
        if (violations) {
          known.violations = merged.violations;
          violations = false;
        }
      }
    }
    // Joining the labels costs a hash join over the window in every pass: only the measures
    // that read labels pay for it, in a call of their own.
    const readsLabels = (m: Measures) => profileUsesLabels(m);
    const split = <T>(specs: Map<string, T>, wrap: (spec: T) => Measures, labelled: boolean) =>
      [...specs.entries()].filter(([, spec]) => readsLabels(wrap(spec)) === labelled);
    const calls: {
      labelled: boolean;
      numeric: [string, NumericSpec][];
      categorical: [string, CategoricalSpec][];
    }[] = [false, true].map((labelled) => ({
      labelled,
      numeric: split(numeric, (spec) => ({ numeric: [spec] }), labelled),
      categorical: split(categorical, (spec) => ({ categorical: [spec] }), labelled),
    }));
    for (const { labelled, numeric: numericSpecs, categorical: categoricalSpecs } of calls) {
      const request: ProfileRequest = {
        source: requests[0]!.source,
        numeric: numericSpecs.map(([, spec], i) => ({ ...spec, key: `n${i}` })),
        categorical: categoricalSpecs.map(([, spec], i) => ({ ...spec, key: `c${i}` })),
        ...(labelled && confusion ? { confusion: true } : {}),
        ...(labelled && regression ? { regression: true } : {}),
        ...(!labelled && violations ? { violations: true } : {}),
      };
      // Counting labelled rows needs the labels joined; confusion counts are the cheapest reader.
      if (labelled && labels && !profileUsesLabels(request)) request.confusion = true;
      const needed = labelled
        ? profileUsesLabels(request)
        : known.base === undefined ||
          numericSpecs.length > 0 ||
          categoricalSpecs.length > 0 ||
          request.violations === true;
      if (!needed) continue;
      this.storeCalls++;
      const [profile] = await this.profileAlone(request);
      if (!profile) {
        known.empty = true;
        return known;
      }
      known.base = profile;
      if (labelled) known.labeled = profile.labeled;
      numericSpecs.forEach(([key], i) => {
        const value = profile.numeric[`n${i}`];
        if (value) known.numeric.set(key, value);
      });
      categoricalSpecs.forEach(([key], i) => {
        const value = profile.categorical[`c${i}`];
        if (value) known.categorical.set(key, value);
      });
      if (request.confusion) known.confusion = profile.confusion;
      if (request.regression) known.regression = profile.regression;
      if (request.violations) known.violations = profile.violations;
    }
    return known;
  }

  /** Exactly what a request of these measures alone returns. */
  private extract(known: Known, measures: Measures): WindowProfile {
    const base = known.base!;
    const profile = emptyWindowProfile(base.window);
    profile.rows = base.rows;
    profile.firstMicros = base.firstMicros;
    profile.lastMicros = base.lastMicros;
    profile.labeled = profileUsesLabels(measures) ? (known.labeled ?? 0) : 0;
    for (const spec of measures.numeric ?? []) {
      const value = known.numeric.get(numericId(spec));
      if (value) profile.numeric[spec.key] = copyNumeric(value);
    }
    for (const spec of measures.categorical ?? []) {
      const value = known.categorical.get(categoricalId(spec));
      if (value) profile.categorical[spec.key] = { ...value, counts: { ...value.counts } };
    }
    if (measures.confusion) profile.confusion = (known.confusion ?? []).map((c) => ({ ...c }));
    if (measures.regression) profile.regression = known.regression ? { ...known.regression } : null;
    if (measures.violations) profile.violations = { ...(known.violations ?? {}) };
    return profile;
  }

  private async eachAlone(requests: Pending[]): Promise<void> {
    for (const r of requests) {
      try {
        this.storeCalls++;
        const [profile] = await this.profileAlone({ ...r.measures, source: r.source });
        r.resolve(profile);
      } catch (error) {
        r.reject(error);
      }
    }
  }
}
