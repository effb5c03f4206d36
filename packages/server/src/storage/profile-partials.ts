/**
 * Partial window profiles: the additive measures of each sub-window (e.g. minute) of a window,
 * stored so that evaluating the window again profiles only the sub-windows that changed and
 * merges the others (see `monitors/partial-profile.ts`).
 *
 * The store keeps them opaque: `shape` names what was measured (the evaluator's key for one
 * measure on one scope of rows), `payload` is whatever the evaluator serialized, `rows` the
 * number of rows the sub-window held when it was profiled. Predictions are only ever added (a
 * prediction id is stored once), so a sub-window whose row count is unchanged holds the same
 * rows, and its partial is still exact.
 */

/** One window of one model. */
export interface ProfilePartialWindow {
  modelId: number;
  windowStartMicros: number;
  windowEndMicros: number;
}

export interface ProfilePartial {
  /** What was measured (a short key chosen by the evaluator). */
  shape: string;
  /** Start of the sub-window (epoch microseconds). */
  bucketMicros: number;
  /** Rows the sub-window held when profiled. */
  rows: number;
  payload: string;
}

export interface ProfilePartialRepository {
  /** The stored partials of a window for these shapes, by shape and sub-window start (ascending). */
  read(window: ProfilePartialWindow, shapes: string[]): Promise<ProfilePartial[]>;
  /**
   * Stores partials, replacing those of the same shape and sub-window, and deletes in the
   * same transaction the model's partials of windows that ended before `pruneEndedBeforeMicros`.
   */
  write(
    window: ProfilePartialWindow,
    partials: ProfilePartial[],
    pruneEndedBeforeMicros?: number,
  ): Promise<void>;
  /** Deletes the partials of the model's windows that ended before `endedBeforeMicros`. */
  prune(modelId: number, endedBeforeMicros: number): Promise<number>;
}
