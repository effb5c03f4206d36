/**
 * Champion / challenger on live traffic: resolves the two sides (version or alias), pairs their
 * predictions on prediction id in the engine, and compares them per window and over the period:
 * agreement and estimated performance (CBPE) before labels, and each performance metric of the
 * task with a paired interval and test once labels arrive.
 *
 * Bounded work: one pass over the pairs in the engine gives the counts (agreement, McNemar's table)
 * and score histograms (CBPE's expected confusion) of every pair, and at most `SAMPLE_LIMIT`
 * labelled pairs, chosen by a hash of the prediction id (the same pairs for the same data), on
 * which DeLong and the bootstrap run.
 */
import type {
  ComparisonMetric,
  ComparisonResult,
  ComparisonWindow,
  MetricComparison,
} from '../api/schemas/compare.js';
import { WINDOW_SIZES, type WindowSize } from '../domain/monitor-config.js';
import { BadRequestError, NotFoundError, VigilError } from '../errors.js';
import {
  CBPE_BINS,
  CBPE_EDGES,
  calibrationOnBins,
  metricsFromConfusion,
} from '../monitors/signals/cbpe-binned.js';
import { ESTIMATION_MIN_SAMPLE } from '../monitors/signals/estimated.js';
import type { PairedCounts, PairedSampleRow, PairedScope } from '../storage/comparison.js';
import type { ModelColumn, ModelRow, Store } from '../storage/types.js';
import { type ExpectedConfusion, expectedConfusion } from './expected-confusion.js';
import { compareAccuracy, compareOnSample } from './metrics.js';

export const SAMPLE_LIMIT = 10_000;
export const MAX_WINDOWS = 500;
export const DEFAULT_PERIOD_MICROS = 7 * 86_400_000_000;
const OVERALL_RESAMPLES = 1000;
const WINDOW_RESAMPLES = 500;

const TASK_METRICS: Record<ModelRow['task'], ComparisonMetric[]> = {
  binary_classification: ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'],
  multiclass_classification: ['accuracy', 'macro_recall'],
  regression: ['mae', 'rmse'],
};

export interface ResolvedSide {
  /** The version's name, as predictions carry it. */
  name: string;
  /** Its registry id; null for a version only seen on predictions (never registered). */
  versionId: number | null;
  requested: string;
  alias: string | null;
}

export interface ComparisonRequest {
  a: string;
  b: string;
  fromMicros?: number | undefined;
  toMicros?: number | undefined;
  window?: WindowSize | undefined;
  confidence: number;
  /** Internal: pair a version with itself (its own live metrics, for a promotion gate with no holder). */
  allowSameVersion?: boolean;
}

const iso = (micros: number) => new Date(Math.floor(micros / 1000)).toISOString();

function sumCounts(rows: PairedCounts[]): PairedCounts {
  const total: PairedCounts = {
    windowStartMicros: null,
    pairs: 0,
    agreeing: 0,
    absoluteDifferenceSum: 0,
    numericPairs: 0,
    labelled: 0,
    bothRight: 0,
    onlyA: 0,
    onlyB: 0,
    bothWrong: 0,
  };
  for (const r of rows) {
    total.pairs += r.pairs;
    total.agreeing += r.agreeing;
    total.absoluteDifferenceSum += r.absoluteDifferenceSum;
    total.numericPairs += r.numericPairs;
    total.labelled += r.labelled;
    total.bothRight += r.bothRight;
    total.onlyA += r.onlyA;
    total.onlyB += r.onlyB;
    total.bothWrong += r.bothWrong;
  }
  return total;
}

/** The class counted as positive: the schema's last class, else `1`, `true`, or the greatest label seen. */
function positiveClassOf(model: ModelRow, labels: Iterable<string>): string {
  const declared = model.schema?.classes?.at(-1);
  if (declared !== undefined) return declared;
  const seen = new Set(labels);
  if (seen.has('1') || seen.size === 0) return '1';
  if (seen.has('true')) return 'true';
  return [...seen].sort().at(-1)!;
}

interface Calibration {
  /** Calibrated probability of each score bin. */
  probabilities: number[];
  description: string;
}

export class ComparisonService {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * A registered version by name (preferred), the version an alias points to now, or a version
   * name that predictions carry without being registered.
   */
  async resolve(model: ModelRow, requested: string, parameter: string): Promise<ResolvedSide> {
    const version = await this.store.getModelVersion(model.id, requested);
    if (version && version.tags['vigil.deleted'] !== 'true') {
      return { name: version.name, versionId: version.id, requested, alias: null };
    }
    const holding = (await this.store.registry.currentAliases(model.id)).find((h) => h.alias === requested);
    if (holding) {
      return { name: holding.versionName, versionId: holding.versionId, requested, alias: requested };
    }
    if (await this.store.comparison.versionLogged(model.id, requested)) {
      return { name: requested, versionId: null, requested, alias: null };
    }
    throw new NotFoundError(
      `Query parameter "${parameter}": model "${model.name}" has no version or alias "${requested}", ` +
        'and no prediction was logged with that version ' +
        `(see GET /api/v1/models/${model.name}/versions and /aliases).`,
    );
  }

  async compare(model: ModelRow, request: ComparisonRequest): Promise<ComparisonResult> {
    const a = await this.resolve(model, request.a, 'a');
    const b = await this.resolve(model, request.b, 'b');
    if (a.name === b.name && !request.allowSameVersion) {
      const how = (s: ResolvedSide) =>
        s.alias ? `alias "${s.alias}" → version ${s.name}` : `version ${s.name}`;
      throw new BadRequestError(
        `Query parameters "a" and "b" name the same version (${how(a)}, ${how(b)}): compare two different versions.`,
      );
    }
    const toMicros = request.toMicros ?? this.now() * 1000;
    const fromMicros = request.fromMicros ?? toMicros - DEFAULT_PERIOD_MICROS;
    if (fromMicros >= toMicros) {
      throw new BadRequestError(
        `Query parameter "from" (${iso(fromMicros)}) must be before "to" (${iso(toMicros)}).`,
      );
    }
    const windowMicros = request.window ? WINDOW_SIZES[request.window] : null;
    if (windowMicros !== null) {
      const windows = Math.ceil(toMicros / windowMicros) - Math.floor(fromMicros / windowMicros);
      if (windows > MAX_WINDOWS) {
        throw new BadRequestError(
          `Query parameter "window": ${request.window} windows cut the period into ${windows} windows; at most ${MAX_WINDOWS} are compared. Choose a longer window or a shorter period.`,
        );
      }
    }
    const scope: PairedScope = {
      versionA: a.name,
      versionB: b.name,
      fromMicros,
      toMicros,
      windowMicros,
    };
    const isBinary = model.task === 'binary_classification';
    const { counts, sample, scoreBins } = await this.store.comparison.pairedSummary(model.id, scope, {
      sampleLimit: SAMPLE_LIMIT,
      scoreBins: isBinary,
    });
    const overallCounts = sumCounts(counts);
    if (overallCounts.pairs === 0) {
      throw new VigilError(
        422,
        'no_overlap',
        `Versions ${a.name} and ${b.name} of model "${model.name}" predicted no common prediction id ` +
          `between ${iso(fromMicros)} and ${iso(toMicros)}. A paired comparison needs both versions' predictions for the same ids: ` +
          `log the challenger's predictions for the ids the champion served with POST /api/v1/models/${model.name}/shadow-predictions.`,
      );
    }
    const columns = await this.store.listColumns(model.id);

    let positiveClass: string | null = null;
    let estimated: Map<number | null, { a?: ExpectedConfusion; b?: ExpectedConfusion }> | null = null;
    let calibrationNote: string | null = null;
    let estimateProblem: string | null = null;
    if (isBinary) {
      const calibrations = await this.calibrations(model, columns, [a.versionId, b.versionId], sample);
      positiveClass = calibrations.positiveClass;
      if ('problem' in calibrations) {
        estimateProblem = calibrations.problem;
      } else {
        const [calA, calB] = calibrations.calibrations;
        calibrationNote =
          calA.description === calB.description
            ? calA.description
            : `a: ${calA.description}; b: ${calB.description}`;
        const rows = expectedConfusion(scoreBins, positiveClass, {
          a: calA.probabilities,
          b: calB.probabilities,
        });
        estimated = new Map();
        for (const row of rows) {
          const entry = estimated.get(row.windowStartMicros) ?? {};
          entry[row.side] = row;
          estimated.set(row.windowStartMicros, entry);
        }
      }
    }

    const metricsFor = (
      windowCounts: PairedCounts,
      rows: PairedSampleRow[],
      resamples: number,
      windowSampled: boolean,
    ) =>
      TASK_METRICS[model.task].map(
        (metric): MetricComparison =>
          metric === 'accuracy'
            ? compareAccuracy(windowCounts, request.confidence)
            : compareOnSample(metric, rows, {
                confidence: request.confidence,
                resamples,
                positiveClass,
                sampled: windowSampled,
              }),
      );

    const estimatedFor = (confusions: { a?: ExpectedConfusion; b?: ExpectedConfusion } | undefined) => {
      if (!isBinary) return null;
      if (estimateProblem !== null || estimated === null) {
        return {
          method: 'cbpe' as const,
          status: 'insufficient_data' as const,
          reason: estimateProblem,
          a: null,
          b: null,
          calibration: null,
        };
      }
      const sides = { a: confusions?.a, b: confusions?.b };
      const short = (['a', 'b'] as const).find((s) => (sides[s]?.scored ?? 0) < ESTIMATION_MIN_SAMPLE);
      if (short) {
        return {
          method: 'cbpe' as const,
          status: 'insufficient_data' as const,
          reason: `${sides[short]?.scored ?? 0} pairs with a score from version ${(short === 'a' ? a : b).name}; estimation needs at least ${ESTIMATION_MIN_SAMPLE}.`,
          a: null,
          b: null,
          calibration: calibrationNote,
        };
      }
      const values = (c: ExpectedConfusion) => {
        const m = metricsFromConfusion(c);
        const pick = (name: string) => {
          const v = m[name]?.value;
          return v !== undefined && Number.isFinite(v) ? v : null;
        };
        return {
          accuracy: pick('accuracy'),
          precision: pick('precision'),
          recall: pick('recall'),
          f1: pick('f1'),
        };
      };
      return {
        method: 'cbpe' as const,
        status: 'ok' as const,
        reason: null,
        a: values(sides.a!),
        b: values(sides.b!),
        calibration: calibrationNote,
      };
    };

    const sumConfusion = (side: 'a' | 'b'): ExpectedConfusion | undefined => {
      if (!estimated) return undefined;
      const parts = [...estimated.values()].map((e) => e[side]).filter((e) => e !== undefined);
      if (parts.length === 0) return undefined;
      return parts.reduce((t, p) => ({
        windowStartMicros: null,
        side,
        scored: t.scored + p.scored,
        tp: t.tp + p.tp,
        fp: t.fp + p.fp,
        fn: t.fn + p.fn,
        tn: t.tn + p.tn,
      }));
    };

    const windowResult = (
      start: number,
      end: number,
      c: PairedCounts,
      rows: PairedSampleRow[],
      resamples: number,
      confusions: { a?: ExpectedConfusion; b?: ExpectedConfusion } | undefined,
    ): ComparisonWindow => ({
      start: iso(start),
      end: iso(end),
      pairs: c.pairs,
      labelled: c.labelled,
      agreement: {
        rate: c.pairs > 0 ? c.agreeing / c.pairs : null,
        agreeing: c.agreeing,
        mean_absolute_difference:
          model.task === 'regression' && c.numericPairs > 0 ? c.absoluteDifferenceSum / c.numericPairs : null,
      },
      estimated: estimatedFor(confusions),
      metrics: metricsFor(c, rows, resamples, c.labelled > rows.length),
    });

    const overall = windowResult(fromMicros, toMicros, overallCounts, sample, OVERALL_RESAMPLES, {
      a: sumConfusion('a'),
      b: sumConfusion('b'),
    });
    const windows =
      windowMicros === null
        ? []
        : counts.map((c) => {
            const start = c.windowStartMicros!;
            return windowResult(
              Math.max(start, fromMicros),
              Math.min(start + windowMicros, toMicros),
              c,
              sample.filter((r) => r.windowStartMicros === start),
              WINDOW_RESAMPLES,
              estimated?.get(start),
            );
          });
    return {
      model: model.name,
      task: model.task,
      a: { version: a.name, requested: a.requested, alias: a.alias },
      b: { version: b.name, requested: b.requested, alias: b.alias },
      from: iso(fromMicros),
      to: iso(toMicros),
      window: request.window ?? null,
      confidence: request.confidence,
      positive_class: positiveClass,
      overall,
      windows,
    };
  }

  /**
   * Each side's score calibration for CBPE, learnt as the estimated-performance monitor learns it:
   * from the newest reference dataset uploaded for that version, else the model's newest one.
   */
  private async calibrations(
    model: ModelRow,
    columns: ModelColumn[],
    versionIds: (number | null)[],
    sample: PairedSampleRow[],
  ): Promise<
    | { positiveClass: string; calibrations: [Calibration, Calibration] }
    | { positiveClass: string; problem: string }
  > {
    const datasets = (await this.store.listReferenceDatasets(model.id)).filter((d) => d.rowCount > 0);
    const chosen = versionIds.map(
      (id) =>
        datasets.filter((d) => id !== null && d.versionId === id).at(-1) ??
        datasets.filter((d) => d.versionId === null).at(-1) ??
        datasets.at(-1),
    );
    const profiles = new Map<number, Awaited<ReturnType<Store['profile']>>[number]>();
    for (const dataset of chosen) {
      if (!dataset || profiles.has(dataset.id)) continue;
      const [profile] = await this.store.profile(model.id, columns, {
        source: { kind: 'reference', datasetId: dataset.id },
        numeric: [{ key: 'all', target: { field: 'score' }, edges: CBPE_EDGES }],
        confusion: true,
      });
      if (profile) profiles.set(dataset.id, profile);
    }
    const labels = new Set(sample.map((r) => r.label));
    for (const p of profiles.values()) for (const c of p.confusion) labels.add(c.label);
    const positiveClass = positiveClassOf(model, labels);
    if (chosen.some((d) => d === undefined)) {
      return {
        positiveClass,
        problem: `Model "${model.name}" has no reference data to calibrate scores on; upload labelled, scored rows with POST /api/v1/models/${model.name}/reference.`,
      };
    }
    const calibrations: Calibration[] = [];
    for (const dataset of chosen) {
      const all = profiles.get(dataset!.id)?.numeric.all;
      const [positive] = await this.store.profile(model.id, columns, {
        source: { kind: 'reference', datasetId: dataset!.id },
        numeric: [
          {
            key: 'positive',
            target: { field: 'score' },
            edges: CBPE_EDGES,
            where: { field: 'label', equals: positiveClass },
          },
        ],
      });
      const positiveScores = positive?.numeric.positive;
      if (!all || !positiveScores || all.counts.every((c) => c === 0)) {
        return {
          positiveClass,
          problem: `Reference dataset "${dataset!.name}" has no labelled, scored rows to calibrate scores on.`,
        };
      }
      const calibrate = calibrationOnBins(all, positiveScores);
      const centres = Array.from({ length: CBPE_BINS }, (_, b) => (b + 0.5) / CBPE_BINS);
      calibrations.push({
        probabilities: Array.from(calibrate(centres)),
        description: `reference dataset "${dataset!.name}" (${dataset!.rowCount} rows)`,
      });
    }
    return { positiveClass, calibrations: [calibrations[0]!, calibrations[1]!] };
  }
}
