import { isMissing } from './values.js';

/**
 * Share of rows that repeat an earlier row over the given columns (pandas
 * `df.duplicated().mean()`). Missing values are equal to each other; other values compare by
 * SameValueZero (`Date`s by time). Rows are hashed first, so the cost is O(rows × columns).
 */
export function duplicateRowRate(columns: readonly ArrayLike<unknown>[]): number {
  const rows = columns[0]?.length ?? 0;
  for (const column of columns) {
    if (column.length !== rows) throw new RangeError('All columns must have the same length.');
  }
  if (rows === 0) return 0;
  const hashes = new Uint32Array(rows);
  for (const column of columns) {
    for (let r = 0; r < rows; r++) hashes[r] = mix(hashes[r]!, hashValue(column[r]));
  }
  const firstRows = new Map<number, number[]>();
  let duplicates = 0;
  for (let r = 0; r < rows; r++) {
    const candidates = firstRows.get(hashes[r]!);
    if (!candidates) {
      firstRows.set(hashes[r]!, [r]);
    } else if (candidates.some((other) => columns.every((column) => sameValue(column[other], column[r])))) {
      duplicates++;
    } else {
      candidates.push(r);
    }
  }
  return duplicates / rows;
}

/**
 * Groups of columns holding identical values row by row (each group listed once, in input
 * order); a sign of a join or export mistake. Same equality as {@link duplicateRowRate}.
 */
export function duplicateColumns(columns: Readonly<Record<string, ArrayLike<unknown>>>): string[][] {
  const names = Object.keys(columns);
  const byHash = new Map<number, string[][]>();
  for (const name of names) {
    const values = columns[name]!;
    let hash = values.length;
    for (let r = 0; r < values.length; r++) hash = mix(hash, hashValue(values[r]));
    const groups = byHash.get(hash) ?? [];
    const group = groups.find((g) => sameColumn(columns[g[0]!]!, values));
    if (group) group.push(name);
    else groups.push([name]);
    byHash.set(hash, groups);
  }
  return [...byHash.values()].flat().filter((group) => group.length > 1);
}

function sameColumn(a: ArrayLike<unknown>, b: ArrayLike<unknown>): boolean {
  if (a.length !== b.length) return false;
  for (let r = 0; r < a.length; r++) if (!sameValue(a[r], b[r])) return false;
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (isMissing(a) || isMissing(b)) return isMissing(a) && isMissing(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

const scratch = new DataView(new ArrayBuffer(8));

/** 32-bit hash consistent with {@link sameValue}: equal values hash alike. */
function hashValue(value: unknown): number {
  if (isMissing(value)) return 0x9e3779b9;
  if (typeof value === 'number') {
    scratch.setFloat64(0, value === 0 ? 0 : value); // -0 and 0 are equal
    return mix(scratch.getUint32(0), scratch.getUint32(4));
  }
  if (typeof value === 'string') {
    let hash = 0x811c9dc5;
    for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), 0x01000193);
    return hash >>> 0;
  }
  if (typeof value === 'boolean') return value ? 0x1b873593 : 0x85ebca6b;
  if (value instanceof Date) return mix(0x27d4eb2f, hashValue(value.getTime()));
  return 0x165667b1; // objects: all in one bucket, compared by identity
}

function mix(hash: number, value: number): number {
  let h = Math.imul(hash ^ value, 0x5bd1e995);
  h ^= h >>> 15;
  return Math.imul(h, 0x27d4eb2d) >>> 0;
}
