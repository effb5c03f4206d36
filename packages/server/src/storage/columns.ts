/**
 * Lays validated records out by column: the bridge between `insertPredictions` and
 * `insertPredictionColumns`, so both can be checked against each other.
 */
import type { ModelSchema } from '../domain/index.js';
import type {
  ColumnValue,
  EventColumns,
  EventRecord,
  FeatureColumn,
  ModelColumn,
  NewColumn,
  NumberColumn,
} from './types.js';

/** The columns a schema declares: one per feature (its type) and one per segment. */
export function schemaColumns(schema: ModelSchema): NewColumn[] {
  return [
    ...schema.features.map((f) => ({ name: f.name, role: 'feature' as const, type: f.type, declared: true })),
    ...schema.segments.map((name) => ({
      name,
      role: 'segment' as const,
      type: 'categorical' as const,
      declared: true,
    })),
  ];
}

/** Identity of a column: a known name with a new type is a new column. */
export function columnKey(column: Pick<ModelColumn, 'role' | 'name' | 'type'>): string {
  return `${column.role}\u0000${column.name}\u0000${column.type}`;
}

function numberColumn(values: readonly (number | null)[]): NumberColumn {
  const column = { values: new Float64Array(values.length), valid: new Uint8Array(values.length) };
  values.forEach((value, i) => {
    if (value === null) return;
    column.values[i] = value;
    column.valid[i] = 1;
  });
  return column;
}

function featureColumn(column: ModelColumn, values: ColumnValue[]): FeatureColumn {
  if (values.every((v) => v === null)) return null;
  if (column.type === 'numeric' || column.type === 'timestamp')
    return { kind: 'number', ...numberColumn(values as (number | null)[]) };
  if (column.type === 'boolean') return { kind: 'boolean', values: values as (boolean | null)[] };
  return { kind: 'string', values: values.map((v) => (v === null ? null : String(v))) };
}

export function toEventColumns(columns: ModelColumn[], records: readonly EventRecord[]): EventColumns {
  return {
    length: records.length,
    id: records.map((r) => r.id),
    timestampMicros: Float64Array.from(records, (r) => r.timestampMicros),
    version: records.map((r) => r.version),
    prediction: records.map((r) => r.prediction),
    predictionNumber: numberColumn(records.map((r) => r.predictionNumber)),
    score: numberColumn(records.map((r) => r.score)),
    scores: records.map((r) => r.scores),
    label: records.map((r) => r.label),
    labelNumber: numberColumn(records.map((r) => r.labelNumber)),
    invalid: records.map((r) => r.invalid),
    violations: records.map((r) => (r.violations.length === 0 ? null : r.violations)),
    values: columns.map((c, i) =>
      featureColumn(
        c,
        records.map((r) => r.values[i] ?? null),
      ),
    ),
  };
}
