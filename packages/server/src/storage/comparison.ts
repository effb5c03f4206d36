/**
 * Champion / challenger storage: shadow predictions (a second version's predictions for ids the
 * serving version already logged, keyed by id and version) and the paired aggregates of two
 * versions' predictions joined on prediction id with their labels. Each side of a pair is the
 * version's served prediction for the id, else its shadow prediction. A pair's time is that of the
 * served prediction (the request), so both sides fall in the same window.
 */

export interface ShadowPredictionInput {
  id: string;
  timestampMicros: number;
  prediction: string;
  predictionNumber: number | null;
  score: number | null;
  scores: Record<string, number> | null;
}

export interface PairedScope {
  versionA: string;
  versionB: string;
  fromMicros: number;
  toMicros: number;
  /** Group by clock-aligned windows of this length; null: one group for the whole period. */
  windowMicros: number | null;
}

/** Counts over the pairs of one window (`windowStartMicros` null: the whole period). */
export interface PairedCounts {
  windowStartMicros: number | null;
  pairs: number;
  /** Pairs whose two predictions are equal. */
  agreeing: number;
  /** Sum of |numeric prediction a − numeric prediction b| over pairs where both are numbers. */
  absoluteDifferenceSum: number;
  numericPairs: number;
  labelled: number;
  /** Labelled pairs by which side predicted the label exactly (McNemar's table). */
  bothRight: number;
  onlyA: number;
  onlyB: number;
  bothWrong: number;
}

/** One labelled pair, as the sample for DeLong and the bootstrap carries it. */
export interface PairedSampleRow {
  windowStartMicros: number | null;
  label: string;
  labelNumber: number | null;
  predictionA: string | null;
  predictionB: string | null;
  numberA: number | null;
  numberB: number | null;
  scoreA: number | null;
  scoreB: number | null;
}

/**
 * One side's scored pairs of one window that share a prediction, counted per score bin (1,000
 * bins of width 0.001, outer bins open): what CBPE's expected confusion needs of the pairs.
 */
export interface PairedScoreBins {
  windowStartMicros: number | null;
  side: 'a' | 'b';
  /** The side's prediction; null where it has none. */
  prediction: string | null;
  /** Bin numbers 0–999, ascending; only bins with rows. */
  bins: number[];
  /** Rows in each of `bins`. */
  counts: number[];
}

/** What a comparison reads of the pairs, all from one pass over them. */
export interface PairedSummary {
  /** Counts per window, oldest first (one row with `windowStartMicros` null without windows). */
  counts: PairedCounts[];
  /**
   * At most `sampleLimit` labelled pairs, the same ones for the same data whatever the order
   * they arrived in (chosen by a hash of the prediction id).
   */
  sample: PairedSampleRow[];
  /** Score histograms by window, side and prediction; empty unless asked for. */
  scoreBins: PairedScoreBins[];
}

export interface ComparisonRepository {
  /**
   * Stores shadow predictions of `version` durably; an id already stored for the version (as a
   * shadow or a served prediction) is skipped. Returns how many were new.
   */
  insertShadowPredictions(modelId: number, version: string, rows: ShadowPredictionInput[]): Promise<number>;
  /** Whether any served or shadow prediction of the model carries this version name. */
  versionLogged(modelId: number, version: string): Promise<boolean>;
  /** Counts, the labelled sample and (with `scoreBins`) the score histograms of the pairs. */
  pairedSummary(
    modelId: number,
    scope: PairedScope,
    options: { sampleLimit: number; scoreBins: boolean },
  ): Promise<PairedSummary>;
}
