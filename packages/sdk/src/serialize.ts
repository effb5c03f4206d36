import { VigilRecordError } from './errors.js';
import { randomId } from './runtime.js';
import type { LabelRecord, PredictionRecord, WireTimestamp } from './types.js';

/** A timestamp as callers may give it; `Date`s are sent as ISO-8601 strings. */
export type TimestampInput = WireTimestamp | Date;

/** A prediction as `log` accepts it: `id` and `timestamp` are filled in when missing. */
export type PredictionInput = Omit<PredictionRecord, 'timestamp'> & { timestamp?: TimestampInput };

/** A label as `logLabel` accepts it: `timestamp` is filled in when missing. */
export type LabelInput = Omit<LabelRecord, 'timestamp'> & { timestamp?: TimestampInput };

function wireTimestamp(value: TimestampInput | undefined): WireTimestamp {
  if (value === undefined) return new Date().toISOString();
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** A copy of `record` with an `id` (random when missing) and a `timestamp` (now when missing). */
export function preparePrediction(record: PredictionInput): PredictionRecord & { id: string } {
  return { ...record, id: record.id ?? randomId(), timestamp: wireTimestamp(record.timestamp) };
}

/** A copy of `label` with a `timestamp` (now when missing). */
export function prepareLabel(label: LabelInput): LabelRecord {
  return { ...label, timestamp: wireTimestamp(label.timestamp) };
}

/** One NDJSON line (without the newline); throws a {@link VigilRecordError} for unserialisable values. */
export function toNdjsonLine(value: unknown): string {
  let line: string | undefined;
  try {
    line = JSON.stringify(value);
  } catch (error) {
    throw new VigilRecordError('invalid_record', `Record cannot be serialised to JSON: ${String(error)}`, {
      cause: error,
    });
  }
  if (line === undefined) throw new VigilRecordError('invalid_record', 'Record cannot be serialised to JSON');
  return line;
}

/** NDJSON body: one JSON document per line, each line ended by `\n`. */
export function toNdjson(values: readonly unknown[]): string {
  let out = '';
  for (const value of values) out += `${toNdjsonLine(value)}\n`;
  return out;
}
