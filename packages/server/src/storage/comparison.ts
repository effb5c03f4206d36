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
 * Expected confusion counts of each side under a calibration (CBPE): a row predicted positive is a
 * true positive with the calibrated probability of its score bin. Rows without a score are left out.
 */
export interface ExpectedConfusion {
  windowStartMicros: number | null;
  side: 'a' | 'b';
  scored: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface ComparisonRepository {
  /**
   * Stores shadow predictions of `version` durably; an id already stored for the version (as a
   * shadow or a served prediction) is skipped. Returns how many were new.
   */
  insertShadowPredictions(modelId: number, version: string, rows: ShadowPredictionInput[]): Promise<number>;
  /** Whether any served or shadow prediction of the model carries this version name. */
  versionLogged(modelId: number, version: string): Promise<boolean>;
  /** Counts per window, oldest first (one row with `windowStartMicros` null without windows). */
  pairedCounts(modelId: number, scope: PairedScope): Promise<PairedCounts[]>;
  /**
   * At most `limit` labelled pairs, the same ones for the same data whatever the order they
   * arrived in (chosen by a hash of the prediction id).
   */
  pairedSample(modelId: number, scope: PairedScope, limit: number): Promise<PairedSampleRow[]>;
  /**
   * Expected confusion of each side. `calibrationA` / `calibrationB` give the calibrated
   * probability of each of the 1,000 score bins of width 0.001 (outer bins open).
   */
  expectedConfusion(
    modelId: number,
    scope: PairedScope,
    positiveClass: string,
    calibrationA: number[],
    calibrationB: number[],
  ): Promise<ExpectedConfusion[]>;
}
