/**
 * Which columns of flat reference rows hold the id, timestamp, prediction, score and label.
 * The upload may name them (query parameters); a model with a schema uses its field names;
 * a model without one has them recognised by the names common tools give them (NannyML's
 * `y_pred`, `y_pred_proba`, `y_true`; Evidently's `prediction`, `target`; scikit-learn's
 * `y_score`…), so that they are not inferred as features.
 */
import type { ModelSchema } from '../domain/index.js';
import { isPlainObject } from './normalize.js';

export type OutputRole = 'id' | 'timestamp' | 'prediction' | 'score' | 'label';
export const OUTPUT_ROLES: readonly OutputRole[] = ['id', 'timestamp', 'prediction', 'score', 'label'];

/** Column names per role; the first present in the rows (compared without case) is taken. */
export const COMMON_COLUMN_NAMES: Record<OutputRole, readonly string[]> = {
  id: ['id', 'identifier', 'row_id', 'prediction_id', 'record_id', 'uuid'],
  timestamp: ['timestamp', 'datetime', 'event_timestamp', 'event_time', 'prediction_timestamp', 'ts'],
  prediction: [
    'prediction',
    'y_pred',
    'pred',
    'predicted',
    'predicted_label',
    'prediction_label',
    'y_hat',
    'yhat',
  ],
  score: [
    'score',
    'y_pred_proba',
    'y_proba',
    'y_prob',
    'y_score',
    'pred_proba',
    'proba',
    'probability',
    'prediction_score',
    'prediction_proba',
    'predicted_probability',
  ],
  label: ['label', 'target', 'y_true', 'ground_truth', 'actual', 'true_label'],
};

export type ReferenceColumns = Partial<Record<OutputRole, string>>;

const SCHEMA_FIELD: Record<OutputRole, keyof ModelSchema> = {
  id: 'id_field',
  timestamp: 'timestamp_field',
  prediction: 'prediction_field',
  score: 'score_field',
  label: 'label_field',
};

/** Column names of flat rows (rows with a `features` object name nothing). */
export function flatColumnNames(rows: readonly unknown[]): Set<string> {
  const names = new Set<string>();
  for (const row of rows) {
    if (!isPlainObject(row) || isPlainObject(row.features)) continue;
    for (const key in row) names.add(key);
  }
  return names;
}

/**
 * The column of each role: as given, else the schema's field, else (no schema) the first common
 * name present in the rows, else the default name. `recognised` lists the roles found by name.
 */
export function resolveReferenceColumns(
  present: Set<string>,
  schema: ModelSchema | null,
  given: ReferenceColumns,
): Record<OutputRole, string> {
  const byLowerCase = new Map<string, string>();
  for (const name of present)
    if (!byLowerCase.has(name.toLowerCase())) byLowerCase.set(name.toLowerCase(), name);
  const resolved = {} as Record<OutputRole, string>;
  for (const role of OUTPUT_ROLES) {
    const field = schema?.[SCHEMA_FIELD[role]] as string | undefined;
    const common =
      schema === null
        ? COMMON_COLUMN_NAMES[role].map((n) => byLowerCase.get(n)).find((n) => n !== undefined)
        : undefined;
    resolved[role] = given[role] ?? field ?? common ?? role;
  }
  return resolved;
}

/** `schema` (or an empty one) with the given columns as its field names. */
export function withFieldNames(schema: ModelSchema | null, columns: Record<OutputRole, string>): ModelSchema {
  const named: ModelSchema = {
    ...(schema ?? { features: [], segments: [], sensitive_attributes: [] }),
    id_field: columns.id,
    timestamp_field: columns.timestamp,
    prediction_field: columns.prediction,
    label_field: columns.label,
  };
  named.score_field = columns.score;
  return named;
}

/** What an inferred schema made of the upload's columns, for the answer. */
export interface InferredColumns {
  features: string[];
  segments: string[];
  id: string | null;
  timestamp: string | null;
  prediction: string | null;
  score: string | null;
  label: string | null;
}

export function describeInference(
  schema: ModelSchema,
  present: Set<string>,
  columns: Record<OutputRole, string>,
): InferredColumns {
  const found = (role: OutputRole) => (present.has(columns[role]) ? columns[role] : null);
  return {
    features: schema.features.map((f) => f.name),
    segments: schema.segments ?? [],
    id: found('id'),
    timestamp: found('timestamp'),
    prediction: found('prediction'),
    score: found('score'),
    label: found('label'),
  };
}
