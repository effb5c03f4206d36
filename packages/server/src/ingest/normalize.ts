/**
 * Validation and normalisation of ingested records.
 *
 * A record is rejected only when it cannot be stored meaningfully (not an object, a
 * bad id or timestamp, no prediction). Everything else that breaks the model's schema
 * (a feature of the wrong type, a missing, unknown or unseen value) is stored and
 * recorded as a data-quality violation: monitoring needs to see bad data, not lose it.
 */
import { randomUUID } from 'node:crypto';
import type { FeatureType, ModelSchema, RejectedRecord, Task } from '../domain/index.js';
import { MAX_NAME_LENGTH } from '../domain/index.js';
import type { ColumnRole, ColumnValue, EventRecord, LabelEvent, ModelColumn } from '../storage/types.js';
import { parseTimestamp } from './timestamps.js';
import { FORBIDDEN_NAME, isNonFinite, shapeProblem, storable } from './values.js';

export interface NormalizeContext {
  task: Task;
  schema: ModelSchema | null;
  nowMicros: number;
  /** The schema's declared classes, as text; null when it declares none. */
  classes: ReadonlySet<string> | null;
}

/** The declared classes of a classification schema, for `checkOutputs`. */
export function declaredClasses(schema: ModelSchema | null): ReadonlySet<string> | null {
  const classes = schema?.classes;
  return classes && classes.length > 0 ? new Set(classes) : null;
}

/** A record that passed the record-level checks, before its values are laid out in columns. */
export interface PendingRecord {
  index: number;
  event: Omit<EventRecord, 'values' | 'invalid' | 'violations'>;
  features: Record<string, unknown>;
  segments: Record<string, unknown>;
  violations: string[];
}

export interface FirstPass {
  pending: PendingRecord[];
  rejected: RejectedRecord[];
}

/** Ids appear in URLs (`GET …/predictions/{id}`), so they are no longer than names. */
const MAX_ID_LENGTH = MAX_NAME_LENGTH;

/** A problem that rejects one record (never the batch). */
export class RecordError extends Error {}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object' && shapeProblem(value, '') !== null) return 'a deeply nested object';
  const text = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`;
}

/** Rejects a record that nests too deep or uses a forbidden name anywhere (see `values.ts`). */
export function checkShape(row: unknown): void {
  const problem = shapeProblem(row, '');
  if (problem !== null) throw new RecordError(problem);
}

export function readId(raw: unknown, required: boolean): string {
  if (raw === undefined || raw === null || raw === '') {
    if (required) throw new RecordError('id: required, a non-empty string');
    return randomUUID();
  }
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw !== 'string') throw new RecordError(`id: expected a string, got ${describe(raw)}`);
  if (raw.length > MAX_ID_LENGTH) throw new RecordError(`id: longer than ${MAX_ID_LENGTH} characters`);
  return raw;
}

export function readTimestamp(raw: unknown, nowMicros: number, field = 'timestamp'): number {
  if (raw === undefined || raw === null || raw === '') return nowMicros;
  const parsed = parseTimestamp(raw);
  if (!parsed.ok) throw new RecordError(`${field}: ${parsed.error}`);
  return parsed.micros;
}

/** Class labels and predictions are compared as text; booleans become "1" and "0". */
export function outcome(
  raw: unknown,
  field: string,
  task: Task,
  required: boolean,
): { text: string | null; number: number | null } {
  if (raw === undefined || raw === null || raw === '') {
    if (required) throw new RecordError(`${field}: required`);
    return { text: null, number: null };
  }
  if (typeof raw === 'boolean') return { text: raw ? '1' : '0', number: raw ? 1 : 0 };
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw new RecordError(`${field}: ${raw} is not a finite number`);
    return { text: String(raw), number: raw };
  }
  if (typeof raw === 'string') {
    const asNumber = raw.trim() === '' ? Number.NaN : Number(raw);
    if (task === 'regression' && !Number.isFinite(asNumber)) {
      throw new RecordError(`${field}: a regression model needs a number, got ${describe(raw)}`);
    }
    return { text: raw, number: Number.isFinite(asNumber) ? asNumber : null };
  }
  throw new RecordError(`${field}: expected a string, number or boolean, got ${describe(raw)}`);
}

/**
 * A score, or null. A score that is not a number is `type_mismatch:<field>`; a non-finite one
 * (NaN, ±Infinity, `1e400`) is `non_finite:<field>`; either is stored as absent.
 */
export function readScore(raw: unknown, field: string, violations: string[]): number | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  violations.push(isNonFinite(raw) ? `non_finite:${field}` : `type_mismatch:${field}`);
  return null;
}

/**
 * Checks a classification record's outputs against what its schema says: scores are
 * probabilities (`score_out_of_range:<field>` outside [0, 1]); with declared classes, a
 * prediction, label or class score of another class is `unknown_class:<field>`. The values are
 * stored as sent either way.
 */
export function checkOutputs(
  context: NormalizeContext,
  prediction: string | null,
  label: string | null,
  score: number | null,
  scores: Record<string, number> | null,
  violations: string[],
): void {
  if (context.task === 'regression') return;
  const classes = context.classes;
  if (classes !== null) {
    if (prediction !== null && !classes.has(prediction)) violations.push('unknown_class:prediction');
    if (label !== null && !classes.has(label)) violations.push('unknown_class:label');
  }
  if (score !== null && !(score >= 0 && score <= 1)) violations.push('score_out_of_range:score');
  if (scores !== null) {
    for (const cls of Object.keys(scores)) {
      if (classes !== null && !classes.has(cls)) violations.push(`unknown_class:scores.${cls}`);
      const value = scores[cls]!;
      if (!(value >= 0 && value <= 1)) violations.push(`score_out_of_range:scores.${cls}`);
    }
  }
}

function readScores(raw: unknown, violations: string[]): Record<string, number> | null {
  if (raw === undefined || raw === null) return null;
  if (!isPlainObject(raw)) {
    violations.push('type_mismatch:scores');
    return null;
  }
  const scores: Record<string, number> = {};
  for (const [cls, value] of Object.entries(raw)) {
    const score = readScore(value, `scores.${cls}`, violations);
    if (score !== null) scores[cls] = score;
  }
  return scores;
}

function readObject(raw: unknown, field: string): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (!isPlainObject(raw)) throw new RecordError(`${field}: expected an object, got ${describe(raw)}`);
  return raw;
}

/** Checks the record-level fields of logged predictions. */
export function checkPredictions(rows: unknown[], context: NormalizeContext): FirstPass {
  const pending: PendingRecord[] = [];
  const rejected: RejectedRecord[] = [];
  rows.forEach((row, index) => {
    if (row === undefined) return; // already rejected by the body parser
    const id = isPlainObject(row) && typeof row.id === 'string' ? row.id : null;
    try {
      if (!isPlainObject(row)) throw new RecordError(`expected an object, got ${describe(row)}`);
      checkShape(row);
      const violations: string[] = [];
      const prediction = outcome(row.prediction, 'prediction', context.task, true);
      const label = outcome(row.label, 'label', context.task, false);
      const score = readScore(row.score, 'score', violations);
      const scores = readScores(row.scores, violations);
      checkOutputs(context, prediction.text, label.text, score, scores, violations);
      pending.push({
        index,
        event: {
          id: readId(row.id, false),
          timestampMicros: readTimestamp(row.timestamp, context.nowMicros),
          version: row.version === undefined || row.version === null ? null : String(row.version),
          prediction: prediction.text,
          predictionNumber: prediction.number,
          score,
          scores,
          label: label.text,
          labelNumber: label.number,
        },
        features: readObject(row.features, 'features'),
        segments: readObject(row.segments, 'segments'),
        violations,
      });
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      rejected.push({ index, id, error: error.message });
    }
  });
  return { pending, rejected };
}

/** Reserved columns of flat reference rows, by the schema's field names. */
function flatFields(schema: ModelSchema | null) {
  const classScores = schema?.class_score_fields ?? {};
  return {
    id: schema?.id_field ?? 'id',
    timestamp: schema?.timestamp_field ?? 'timestamp',
    prediction: schema?.prediction_field ?? 'prediction',
    score: schema?.score_field ?? 'score',
    label: schema?.label_field ?? 'label',
    classScores,
    segments: new Set(schema?.segments ?? []),
  };
}

/**
 * Prefixed columns of flat rows, the same convention as `vigil ingest`:
 * `score_<class>` / `scores.<class>`, `segment_<name>` / `segments.<name>`, `features.<name>`.
 */
const FLAT_PREFIXES: [string, 'scores' | 'segments' | 'features'][] = [
  ['scores.', 'scores'],
  ['score_', 'scores'],
  ['segments.', 'segments'],
  ['segment_', 'segments'],
  ['features.', 'features'],
];

function flatPrefix(column: string): { target: 'scores' | 'segments' | 'features'; name: string } | null {
  for (const [prefix, target] of FLAT_PREFIXES) {
    if (column.startsWith(prefix) && column.length > prefix.length)
      return { target, name: column.slice(prefix.length) };
  }
  return null;
}

/** Column names that flat rows use for things other than features. */
export function reservedFlatColumns(schema: ModelSchema | null): Set<string> {
  const f = flatFields(schema);
  return new Set([
    f.id,
    f.timestamp,
    f.prediction,
    f.score,
    f.label,
    'version',
    ...Object.values(f.classScores),
  ]);
}

/**
 * Checks reference rows: flat rows (CSV, Parquet, flat JSON) map columns by the
 * schema's field names; rows with a `features` object read like logged predictions.
 * Reference rows need no prediction (training data often has labels only).
 */
export function checkReference(rows: unknown[], context: NormalizeContext): FirstPass {
  const pending: PendingRecord[] = [];
  const rejected: RejectedRecord[] = [];
  const fields = flatFields(context.schema);
  const reserved = reservedFlatColumns(context.schema);
  rows.forEach((row, index) => {
    if (row === undefined) return;
    try {
      if (!isPlainObject(row)) throw new RecordError(`expected an object, got ${describe(row)}`);
      checkShape(row);
      const violations: string[] = [];
      let features: Record<string, unknown>;
      let segments: Record<string, unknown> = {};
      let scores: Record<string, number> | null;
      const nested = isPlainObject(row.features);
      if (nested) {
        features = row.features as Record<string, unknown>;
        segments = readObject(row.segments, 'segments');
        scores = readScores(row.scores, violations);
      } else {
        features = {};
        const prefixedScores: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(row)) {
          if (reserved.has(key)) continue;
          const prefixed = flatPrefix(key);
          if (prefixed?.name === FORBIDDEN_NAME) {
            throw new RecordError(`${key}: "${FORBIDDEN_NAME}" is not accepted as a name; rename the column`);
          }
          if (prefixed?.target === 'scores') prefixedScores[prefixed.name] = value;
          else if (prefixed?.target === 'segments') segments[prefixed.name] = value;
          else if (prefixed?.target === 'features') features[prefixed.name] = value;
          else if (fields.segments.has(key)) segments[key] = value;
          else features[key] = value;
        }
        const classScores = Object.entries(fields.classScores);
        scores = null;
        if (classScores.length > 0 || Object.keys(prefixedScores).length > 0) {
          scores = {};
          for (const [cls, column] of classScores) {
            const score = readScore(row[column], `scores.${cls}`, violations);
            if (score !== null) scores[cls] = score;
          }
          for (const [cls, value] of Object.entries(prefixedScores)) {
            const score = readScore(value, `scores.${cls}`, violations);
            if (score !== null) scores[cls] = score;
          }
        }
      }
      const prediction = outcome(
        row[nested ? 'prediction' : fields.prediction],
        'prediction',
        context.task,
        false,
      );
      const label = outcome(row[nested ? 'label' : fields.label], 'label', context.task, false);
      const score = readScore(row[nested ? 'score' : fields.score], 'score', violations);
      checkOutputs(context, prediction.text, label.text, score, scores, violations);
      pending.push({
        index,
        event: {
          id: readId(row[nested ? 'id' : fields.id], false),
          timestampMicros: readTimestamp(row[nested ? 'timestamp' : fields.timestamp], context.nowMicros),
          version: row.version === undefined || row.version === null ? null : String(row.version),
          prediction: prediction.text,
          predictionNumber: prediction.number,
          score,
          scores,
          label: label.text,
          labelNumber: label.number,
        },
        features,
        segments,
        violations,
      });
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      rejected.push({ index, id: null, error: error.message });
    }
  });
  return { pending, rejected };
}

export function checkLabels(
  rows: unknown[],
  context: NormalizeContext,
): { labels: LabelEvent[]; rejected: RejectedRecord[] } {
  const labels: LabelEvent[] = [];
  const rejected: RejectedRecord[] = [];
  rows.forEach((row, index) => {
    if (row === undefined) return;
    const id = isPlainObject(row) && typeof row.id === 'string' ? row.id : null;
    try {
      if (!isPlainObject(row)) throw new RecordError(`expected an object, got ${describe(row)}`);
      checkShape(row);
      const label = outcome(row.label, 'label', context.task, true);
      labels.push({
        id: readId(row.id, true),
        label: label.text!,
        labelNumber: label.number,
        timestampMicros: readTimestamp(row.timestamp, context.nowMicros),
      });
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      rejected.push({ index, id, error: error.message });
    }
  });
  return { labels, rejected };
}

/** The type a new column gets from the values seen in traffic. */
export function inferValueType(values: unknown[]): FeatureType {
  let numbers = 0;
  let booleans = 0;
  let others = 0;
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'number') numbers++;
    else if (typeof value === 'boolean') booleans++;
    else others++;
  }
  if (others === 0 && booleans === 0 && numbers > 0) return 'numeric';
  if (others === 0 && numbers === 0 && booleans > 0) return 'boolean';
  return 'categorical';
}

/**
 * Columns that the batch needs and the model does not have yet. Declared types come
 * from the schema; other columns get a type inferred from the batch.
 */
export function missingColumns(
  pending: PendingRecord[],
  existing: ModelColumn[],
  schema: ModelSchema | null,
): Omit<ModelColumn, 'position'>[] {
  const have = { feature: new Set<string>(), segment: new Set<string>() };
  for (const column of existing) have[column.role].add(column.name);
  const seen = { feature: new Map<string, unknown[]>(), segment: new Map<string, unknown[]>() };
  // Hot path: one Set lookup per value, no allocation unless a name is new.
  const note = (role: ColumnRole, object: Record<string, unknown>) => {
    const known = have[role];
    for (const name in object) {
      if (known.has(name)) continue;
      let values = seen[role].get(name);
      if (!values) {
        values = [];
        seen[role].set(name, values);
      }
      if (values.length < 1000) values.push(object[name]);
    }
  };
  for (const record of pending) {
    note('feature', record.features);
    note('segment', record.segments);
  }
  return describeNewColumns(
    [
      ...[...seen.feature].map(([name, values]) => ({ role: 'feature' as const, name, values })),
      ...[...seen.segment].map(([name, values]) => ({ role: 'segment' as const, name, values })),
    ],
    schema,
  );
}

/** A column that traffic needs, with (up to 1,000 of) the values seen for it. */
export interface FoundColumn {
  role: ColumnRole;
  name: string;
  values: unknown[];
}

/** Types new columns: declared types from the schema, others inferred from the values seen. */
export function describeNewColumns(
  found: FoundColumn[],
  schema: ModelSchema | null,
): Omit<ModelColumn, 'position'>[] {
  const declaredTypes = new Map((schema?.features ?? []).map((f) => [f.name, f.type]));
  const declaredSegments = new Set(schema?.segments ?? []);
  return found.map(({ role, name, values }) => {
    const declaredType = role === 'feature' ? declaredTypes.get(name) : undefined;
    const declared = role === 'feature' ? declaredType !== undefined : declaredSegments.has(name);
    return {
      name,
      role,
      type: role === 'segment' ? 'categorical' : (declaredType ?? inferValueType(values)),
      declared: schema === null ? false : declared,
    };
  });
}

const TRUE_TEXT = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_TEXT = new Set(['false', 'f', 'no', 'n', '0']);

/**
 * Converts a raw value to a column's type; `undefined` means it does not fit, which includes a
 * number that is not finite (NaN, ±Infinity, `1e400`) in any column: columns hold finite numbers,
 * and the caller keeps such a value raw with a `non_finite` violation (see `mismatchKind`).
 */
export function convert(value: unknown, type: FeatureType): ColumnValue | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  switch (type) {
    case 'numeric':
      if (typeof value === 'number') return value;
      if (typeof value === 'string') {
        const text = value.trim();
        const n = text === '' ? Number.NaN : Number(text);
        return Number.isFinite(n) ? n : undefined;
      }
      return undefined;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 0 || value === 1) return value === 1;
      if (typeof value === 'string') {
        const text = value.trim().toLowerCase();
        if (TRUE_TEXT.has(text)) return true;
        if (FALSE_TEXT.has(text)) return false;
      }
      return undefined;
    case 'timestamp': {
      if (typeof value !== 'string' && typeof value !== 'number') return undefined;
      const parsed = parseTimestamp(value);
      return parsed.ok ? parsed.micros : undefined;
    }
    case 'categorical':
    case 'text':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return undefined;
  }
}

/** The violation for a value that does not fit its column: `non_finite` or `type_mismatch`. */
export function mismatchKind(raw: unknown, type: FeatureType): 'non_finite' | 'type_mismatch' {
  return (type === 'numeric' || typeof raw === 'number') && isNonFinite(raw) ? 'non_finite' : 'type_mismatch';
}

/** Lays pending records out in the model's columns, recording data-quality violations. */
export function toEventRecords(
  pending: PendingRecord[],
  columns: ModelColumn[],
  schema: ModelSchema | null,
): EventRecord[] {
  // Everything the hot loop needs about a feature, behind one lookup.
  interface FeatureSlot {
    index: number;
    type: FeatureType;
    declared: boolean;
    categories: Set<string> | undefined;
  }
  const declaredFeatures = schema?.features ?? [];
  const specs = new Map(declaredFeatures.map((f) => [f.name, f]));
  const features = new Map<string, FeatureSlot>();
  const segments = new Map<string, number>();
  columns.forEach((c, index) => {
    if (c.role === 'segment') {
      segments.set(c.name, index);
      return;
    }
    const spec = specs.get(c.name);
    features.set(c.name, {
      index,
      type: c.type,
      declared: spec !== undefined,
      categories: spec?.categories ? new Set(spec.categories) : undefined,
    });
  });
  const declaredSegments = new Set(schema?.segments ?? []);
  const checkUnknown = schema !== null;
  const declaredCount = declaredFeatures.length;

  return pending.map((record) => {
    const values = new Array<ColumnValue>(columns.length).fill(null);
    const violations = record.violations;
    let invalid: Record<string, unknown> | null = null;
    let declaredSeen = 0;
    const raws = record.features;
    for (const name in raws) {
      const raw = raws[name];
      // A null is the same as leaving the feature out, as in a columnar batch.
      if (raw === null || raw === undefined) continue;
      const slot = features.get(name);
      if (slot === undefined) {
        // No column for it: the model is at its column limit. Keep the value raw.
        violations.push(`column_limit:${name}`);
        invalid ??= {};
        invalid[name] = storable(raw);
        continue;
      }
      if (slot.declared) declaredSeen++;
      else if (checkUnknown) violations.push(`unknown_feature:${name}`);
      const value = convert(raw, slot.type);
      if (value === undefined) {
        violations.push(`${mismatchKind(raw, slot.type)}:${name}`);
        invalid ??= {};
        invalid[name] = storable(raw);
        continue;
      }
      values[slot.index] = value;
      if (slot.categories && typeof value === 'string' && !slot.categories.has(value)) {
        violations.push(`unseen_category:${name}`);
      }
    }
    if (declaredSeen < declaredCount) {
      for (const spec of declaredFeatures) {
        if (raws[spec.name] === null || raws[spec.name] === undefined) {
          violations.push(`missing_feature:${spec.name}`);
        }
      }
    }
    for (const name in record.segments) {
      const raw = record.segments[name];
      const index = segments.get(name);
      if (raw === null || raw === undefined) continue;
      if (index === undefined) {
        violations.push(`column_limit:segments.${name}`);
        invalid ??= {};
        invalid[`segments.${name}`] = storable(raw);
        continue;
      }
      if (checkUnknown && !declaredSegments.has(name)) violations.push(`unknown_segment:${name}`);
      const value = convert(raw, 'categorical');
      if (value === undefined) {
        violations.push(`${mismatchKind(raw, 'categorical')}:segments.${name}`);
        invalid ??= {};
        invalid[`segments.${name}`] = storable(raw);
      } else {
        values[index] = value;
      }
    }
    const event = record.event;
    return {
      id: event.id,
      timestampMicros: event.timestampMicros,
      version: event.version,
      prediction: event.prediction,
      predictionNumber: event.predictionNumber,
      score: event.score,
      scores: event.scores,
      label: event.label,
      labelNumber: event.labelNumber,
      values,
      invalid,
      violations,
    };
  });
}
