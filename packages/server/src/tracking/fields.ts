/**
 * Reading an MLflow request's fields. The client sends GET fields as query parameters
 * (strings; lists as repeated parameters) and other fields as a JSON body; both arrive
 * here as one plain object. Every problem is an INVALID_PARAMETER_VALUE naming the field.
 */
import { invalidParameter } from './mlflow-errors.js';

export type Fields = Record<string, unknown>;

export function fieldsOf(input: unknown): Fields {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw invalidParameter('The request body must be a JSON object.');
  }
  return input as Fields;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

export function optionalString(
  fields: Fields,
  name: string,
  max = Number.POSITIVE_INFINITY,
): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw invalidParameter(
      `Invalid value ${describe(value)} for parameter '${name}' supplied: it must be a string.`,
    );
  }
  if (value.length > max) {
    throw invalidParameter(
      `'${name}' exceeds the maximum length of ${max} characters (got ${value.length}).`,
    );
  }
  return value;
}

export function requiredString(fields: Fields, name: string, max = Number.POSITIVE_INFINITY): string {
  const value = optionalString(fields, name, max);
  if (value === undefined || value === '') {
    throw invalidParameter(`Missing value for required parameter '${name}'.`);
  }
  return value;
}

/** An int64 field: a JSON number or a decimal string (protobuf JSON writes int64 as either). */
export function optionalInteger(fields: Fields, name: string): number | undefined {
  const value = fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d{1,18}$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isSafeInteger(number)) {
    throw invalidParameter(
      `Invalid value ${describe(value)} for parameter '${name}' supplied: it must be an integer.`,
    );
  }
  return number;
}

export function requiredInteger(fields: Fields, name: string): number {
  const value = optionalInteger(fields, name);
  if (value === undefined) throw invalidParameter(`Missing value for required parameter '${name}'.`);
  return value;
}

/** A double: a number, or the strings protobuf JSON uses for NaN and the infinities. */
export function requiredDouble(value: unknown, name: string): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  if (value === undefined || value === null)
    throw invalidParameter(`Missing value for required parameter '${name}'.`);
  throw invalidParameter(
    `Invalid value ${describe(value)} for parameter '${name}' supplied: it must be a number.`,
  );
}

export function optionalBoolean(fields: Fields, name: string): boolean | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw invalidParameter(
    `Invalid value ${describe(value)} for parameter '${name}' supplied: use true or false.`,
  );
}

/** A repeated field: a JSON array, or one or more query parameters. */
export function optionalList(fields: Fields, name: string): unknown[] {
  const value = fields[name];
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function objectList(fields: Fields, name: string): Fields[] {
  return optionalList(fields, name).map((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw invalidParameter(`'${name}[${index}]' must be an object.`);
    }
    return item as Fields;
  });
}

/** MLflow's `[{key, value}]` tag lists as a record; keys and values checked against limits. */
export function keyValueList(
  fields: Fields,
  name: string,
  limits: { key: number; value: number },
): Record<string, string> {
  const result: Record<string, string> = {};
  objectList(fields, name).forEach((item, index) => {
    const key = requiredString(item, 'key', limits.key);
    const value = optionalString(item, 'value', limits.value) ?? '';
    if (key === '__proto__') throw invalidParameter(`'${name}[${index}].key' may not be "__proto__".`);
    result[key] = value;
  });
  return result;
}

export function viewType(fields: Fields, name = 'view_type'): 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL' {
  const value = fields[name] ?? 'ACTIVE_ONLY';
  if (value === 'ACTIVE_ONLY' || value === 'DELETED_ONLY' || value === 'ALL') return value;
  if (value === 1 || value === '1') return 'ACTIVE_ONLY';
  if (value === 2 || value === '2') return 'DELETED_ONLY';
  if (value === 3 || value === '3') return 'ALL';
  throw invalidParameter(
    `Invalid value ${describe(value)} for parameter '${name}': use ACTIVE_ONLY, DELETED_ONLY or ALL.`,
  );
}

/** Page tokens are the offset of the next page, opaque to the client. */
export function decodePageToken(fields: Fields): number {
  const token = optionalString(fields, 'page_token');
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isSafeInteger(parsed.offset) && parsed.offset >= 0) {
      return parsed.offset;
    }
  } catch {
    // fall through
  }
  throw invalidParameter("Invalid page token: pass 'next_page_token' back as it was given.");
}

export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

export function maxResults(fields: Fields, fallback: number, max: number): number {
  const value = optionalInteger(fields, 'max_results') ?? fallback;
  if (value < 1 || value > max) {
    throw invalidParameter(
      `Invalid value ${value} for parameter 'max_results' supplied: it must be between 1 and ${max}.`,
    );
  }
  return value;
}
