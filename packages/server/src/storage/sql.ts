/**
 * SQL helpers shared by engines. Values are always bound as parameters; the only
 * identifiers ever spliced into SQL are the ones generated here from integers
 * (model ids, column positions), or go through `quoteIdentifier`.
 */

/** Quotes an identifier for DuckDB / PostgreSQL (double quotes, doubled inside). */
export function quoteIdentifier(name: string): string {
  if (name.length === 0) throw new Error('An SQL identifier cannot be empty.');
  if (name.includes('\u0000')) throw new Error('An SQL identifier cannot contain a NUL character.');
  return `"${name.replaceAll('"', '""')}"`;
}

/** Physical column name of a model column: positions are store-assigned integers. */
export function physicalColumn(position: number): string {
  if (!Number.isSafeInteger(position) || position < 0) throw new Error(`Bad column position ${position}.`);
  return `c${position}`;
}

export function predictionsTable(modelId: number): string {
  if (!Number.isSafeInteger(modelId) || modelId <= 0) throw new Error(`Bad model id ${modelId}.`);
  return `m${modelId}_predictions`;
}

export function referenceTable(modelId: number): string {
  if (!Number.isSafeInteger(modelId) || modelId <= 0) throw new Error(`Bad model id ${modelId}.`);
  return `m${modelId}_reference`;
}

/**
 * A model's labels whose prediction is stored, each with that prediction's timestamp
 * (`prediction_ts`), so that a window reads only the labels of its own time range. Labels
 * that arrive before their prediction wait in `pending_labels` (see duckdb/labels.ts).
 */
export function labelsTable(modelId: number): string {
  if (!Number.isSafeInteger(modelId) || modelId <= 0) throw new Error(`Bad model id ${modelId}.`);
  return `m${modelId}_labels`;
}

export const BUCKET_INTERVALS = {
  minute: "INTERVAL '1 minute'",
  hour: "INTERVAL '1 hour'",
  day: "INTERVAL '1 day'",
  week: "INTERVAL '7 days'",
} as const;
