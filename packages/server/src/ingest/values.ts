/**
 * Checks on raw values before they are stored: how deep they nest, which names they use, and
 * numbers that are not finite. Kept apart from `normalize.ts` so the record and columnar paths
 * share one definition of each rule.
 */

/** Levels a value may nest (objects and arrays) inside one record; deeper values reject the record. */
export const MAX_NESTING = 64;

/**
 * A name that could change an object's prototype if assigned as a property. JSON.parse keeps it as
 * an ordinary key, but every later `object[name] = value` would not, so it is refused as a name.
 */
export const FORBIDDEN_NAME = '__proto__';

/** What is wrong with a value's shape (too deep, or a forbidden key), as `path: reason`; null if nothing. */
export function shapeProblem(value: unknown, path: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  // Iterative, so a hostile depth cannot overflow the stack here.
  const stack: { value: object; path: string; depth: number }[] = [{ value, path, depth: 1 }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.depth > MAX_NESTING) {
      const at = top.path.length > 60 ? `${top.path.slice(0, 60)}…` : top.path;
      return `${at}: nested more than ${MAX_NESTING} levels deep; send flat values`;
    }
    if (Array.isArray(top.value)) {
      for (let i = 0; i < top.value.length; i++) {
        const item: unknown = top.value[i];
        if (typeof item === 'object' && item !== null) {
          stack.push({ value: item, path: `${top.path}[${i}]`, depth: top.depth + 1 });
        }
      }
      continue;
    }
    for (const key of Object.keys(top.value)) {
      const childPath = top.path === '' ? key : `${top.path}.${key}`;
      if (key === FORBIDDEN_NAME) {
        return `${top.path === '' ? '' : `${top.path}: `}"${FORBIDDEN_NAME}" is not accepted as a name (it could change objects' prototypes); rename it`;
      }
      const item: unknown = (top.value as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null) {
        stack.push({ value: item, path: childPath, depth: top.depth + 1 });
      }
    }
  }
  return null;
}

/** Text that means a non-finite number: NaN, Infinity, inf, with a sign or not. */
const NON_FINITE_TEXT = /^[+-]?(nan|inf(inity)?)$/i;

/**
 * Whether a raw value is a number that is not finite: NaN or ±Infinity (JSON.parse turns
 * `1e400` into Infinity), or text that means one (`"NaN"`, `"-Infinity"`, `"1e400"`).
 */
export function isNonFinite(raw: unknown): boolean {
  if (typeof raw === 'number') return !Number.isFinite(raw);
  if (typeof raw !== 'string') return false;
  const text = raw.trim();
  if (NON_FINITE_TEXT.test(text)) return true;
  if (text === '') return false;
  const n = Number(text);
  return n === Number.POSITIVE_INFINITY || n === Number.NEGATIVE_INFINITY;
}

/** A raw value as it can be kept in JSON: non-finite numbers become their names ("Infinity", "NaN"). */
export function storable(raw: unknown): unknown {
  return typeof raw === 'number' && !Number.isFinite(raw) ? String(raw) : raw;
}
