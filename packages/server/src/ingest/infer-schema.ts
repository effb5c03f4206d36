/**
 * Schema inference from reference data, for models registered without a schema.
 * The result is stored with `schema_source: "inferred"` and can be reviewed and
 * edited with `PATCH /api/v1/models/{model}`.
 */
import { FeatureSpec, type FeatureType, type ModelSchema, type Task } from '../domain/index.js';
import type { PendingRecord } from './normalize.js';
import { parseTimestamp } from './timestamps.js';
import { isNonFinite } from './values.js';

/** Categorical columns with at most this many distinct values list them as known categories. */
export const MAX_LISTED_CATEGORIES = 200;
const BOOLEAN_TEXT = new Set(['true', 'false', 't', 'f', 'yes', 'no']);
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

export function inferFeatureType(values: unknown[]): FeatureType {
  let present = 0;
  let numeric = 0;
  let boolean = 0;
  let timestamp = 0;
  let longText = 0;
  const distinct = new Set<string>();
  for (const value of values) {
    if (value === null || value === undefined || value === '') continue;
    present++;
    if (typeof value === 'boolean') boolean++;
    // A non-finite number (NaN, "Infinity", "1e400") is still a number: the column is numeric,
    // and the value is flagged `non_finite` when stored.
    else if (typeof value === 'number') numeric++;
    else if (typeof value === 'string') {
      const text = value.trim();
      if (text !== '' && (Number.isFinite(Number(text)) || isNonFinite(text))) numeric++;
      else if (BOOLEAN_TEXT.has(text.toLowerCase())) boolean++;
      else if (DATE_LIKE.test(text) && parseTimestamp(text).ok) timestamp++;
      if (text.length > 40 && text.includes(' ')) longText++;
      if (distinct.size <= 10_000) distinct.add(text);
    }
  }
  if (present === 0) return 'categorical';
  if (numeric === present) return 'numeric';
  if (boolean === present) return 'boolean';
  if (timestamp === present) return 'timestamp';
  // Free text: mostly long, mostly unique strings.
  if (longText > present / 2 && distinct.size > present / 2) return 'text';
  return 'categorical';
}

export function inferSchema(pending: PendingRecord[], task: Task): ModelSchema {
  const featureValues = new Map<string, unknown[]>();
  const segments = new Set<string>();
  const classes = new Set<string>();
  let hasScore = false;
  for (const record of pending) {
    for (const [name, value] of Object.entries(record.features)) {
      // A name no declared schema could have (empty, too long) stays out of the inferred
      // schema; its values are kept raw and flagged as unknown features.
      if (!FeatureSpec.shape.name.safeParse(name).success) continue;
      let values = featureValues.get(name);
      if (!values) {
        values = [];
        featureValues.set(name, values);
      }
      values.push(value);
    }
    for (const name of Object.keys(record.segments)) segments.add(name);
    if (task !== 'regression') {
      if (record.event.label !== null) classes.add(record.event.label);
      if (record.event.prediction !== null) classes.add(record.event.prediction);
    }
    if (record.event.score !== null) hasScore = true;
  }
  const features: FeatureSpec[] = [...featureValues].map(([name, values]) => {
    const type = inferFeatureType(values);
    if (type !== 'categorical') return { name, type };
    const distinct = new Set<string>();
    for (const value of values) {
      if (value === null || value === undefined || value === '') continue;
      distinct.add(String(value));
      if (distinct.size > MAX_LISTED_CATEGORIES) return { name, type };
    }
    return { name, type, categories: [...distinct].sort() };
  });
  const schema: ModelSchema = {
    features,
    prediction_field: 'prediction',
    label_field: 'label',
    id_field: 'id',
    timestamp_field: 'timestamp',
    segments: [...segments],
    sensitive_attributes: [],
  };
  if (hasScore) schema.score_field = 'score';
  if (classes.size > 0 && classes.size <= 1000) schema.classes = [...classes].sort();
  return schema;
}
