/**
 * Shared shapes for the streaming change and anomaly detectors, so the server can drive,
 * persist and resume every detector the same way.
 */

/** What a detector reports after consuming one value. */
export interface DetectorUpdate {
  /** A change (or anomaly) is signalled at this value. */
  drift: boolean;
  /** Early warning, for detectors that have a warning zone (DDM, EDDM). */
  warning?: boolean;
}

/**
 * A detector fed one value at a time. `state` is plain JSON (finite numbers, arrays, strings,
 * booleans and null), so it can be stored between evaluations and handed to the class's
 * `fromState` to resume exactly where it stopped.
 */
export interface StreamingDetector<TState, TUpdate extends DetectorUpdate = DetectorUpdate> {
  update(x: number): TUpdate;
  /** Forgets everything seen so far; keeps the parameters. */
  reset(): void;
  readonly state: TState;
}
