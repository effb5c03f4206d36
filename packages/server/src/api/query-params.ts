/** Parsing of query parameters shared by paged, time-ranged read routes. */
import { BadRequestError } from '../errors.js';
import { parseTimestamp } from '../ingest/timestamps.js';

/** A `from` / `to` parameter: RFC 3339 / ISO-8601 or an epoch number (unit by its size; see timestamps.ts), as epoch microseconds. */
export function timeParam(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  // Digits are an epoch number, with the unit read from its size, as in records.
  const parsed = parseTimestamp(raw);
  if (!parsed.ok) throw new BadRequestError(`Query parameter "${name}": ${parsed.error}.`);
  return parsed.micros;
}

/** Cursors are opaque to clients: the position of the last row served, as base64url JSON. */
export function encodeCursor(position: (number | string)[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position a cursor holds, checked against the types the route expects. */
export function decodeCursor<T extends ('number' | 'string')[]>(
  cursor: string,
  types: T,
): { [K in keyof T]: T[K] extends 'number' ? number : string } {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    position = null;
  }
  const valid =
    Array.isArray(position) &&
    position.length === types.length &&
    // A forged cursor may hold any JSON: only exact integers and short strings are a position.
    position.every(
      (v, i) =>
        typeof v === types[i] &&
        (typeof v === 'number' ? Number.isInteger(v) && Math.abs(v) < 1e18 : (v as string).length <= 1000),
    );
  if (!valid) {
    throw new BadRequestError(
      'Query parameter "cursor" is not a cursor this server issued; use next_cursor as given.',
    );
  }
  return position as { [K in keyof T]: T[K] extends 'number' ? number : string };
}
