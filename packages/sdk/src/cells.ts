/** A logged value as it will be sent, and what it may take in a JSON body. */
import { VigilRecordError } from './errors.js';

export type Cell = string | number | boolean | null | object;

/** Characters that JSON escapes: such a string may take up to six times its length on the wire. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON escapes control characters.
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function notSerialisable(what: string, cause?: unknown): VigilRecordError {
  return new VigilRecordError('invalid_record', `Record cannot be serialised to JSON: ${what}`, { cause });
}

/**
 * A value as it will be sent, copied at call time: primitives as they are, other values
 * through a JSON round trip (as NDJSON would have written them); `undefined`, functions and
 * symbols, which JSON leaves out, become null (absent).
 */
export function cell(value: unknown): Cell {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
    case 'bigint':
      throw notSerialisable('a bigint value');
    default: {
      if (value === null) return null;
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch (error) {
        throw notSerialisable(String(error), error);
      }
      return text === undefined ? null : (JSON.parse(text) as Cell);
    }
  }
}

/** Upper bound of a value's size in the body, comma included, in UTF-16 code units. */
export function size(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return ESCAPED.test(value) ? value.length * 6 + 3 : value.length + 3;
    case 'number':
      return 25;
    case 'boolean':
      return 6;
    case 'bigint':
      throw notSerialisable('a bigint value');
    case 'object':
      if (value === null) return 5;
      return (JSON.stringify(cell(value)) ?? 'null').length + 1;
    default:
      return 5;
  }
}
