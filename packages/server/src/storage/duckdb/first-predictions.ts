/**
 * Where each model's first prediction lies, kept in memory: time ranges before it are known to
 * be empty, so the traffic counts (`prediction-counts.ts`) skip them without a statement (the
 * compared windows of a model younger than its history: a week of days for 1-minute windows).
 *
 * Predictions are only ever added (a model's rows go only with the model), so the first one
 * only moves earlier, when older predictions are ingested later (a backfill). Each batch lowers
 * the bound before it is written, so no count that could see its rows skips them; the first
 * prediction at the time of loading is read once per model. Together they bound every row:
 * a row committed before the load is in what the load read, and a later one was announced by
 * its batch before it was written.
 */
import { predictionsTable } from '../sql.js';
import { type DuckDbDatabase, toNullableNumber } from './database.js';
import { TRAFFIC_HOUR_MICROS, TRAFFIC_HOURS } from './traffic.js';

/** What is known of a model's first prediction time `f` (epoch microseconds). */
export interface FirstPredictionBounds {
  /** `f >= notBefore`: no prediction lies before it (Infinity: the model has none). */
  notBefore: number;
  /** A stored prediction lies at this time, so `f <= storedAt` (null: none known). */
  storedAt: number | null;
}

export class FirstPredictions {
  /** The first prediction stored when each model was first asked about (null: none). */
  private readonly loaded = new Map<number, Promise<number | null>>();
  /** The earliest time of every batch of each model whose write began. */
  private readonly announced = new Map<number, number>();
  /** The earliest time of every batch of each model that was stored whole. */
  private readonly stored = new Map<number, number>();

  constructor(private readonly db: DuckDbDatabase) {}

  /** A batch whose earliest prediction is at `earliestMicros` is about to be written. */
  writing(modelId: number, earliestMicros: number): void {
    this.announced.set(modelId, Math.min(this.announced.get(modelId) ?? Infinity, earliestMicros));
  }

  /** A batch was stored whole (its earliest prediction is at `earliestMicros`). */
  written(modelId: number, earliestMicros: number): void {
    this.stored.set(modelId, Math.min(this.stored.get(modelId) ?? Infinity, earliestMicros));
  }

  /** The model and its rows are gone. */
  forget(modelId: number): void {
    this.loaded.delete(modelId);
    this.announced.delete(modelId);
    this.stored.delete(modelId);
  }

  /** Reads again what the database holds (it was reopened); announced batches still bound. */
  reload(): void {
    this.loaded.clear();
  }

  async of(modelId: number): Promise<FirstPredictionBounds> {
    let load = this.loaded.get(modelId);
    if (!load) {
      load = this.load(modelId);
      this.loaded.set(modelId, load);
      // A failed read (the model went meanwhile) is not remembered.
      load.catch(() => {
        if (this.loaded.get(modelId) === load) this.loaded.delete(modelId);
      });
    }
    const first = await load;
    const stored = Math.min(first ?? Infinity, this.stored.get(modelId) ?? Infinity);
    return {
      notBefore: Math.min(first ?? Infinity, this.announced.get(modelId) ?? Infinity),
      storedAt: Number.isFinite(stored) ? stored : null,
    };
  }

  /**
   * The first prediction: its hour from the traffic rollup (written with the rows), then the
   * rows of that hour only, rather than every row of the table.
   */
  private async load(modelId: number): Promise<number | null> {
    const table = predictionsTable(modelId);
    const [hour] = await this.db.read(
      `SELECT min(hour_us)::DOUBLE AS h FROM ${TRAFFIC_HOURS} t WHERE model_id = $1`,
      [Math.trunc(modelId)],
    );
    const h = toNullableNumber(hour?.h);
    if (h !== null) {
      const [row] = await this.db.read(
        `SELECT min(epoch_us(p.ts))::DOUBLE AS t FROM ${table} p
         WHERE p.ts >= make_timestamp(CAST($1 AS BIGINT)) AND p.ts < make_timestamp(CAST($2 AS BIGINT))`,
        [h, h + TRAFFIC_HOUR_MICROS],
      );
      const t = toNullableNumber(row?.t);
      if (t !== null) return t;
    }
    // No hour in the rollup (or it was read before a change to the rows): every row.
    const [row] = await this.db.read(`SELECT min(epoch_us(p.ts))::DOUBLE AS t FROM ${table} p`);
    return toNullableNumber(row?.t);
  }
}
