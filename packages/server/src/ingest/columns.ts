/**
 * Predictions sent by column (`application/vnd.vigil.columns+json`): one JSON object whose
 * per-row fields are arrays of `length` values (null = absent) or a scalar shared by every
 * row. The body is checked and converted column by column, straight into the typed arrays
 * the store appends, without an object per row.
 *
 * Per-row rules are those of records sent one by one (`normalize.ts`, whose checks this
 * file calls): a row sent by column or as an NDJSON record without its absent fields is
 * accepted or rejected with the same message, and stored with the same values and
 * data-quality violations.
 */
import type { ModelSchema, RejectedRecord } from '../domain/index.js';
import { BadRequestError } from '../errors.js';
import type { ColumnRole, EventColumns, FeatureColumn, ModelColumn, NumberColumn } from '../storage/types.js';
import type { ArrowBody, DictionaryCodes } from './arrow.js';
import {
  checkOutputs,
  convert,
  describeNewColumns,
  type FoundColumn,
  isPlainObject,
  mismatchKind,
  type NormalizeContext,
  outcome,
  RecordError,
  readId,
  readScore,
  readTimestamp,
} from './normalize.js';
import { FORBIDDEN_NAME, shapeProblem, storable } from './values.js';

/**
 * The values of one field: one per row, or one for every row, or (an Arrow dictionary column)
 * the dictionary's entries and an index per row, read through `at` without a string per row.
 * Every kind has the same three properties, so that the per-row reads stay monomorphic.
 */
export type Cells =
  | { rows: ArrayLike<unknown>; all: undefined; codes: undefined }
  | { rows: null; all: unknown; codes: undefined }
  | { rows: null; all: undefined; codes: DictionaryCodes };

export interface ColumnarBody {
  length: number;
  id: Cells;
  timestamp: Cells;
  version: Cells;
  prediction: Cells;
  score: Cells;
  label: Cells;
  /** By name, in the order of the body. */
  scores: [string, Cells][];
  features: [string, Cells][];
  segments: [string, Cells][];
}

const ROW_FIELDS = ['id', 'timestamp', 'version', 'prediction', 'score', 'label'] as const;
const GROUP_FIELDS = ['scores', 'features', 'segments'] as const;
const FIELDS = new Set<string>(['length', ...ROW_FIELDS, ...GROUP_FIELDS]);
const ABSENT: Cells = { rows: null, all: null, codes: undefined };
/** Names an ENUM of a batch's categories may have: DuckDB's 16-bit ENUM indices. */
const MAX_ENUM_NAMES = 65_535;
/** Rows in one batch at most: a body may say `length` with scalars only, so bound it here. */
const MAX_LENGTH = 200_000;
/** Cells (rows × columns) in one batch at most, which bounds the memory one request can claim. */
const MAX_CELLS = 20_000_000;

function at(cells: Cells, row: number): unknown {
  const codes = cells.codes;
  if (codes !== undefined) {
    const w = codes.indices[row]!;
    return w < 0 ? null : codes.words[w];
  }
  return cells.rows === null ? cells.all : cells.rows[row];
}

/** Whether a row has no value in a field (null or absent). */
function absent(cells: Cells, row: number): boolean {
  const raw = at(cells, row);
  return raw === null || raw === undefined;
}

/** A dictionary column's values, a string (or null) per row. */
function decode({ words, indices }: DictionaryCodes): (string | null)[] {
  const values = new Array<string | null>(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const w = indices[i]!;
    values[i] = w < 0 ? null : (words[w] ?? null);
  }
  return values;
}

function cellsOf(value: unknown, field: string, length: number): Cells {
  if (!Array.isArray(value)) {
    // One value for every row: a problem with it is the whole body's.
    const problem = shapeProblem(value, field);
    if (problem !== null) throw new BadRequestError(`${problem}.`);
    return value === undefined ? ABSENT : { rows: null, all: value, codes: undefined };
  }
  if (value.length !== length) {
    throw new BadRequestError(
      `Column "${field}" has ${value.length} values, but "length" is ${length}; give one value per row (null where absent) or one scalar for every row.`,
    );
  }
  return { rows: value, all: undefined, codes: undefined };
}

function group(value: unknown, field: string, length: number): [string, Cells][] {
  if (value === undefined || value === null) return [];
  if (!isPlainObject(value)) {
    throw new BadRequestError(
      `"${field}" must be an object of columns by name, e.g. {"amount": [12.5, null]}.`,
    );
  }
  return Object.keys(value).map((name) => {
    if (name === FORBIDDEN_NAME) {
      throw new BadRequestError(
        `"${field}.${FORBIDDEN_NAME}": "${FORBIDDEN_NAME}" is not accepted as a name (it could change objects' prototypes); rename it.`,
      );
    }
    return [name, cellsOf(value[name], `${field}.${name}`, length)];
  });
}

/** Reads the body's structure; a structural problem fails the whole request with a 400. */
export function parseColumnarBody(body: Buffer): ColumnarBody {
  const text = body.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BadRequestError(`The body is not valid JSON: ${(error as Error).message}.`);
  }
  if (!isPlainObject(value)) {
    throw new BadRequestError(
      'A columnar body must be one JSON object: {"length": n, "prediction": [...], "features": {...}}.',
    );
  }
  for (const key of Object.keys(value)) {
    if (!FIELDS.has(key))
      throw new BadRequestError(`Unknown field "${key}"; a columnar body has ${[...FIELDS].join(', ')}.`);
  }
  const length = value.length;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > MAX_LENGTH) {
    throw new BadRequestError(
      `"length" must be the number of rows, an integer from 0 to ${MAX_LENGTH}; got ${JSON.stringify(length) ?? 'nothing'}.`,
    );
  }
  const groups = GROUP_FIELDS.reduce(
    (n, field) => n + (isPlainObject(value[field]) ? Object.keys(value[field]).length : 0),
    0,
  );
  if (length * (ROW_FIELDS.length + groups) > MAX_CELLS) {
    throw new BadRequestError(
      `The batch has ${length} rows of ${ROW_FIELDS.length + groups} columns, over ${MAX_CELLS} cells; send it in smaller batches.`,
    );
  }
  return {
    length,
    id: cellsOf(value.id, 'id', length),
    timestamp: cellsOf(value.timestamp, 'timestamp', length),
    version: cellsOf(value.version, 'version', length),
    prediction: cellsOf(value.prediction, 'prediction', length),
    score: cellsOf(value.score, 'score', length),
    label: cellsOf(value.label, 'label', length),
    scores: group(value.scores, 'scores', length),
    features: group(value.features, 'features', length),
    segments: group(value.segments, 'segments', length),
  };
}

/**
 * Predictions sent as Arrow: flat columns by name. `id`, `timestamp`, `version`, `prediction`,
 * `score` and `label` are the row fields; `scores.<class>`, `segments.<name>` and
 * `features.<name>` columns fill those groups; every other column is a feature.
 */
export function arrowColumnarBody(arrow: ArrowBody): ColumnarBody {
  const { length } = arrow;
  if (length > MAX_LENGTH) {
    throw new BadRequestError(
      `The Arrow stream has ${length} rows; send at most ${MAX_LENGTH} predictions per request.`,
    );
  }
  if (length * arrow.columns.length > MAX_CELLS) {
    throw new BadRequestError(
      `The batch has ${length} rows of ${arrow.columns.length} columns, over ${MAX_CELLS} cells; send it in smaller batches.`,
    );
  }
  const body: ColumnarBody = {
    length,
    id: ABSENT,
    timestamp: ABSENT,
    version: ABSENT,
    prediction: ABSENT,
    score: ABSENT,
    label: ABSENT,
    scores: [],
    features: [],
    segments: [],
  };
  const named = { scores: new Set<string>(), features: new Set<string>(), segments: new Set<string>() };
  for (const column of arrow.columns) {
    const { name, codes } = column;
    const cells: Cells = codes
      ? { rows: null, all: undefined, codes }
      : { rows: column.values, all: undefined, codes: undefined };
    if ((ROW_FIELDS as readonly string[]).includes(name)) {
      body[name as (typeof ROW_FIELDS)[number]] = cells;
      continue;
    }
    const dot = name.indexOf('.');
    const prefix = dot > 0 ? name.slice(0, dot) : '';
    const group = (GROUP_FIELDS as readonly string[]).includes(prefix)
      ? (prefix as (typeof GROUP_FIELDS)[number])
      : 'features';
    const key = group === prefix ? name.slice(dot + 1) : name;
    if (key === '' || key === FORBIDDEN_NAME) {
      throw new BadRequestError(`Arrow column "${name}" names no usable ${group.slice(0, -1)}; rename it.`);
    }
    if (named[group].has(key)) {
      throw new BadRequestError(
        `Arrow columns "${key}" and "features.${key}" both name feature "${key}"; send one of them.`,
      );
    }
    named[group].add(key);
    body[group].push([key, cells]);
  }
  return body;
}

/** Rows that passed the row-level checks; repeated ids are left out (the first one is kept). */
export interface ColumnarFirstPass {
  body: ColumnarBody;
  /** Rows that passed the checks, repeated ids included. */
  accepted: number;
  rejected: RejectedRecord[];
  /** Body row of each kept row. */
  rows: Int32Array;
  /** The kept rows' fields; features and violations are filled in by `layOutColumns`. */
  events: Omit<EventColumns, 'values'>;
}

function numberColumn(length: number): NumberColumn {
  return { values: new Float64Array(length), valid: new Uint8Array(length) };
}

function setNumber(column: NumberColumn, k: number, value: number | null): void {
  if (value === null) return;
  column.values[k] = value;
  column.valid[k] = 1;
}

/**
 * Rows whose values nest too deep or use a forbidden name, with the reason (as `checkShape`
 * gives it for a record). Only object cells are walked, so flat columns cost one type check a cell.
 */
function rowShapeProblems(body: ColumnarBody): Map<number, string> {
  const problems = new Map<number, string>();
  const scan = (cells: Cells, field: string) => {
    // Dictionary entries are strings, never objects; nor is anything in a typed array.
    if (cells.codes) return;
    const rows = cells.rows;
    if (rows === null || ArrayBuffer.isView(rows)) return;
    for (let i = 0; i < rows.length; i++) {
      const value = rows[i];
      if (typeof value !== 'object' || value === null || problems.has(i)) continue;
      const problem = shapeProblem(value, field);
      if (problem !== null) problems.set(i, problem);
    }
  };
  for (const field of ROW_FIELDS) scan(body[field], field);
  for (const field of GROUP_FIELDS) for (const [name, cells] of body[field]) scan(cells, `${field}.${name}`);
  return problems;
}

/** The row-level checks of `checkPredictions`, run down the columns. */
export function checkPredictionColumns(body: ColumnarBody, context: NormalizeContext): ColumnarFirstPass {
  const n = body.length;
  const rejected: RejectedRecord[] = [];
  const rows = new Int32Array(n);
  const events: ColumnarFirstPass['events'] = {
    length: 0,
    id: [],
    timestampMicros: new Float64Array(n),
    version: [],
    prediction: [],
    predictionNumber: numberColumn(n),
    score: numberColumn(n),
    scores: [],
    label: [],
    labelNumber: numberColumn(n),
    invalid: [],
    violations: [],
  };
  const seen = new Set<string>();
  const scratch: string[] = [];
  const shapeProblems = rowShapeProblems(body);
  let accepted = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const rawId = at(body.id, i);
    scratch.length = 0;
    let id: string;
    let timestampMicros: number;
    let prediction: ReturnType<typeof outcome>;
    let label: ReturnType<typeof outcome>;
    try {
      const problem = shapeProblems.get(i);
      if (problem !== undefined) throw new RecordError(problem);
      prediction = outcome(at(body.prediction, i), 'prediction', context.task, true);
      label = outcome(at(body.label, i), 'label', context.task, false);
      id = readId(rawId, false);
      timestampMicros = readTimestamp(at(body.timestamp, i), context.nowMicros);
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      rejected.push({ index: i, id: typeof rawId === 'string' ? rawId : null, error: error.message });
      continue;
    }
    accepted++;
    if (seen.has(id)) continue;
    seen.add(id);
    rows[k] = i;
    const version = at(body.version, i);
    const score = readScore(at(body.score, i), 'score', scratch);
    let scores: Record<string, number> | null = null;
    for (const [cls, cells] of body.scores) {
      const raw = at(cells, i);
      if (raw === null || raw === undefined) continue;
      scores ??= {};
      const value = readScore(raw, `scores.${cls}`, scratch);
      if (value !== null) scores[cls] = value;
    }
    checkOutputs(context, prediction.text, label.text, score, scores, scratch);
    events.id.push(id);
    events.timestampMicros[k] = timestampMicros;
    events.version.push(version === undefined || version === null ? null : String(version));
    events.prediction.push(prediction.text);
    setNumber(events.predictionNumber, k, prediction.number);
    setNumber(events.score, k, score);
    events.scores.push(scores);
    events.label.push(label.text);
    setNumber(events.labelNumber, k, label.number);
    events.invalid.push(null);
    events.violations.push(scratch.length === 0 ? null : [...scratch]);
    k++;
  }
  events.length = k;
  // Refused and repeated rows left the tail unset (zero: 1970), which would mark windows
  // that hold nothing of this batch.
  events.timestampMicros = events.timestampMicros.subarray(0, k);
  return { body, accepted, rejected, rows: rows.subarray(0, k), events };
}

/**
 * A numeric column from doubles (an Arrow float column without nulls), as the general path of
 * `layOutColumns` converts it: finite values are stored, NaN and infinities are mismatches.
 * Kept apart so that its loop reads one kind of array. Null when no row has a value.
 */
function fillDoubles(
  source: Float64Array,
  rows: Int32Array,
  unknown: ((k: number) => void) | null,
  mismatch: (k: number, raw: unknown) => void,
): NumberColumn | null {
  const n = rows.length;
  const out = numberColumn(n);
  const { values, valid } = out;
  let any = false;
  for (let k = 0; k < n; k++) {
    const raw = source[rows[k]!]!;
    if (unknown !== null) unknown(k);
    // Finite exactly when the difference is 0 (NaN and infinities give NaN).
    if (raw - raw === 0) {
      values[k] = raw;
      valid[k] = 1;
      any = true;
    } else {
      mismatch(k, raw);
    }
  }
  return any ? out : null;
}

/** Columns that the kept rows need and the model does not have yet (see `missingColumns`). */
export function missingColumnsOf(
  first: ColumnarFirstPass,
  existing: ModelColumn[],
  schema: ModelSchema | null,
): Omit<ModelColumn, 'position'>[] {
  const have = { feature: new Set<string>(), segment: new Set<string>() };
  for (const column of existing) have[column.role].add(column.name);
  const found = (role: ColumnRole, named: [string, Cells][]) => {
    const result: (FoundColumn & { first: number; order: number })[] = [];
    named.forEach(([name, cells], order) => {
      if (have[role].has(name)) return;
      const values: unknown[] = [];
      let firstRow = -1;
      for (let k = 0; k < first.rows.length && values.length < 1000; k++) {
        const raw = at(cells, first.rows[k]!);
        if (raw === null || raw === undefined) continue;
        if (firstRow < 0) firstRow = k;
        values.push(raw);
      }
      if (firstRow >= 0) result.push({ role, name, values, first: firstRow, order });
    });
    // In the order records would first show them.
    return result.sort((a, b) => a.first - b.first || a.order - b.order);
  };
  return describeNewColumns(
    [...found('feature', first.body.features), ...found('segment', first.body.segments)],
    schema,
  );
}

/**
 * A dictionary column's result, built outside `layOutColumns`: written as an object literal in
 * its per-call closure, it made V8 throw the closure's optimised code away on most calls ("wrong
 * map", 414 times in the 2,000 columns of `bench:ingest --checks-only`); here it never does.
 */
function codesColumn(
  names: string[],
  indices: Uint8Array | Uint16Array,
  valid: Uint8Array | null,
): FeatureColumn {
  return { kind: 'codes', names, indices, valid };
}

/**
 * Converts the kept rows' features and segments into the model's columns, recording
 * data-quality violations as `toEventRecords` does, in the same order for each row.
 */
export function layOutColumns(
  first: ColumnarFirstPass,
  columns: ModelColumn[],
  schema: ModelSchema | null,
): EventColumns {
  const { rows, events } = first;
  const n = rows.length;
  const violations = events.violations;
  const invalid = events.invalid;
  const flag = (k: number, violation: string) => {
    const list = violations[k];
    if (list) list.push(violation);
    else violations[k] = [violation];
  };
  const keep = (k: number, name: string, raw: unknown) => {
    let values = invalid[k];
    if (!values) {
      values = {};
      invalid[k] = values;
    }
    values[name] = storable(raw);
  };
  const declaredFeatures = schema?.features ?? [];
  const specs = new Map(declaredFeatures.map((f) => [f.name, f]));
  const featureIndex = new Map<string, number>();
  const segmentIndex = new Map<string, number>();
  columns.forEach((c, index) => {
    (c.role === 'segment' ? segmentIndex : featureIndex).set(c.name, index);
  });
  const values: FeatureColumn[] = columns.map(() => null);
  const checkUnknown = schema !== null;

  /**
   * Converts one column. Numbers into a numeric column and strings into a categorical one
   * take a shortcut that gives what `convert` would; everything else goes through `convert`.
   */
  const fill = (
    cells: Cells,
    index: number,
    unknown: string | null,
    mismatch: (k: number, raw: unknown) => void,
    unseen: Set<string> | undefined,
    unseenViolation: string,
  ) => {
    const type = columns[index]!.type;
    if (cells.codes && (type === 'categorical' || type === 'text')) {
      if (fillCodes(cells.codes, index, unknown, unseen, unseenViolation)) return;
    }
    // A dictionary column that takes the general path: its strings, one per row.
    const source = cells.codes ? decode(cells.codes) : cells.rows;
    const all = cells.all;
    let any = false;
    if (type === 'numeric' && source instanceof Float64Array) {
      const out = fillDoubles(source, rows, unknown === null ? null : (k) => flag(k, unknown), mismatch);
      if (out !== null) values[index] = { kind: 'number', ...out };
      return;
    }
    if (type === 'numeric' || type === 'timestamp') {
      const out = numberColumn(n);
      const numeric = type === 'numeric';
      for (let k = 0; k < n; k++) {
        const raw = source === null ? all : source[rows[k]!];
        if (raw === null || raw === undefined) continue;
        if (unknown !== null) flag(k, unknown);
        const value = numeric && typeof raw === 'number' && Number.isFinite(raw) ? raw : convert(raw, type);
        if (value === undefined) {
          mismatch(k, raw);
        } else if (value !== null) {
          out.values[k] = value as number;
          out.valid[k] = 1;
          any = true;
        }
      }
      if (any) values[index] = { kind: 'number', ...out };
      return;
    }
    const out = new Array<string | boolean | null>(n).fill(null);
    const text = type !== 'boolean';
    for (let k = 0; k < n; k++) {
      const raw = source === null ? all : source[rows[k]!];
      if (raw === null || raw === undefined) continue;
      if (unknown !== null) flag(k, unknown);
      const value = text && typeof raw === 'string' ? raw : convert(raw, type);
      if (value === undefined) {
        mismatch(k, raw);
        continue;
      }
      if (value === null) continue;
      out[k] = value as string | boolean;
      any = true;
      if (unseen && typeof value === 'string' && !unseen.has(value)) flag(k, unseenViolation);
    }
    if (any) {
      values[index] = text
        ? { kind: 'string', values: out as (string | null)[] }
        : { kind: 'boolean', values: out as (boolean | null)[] };
    }
  };

  /**
   * A dictionary column into a categorical or text column without a string per row: each
   * entry is checked once (it is a string, so it is stored as it is; unseen or not), each row
   * costs its index. The column is handed to the store as the entries and an index per row.
   * Returns false, having done nothing, when the entries cannot be an ENUM (too many, a NUL).
   */
  const fillCodes = (
    codes: DictionaryCodes,
    index: number,
    unknown: string | null,
    unseen: Set<string> | undefined,
    unseenViolation: string,
  ): boolean => {
    const { words, indices } = codes;
    // Entries that repeat share one name.
    const position = new Int32Array(words.length);
    const unseenEntry = new Uint8Array(words.length);
    const names: string[] = [];
    const byName = new Map<string, number>();
    for (let w = 0; w < words.length; w++) {
      const word = words[w];
      if (word === null || word === undefined) {
        position[w] = -1;
        continue;
      }
      let p = byName.get(word);
      if (p === undefined) {
        if (names.length === MAX_ENUM_NAMES || word.includes('\u0000')) return false;
        p = names.length;
        names.push(word);
        byName.set(word, p);
      }
      position[w] = p;
      if (unseen && !unseen.has(word)) unseenEntry[w] = 1;
    }
    const out = names.length < 256 ? new Uint8Array(n) : new Uint16Array(n);
    const valid = new Uint8Array(n);
    let nulls = 0;
    for (let k = 0; k < n; k++) {
      const w = indices[rows[k]!]!;
      const p = w < 0 ? -1 : position[w]!;
      if (p < 0) {
        nulls++;
        continue;
      }
      if (unknown !== null) flag(k, unknown);
      out[k] = p;
      valid[k] = 1;
      if (unseenEntry[w] === 1) flag(k, unseenViolation);
    }
    if (nulls < n) values[index] = codesColumn(names, out, nulls > 0 ? valid : null);
    return true;
  };

  /** Values of a name that has no column (the model is at its column limit) are kept raw. */
  const keepOverLimit = (cells: Cells, name: string) => {
    for (let k = 0; k < n; k++) {
      const raw = at(cells, rows[k]!);
      if (raw === null || raw === undefined) continue;
      flag(k, `column_limit:${name}`);
      keep(k, name, raw);
    }
  };

  for (const [name, cells] of first.body.features) {
    const index = featureIndex.get(name);
    if (index === undefined) {
      keepOverLimit(cells, name);
      continue;
    }
    const spec = specs.get(name);
    const unknown = spec === undefined && checkUnknown ? `unknown_feature:${name}` : null;
    fill(
      cells,
      index,
      unknown,
      (k, raw) => {
        flag(k, `${mismatchKind(raw, columns[index]!.type)}:${name}`);
        keep(k, name, raw);
      },
      spec?.categories ? new Set(spec.categories) : undefined,
      `unseen_category:${name}`,
    );
  }
  if (declaredFeatures.length > 0) {
    // Feature by feature: each row still gets its missing features in the schema's order, after
    // the violations above, and a column that cannot lack a value is not read row by row.
    const given = new Map(first.body.features);
    for (const spec of declaredFeatures) {
      const cells = given.get(spec.name) ?? ABSENT;
      const violation = `missing_feature:${spec.name}`;
      const rowsOf = cells.rows;
      if (rowsOf !== null && ArrayBuffer.isView(rowsOf)) continue;
      if (rowsOf === null && cells.codes === undefined) {
        if (cells.all === null || cells.all === undefined) for (let k = 0; k < n; k++) flag(k, violation);
        continue;
      }
      for (let k = 0; k < n; k++) if (absent(cells, rows[k]!)) flag(k, violation);
    }
  }
  const declaredSegments = new Set(schema?.segments ?? []);
  for (const [name, cells] of first.body.segments) {
    const index = segmentIndex.get(name);
    if (index === undefined) {
      keepOverLimit(cells, `segments.${name}`);
      continue;
    }
    const unknown = checkUnknown && !declaredSegments.has(name) ? `unknown_segment:${name}` : null;
    fill(
      cells,
      index,
      unknown,
      (k, raw) => {
        flag(k, `${mismatchKind(raw, 'categorical')}:segments.${name}`);
        keep(k, `segments.${name}`, raw);
      },
      undefined,
      '',
    );
  }
  return { ...events, values };
}
