/**
 * Category alignment: every categorical drift method compares the two samples on the
 * union of their categories, so it is computed once, here, with the edge cases explicit.
 */
import type { CategoryCounts } from './types.js';

/** A raw categorical value; `null`, `undefined` and `NaN` count as missing and are skipped. */
export type CategoryValue = string | number | boolean | null | undefined;

/** Reference and current counts on the union of categories, in the same order. */
export interface AlignedCategories {
  /** Union of the categories seen in either sample, sorted (code-unit order) for determinism. */
  categories: string[];
  /** Reference count of each category in `categories`. */
  reference: Float64Array;
  /** Current count of each category in `categories`. */
  current: Float64Array;
  referenceTotal: number;
  currentTotal: number;
  /** Categories present in the current sample but never seen in the reference. */
  unseenInReference: string[];
  /** Categories of the reference that do not occur in the current sample. */
  missingInCurrent: string[];
}

/** Normalises a raw value to its category key; `undefined` means missing. */
function categoryKey(value: CategoryValue): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' && Number.isNaN(value)) return undefined;
  return String(value);
}

/** Counts the categories of one raw sample. Missing values (`null`, `undefined`, `NaN`) are skipped. */
export function countValues(values: ArrayLike<CategoryValue>): Map<string, number> {
  // One hash lookup per value: the map gives each category a slot in a typed array of counts.
  const slots = new Map<string, number>();
  let tally = new Float64Array(16);
  for (let i = 0; i < values.length; i++) {
    const key = categoryKey(values[i]);
    if (key === undefined) continue;
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = slots.size;
      slots.set(key, slot);
      if (slot === tally.length) {
        const grown = new Float64Array(2 * tally.length);
        grown.set(tally);
        tally = grown;
      }
    }
    tally[slot]! += 1;
  }
  const counts = new Map<string, number>();
  for (const [key, slot] of slots) counts.set(key, tally[slot]!);
  return counts;
}

/** Builds {@link CategoryCounts} from raw reference and current values. */
export function countCategories(
  reference: ArrayLike<CategoryValue>,
  current: ArrayLike<CategoryValue>,
): CategoryCounts {
  return { reference: countValues(reference), current: countValues(current) };
}

function entriesOf(counts: ReadonlyMap<string, number> | Record<string, number>): Iterable<[string, number]> {
  return counts instanceof Map ? counts.entries() : Object.entries(counts);
}

function checkedCount(value: number, category: string, side: string): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(
      `${side} count of category '${category}' must be a finite number >= 0, got ${value}`,
    );
  }
  return value;
}

/**
 * Aligns reference and current counts on the union of their categories.
 * Categories whose count is zero in both samples are dropped: they carry no information and
 * would make contingency tables degenerate. Throws a `RangeError` on negative or non-finite
 * counts and when either sample is empty, since no drift statement is possible then.
 */
export function alignCategories(counts: CategoryCounts | AlignedCategories): AlignedCategories {
  if ('categories' in counts) return counts;
  const union = new Map<string, [number, number]>();
  for (const [category, value] of entriesOf(counts.reference)) {
    const count = checkedCount(value, category, 'reference');
    const pair = union.get(category);
    if (pair) pair[0] += count;
    else union.set(category, [count, 0]);
  }
  for (const [category, value] of entriesOf(counts.current)) {
    const count = checkedCount(value, category, 'current');
    const pair = union.get(category);
    if (pair) pair[1] += count;
    else union.set(category, [0, count]);
  }
  const categories = [...union.keys()].filter((c) => {
    const pair = union.get(c)!;
    return pair[0] > 0 || pair[1] > 0;
  });
  categories.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const reference = new Float64Array(categories.length);
  const current = new Float64Array(categories.length);
  const unseenInReference: string[] = [];
  const missingInCurrent: string[] = [];
  let referenceTotal = 0;
  let currentTotal = 0;
  categories.forEach((category, i) => {
    const [ref, cur] = union.get(category)!;
    reference[i] = ref;
    current[i] = cur;
    referenceTotal += ref;
    currentTotal += cur;
    if (ref === 0) unseenInReference.push(category);
    if (cur === 0) missingInCurrent.push(category);
  });
  if (referenceTotal === 0) throw new RangeError('reference sample has no non-missing values');
  if (currentTotal === 0) throw new RangeError('current sample has no non-missing values');
  return {
    categories,
    reference,
    current,
    referenceTotal,
    currentTotal,
    unseenInReference,
    missingInCurrent,
  };
}
