import type { FeatureValue, LabelRecord, ModelSchema, PredictionRecord, Scalar } from '@vigil/sdk';

/** A row of a file: CSV values are strings, Parquet and JSON values keep their types. */
export type Row = Record<string, unknown>;

const numberPattern =
  /^[-+]?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$|^[-+]?(?:0|[1-9]\d*)?\.\d+(?:[eE][-+]?\d+)?$/;

/**
 * The typed value of a CSV cell: empty → `null`; a decimal number (no leading zeros, so codes such
 * as `007` stay text) → number; `true` / `false` (any case) → boolean; anything else → the text.
 */
export function csvValue(text: string): FeatureValue {
  if (text === '') return null;
  if (numberPattern.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
  }
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return text;
}

/** A value from any source as JSON can carry it: bigints become numbers (or text when too large), dates ISO text. */
export function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return value.toISOString();
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(jsonValue);
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonValue(v)]));
  }
  return value;
}

export function text(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return typeof value === 'string' ? value : String(value);
}

export function scalar(value: unknown): Scalar | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return value === null || value === undefined ? undefined : String(value);
}

export function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function timestamp(value: unknown): string | number | undefined {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const t = text(value);
  if (t === undefined) return undefined;
  return /^\d+$/.test(t) ? Number(t) : t;
}

/** How a flat column is read into a prediction record. */
export type ColumnRole =
  | { role: 'id' | 'timestamp' | 'version' | 'prediction' | 'score' | 'label' }
  | { role: 'scores' | 'segments' | 'features'; key: string };

/**
 * Which column of a flat file holds what: the model schema's field names (`id_field`,
 * `timestamp_field`, `prediction_field`, `score_field`, `class_score_fields`, `label_field`,
 * `segments`), overridden by the command line's column flags.
 */
export interface ColumnNames {
  id: string;
  timestamp: string;
  prediction: string;
  score: string;
  label: string;
  /** Class → column holding its score. */
  classScores: Record<string, string>;
  /** Columns that are segments. */
  segments: string[];
}

export const defaultColumnNames: ColumnNames = {
  id: 'id',
  timestamp: 'timestamp',
  prediction: 'prediction',
  score: 'score',
  label: 'label',
  classScores: {},
  segments: [],
};

/** Column names from a model schema (absent fields keep their defaults), then `overrides`. */
export function columnNames(
  schema: ModelSchema | null | undefined,
  overrides: Partial<ColumnNames> = {},
): ColumnNames {
  const names: ColumnNames = {
    id: overrides.id ?? schema?.id_field ?? defaultColumnNames.id,
    timestamp: overrides.timestamp ?? schema?.timestamp_field ?? defaultColumnNames.timestamp,
    prediction: overrides.prediction ?? schema?.prediction_field ?? defaultColumnNames.prediction,
    score: overrides.score ?? schema?.score_field ?? defaultColumnNames.score,
    label: overrides.label ?? schema?.label_field ?? defaultColumnNames.label,
    classScores: overrides.classScores ?? schema?.class_score_fields ?? {},
    segments: overrides.segments ?? schema?.segments ?? [],
  };
  return names;
}

/** Reads flat rows with a set of column names; a file has few distinct columns, so roles are cached. */
export class ColumnMapping {
  readonly names: ColumnNames;
  readonly #roles = new Map<string, ColumnRole>();
  readonly #fixed = new Map<string, ColumnRole>();

  constructor(names: ColumnNames = defaultColumnNames) {
    this.names = names;
    for (const segment of names.segments) this.#fixed.set(segment, { role: 'segments', key: segment });
    for (const [cls, column] of Object.entries(names.classScores)) {
      this.#fixed.set(column, { role: 'scores', key: cls });
    }
    this.#fixed.set('version', { role: 'version' });
    for (const role of ['id', 'timestamp', 'prediction', 'score', 'label'] as const) {
      this.#fixed.set(names[role], { role });
    }
  }

  /**
   * The role of a flat column: the id, timestamp, prediction, score and label columns as named,
   * `version`, class score and segment columns as named; `score_<class>` / `scores.<class>` →
   * `scores[class]`; `segment_<name>` / `segments.<name>` → `segments[name]`; `features.<name>`
   * and every other column → `features`.
   */
  role(column: string): ColumnRole {
    let role = this.#roles.get(column);
    if (role === undefined) {
      role = this.#fixed.get(column) ?? prefixedRole(column);
      if (this.#roles.size < 10_000) this.#roles.set(column, role);
    }
    return role;
  }
}

const defaultMapping = new ColumnMapping();

/** The role of a flat column under the default names (see {@link ColumnMapping.role}). */
export function columnRole(column: string): ColumnRole {
  return defaultMapping.role(column);
}

function prefixedRole(column: string): ColumnRole {
  for (const [prefix, role] of [
    ['score_', 'scores'],
    ['scores.', 'scores'],
    ['segment_', 'segments'],
    ['segments.', 'segments'],
    ['features.', 'features'],
  ] as const) {
    if (column.startsWith(prefix) && column.length > prefix.length)
      return { role, key: column.slice(prefix.length) };
  }
  return { role: 'features', key: column };
}

/** Whether `row` is already shaped like a prediction record (JSON input with a `features` object). */
export function isRecordShaped(row: Row): boolean {
  return typeof row.features === 'object' && row.features !== null && !Array.isArray(row.features);
}

/**
 * A prediction record from a row. Record-shaped rows are kept as they are; flat rows are read
 * column by column (see {@link columnRole}). `defaultVersion` fills `version` when the row has none.
 */
export function toPrediction(
  row: Row,
  defaultVersion?: string,
  mapping: ColumnMapping = defaultMapping,
): PredictionRecord {
  if (isRecordShaped(row)) {
    const record = jsonValue(row) as PredictionRecord;
    if (record.version === undefined && defaultVersion !== undefined) record.version = defaultVersion;
    return record;
  }
  const features: Record<string, FeatureValue> = {};
  const record = { features } as PredictionRecord;
  let scores: Record<string, number> | undefined;
  let segments: Record<string, string> | undefined;
  for (const [column, raw] of Object.entries(row)) {
    const role = mapping.role(column);
    switch (role.role) {
      case 'id': {
        const v = text(raw);
        if (v !== undefined) record.id = v;
        break;
      }
      case 'version': {
        const v = text(raw);
        if (v !== undefined) record.version = v;
        break;
      }
      case 'timestamp': {
        const v = timestamp(raw);
        if (v !== undefined) record.timestamp = v;
        break;
      }
      case 'prediction': {
        const v = scalar(raw);
        if (v !== undefined) record.prediction = v;
        break;
      }
      case 'label': {
        const v = scalar(raw);
        if (v !== undefined) record.label = v;
        break;
      }
      case 'score': {
        const v = numeric(raw);
        if (v !== undefined) record.score = v;
        break;
      }
      case 'scores': {
        const v = numeric(raw);
        if (v !== undefined) {
          scores ??= {};
          scores[role.key] = v;
        }
        break;
      }
      case 'segments': {
        const v = text(raw);
        if (v !== undefined) {
          segments ??= {};
          segments[role.key] = v;
        }
        break;
      }
      case 'features':
        features[role.key] = jsonValue(raw) as FeatureValue;
        break;
    }
  }
  if (scores) record.scores = scores;
  if (segments) record.segments = segments;
  if (record.version === undefined && defaultVersion !== undefined) record.version = defaultVersion;
  return record;
}

/** A label record from a row: its id, label and optional timestamp columns; other columns are ignored. */
export function toLabel(row: Row, names: ColumnNames = defaultColumnNames): LabelRecord {
  const record = {} as LabelRecord;
  const id = text(row[names.id]);
  if (id !== undefined) record.id = id;
  const label = scalar(row[names.label]);
  if (label !== undefined) record.label = label;
  const ts = timestamp(row[names.timestamp]);
  if (ts !== undefined) record.timestamp = ts;
  return record;
}

/** Columns a flat file must have for `kind`, so that a wrong file fails before anything is sent. */
export function missingColumns(
  kind: 'predictions' | 'labels' | 'reference',
  columns: readonly string[],
  names: ColumnNames = defaultColumnNames,
): string[] {
  const required =
    kind === 'predictions' ? [names.prediction] : kind === 'labels' ? [names.id, names.label] : [];
  return required.filter((column) => !columns.includes(column));
}
