/** Class labels as they arrive from users: strings or numbers, never mixed in one problem. */
export type Label = string | number;

/**
 * Sorted distinct labels of one or more label arrays, as scikit-learn's `unique_labels`:
 * numbers ascending numerically, strings by code unit. Mixing strings and numbers throws,
 * because the order (and the meaning of "the positive class") would be ambiguous.
 */
export function sortedLabelUnion(...arrays: ArrayLike<Label>[]): Label[] {
  const seen = new Set<Label>();
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) seen.add(values[i]!);
  }
  return sortLabels([...seen]);
}

/** Sorts labels as {@link sortedLabelUnion} does; throws on a mix of strings and numbers. */
export function sortLabels(labels: Label[]): Label[] {
  let strings = 0;
  for (const label of labels) if (typeof label === 'string') strings++;
  if (strings > 0 && strings < labels.length) {
    throw new TypeError('Labels mix strings and numbers; convert them to one type first.');
  }
  if (strings === 0) return (labels as number[]).sort((a, b) => a - b);
  return (labels as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Maps each label to its position; throws on duplicates. */
export function labelPositions(labels: readonly Label[]): Map<Label, number> {
  const positions = new Map<Label, number>();
  labels.forEach((label, i) => {
    if (positions.has(label)) throw new RangeError(`Label ${String(label)} is listed twice.`);
    positions.set(label, i);
  });
  return positions;
}

/**
 * The class treated as positive when none is given: `1` when every label is one of -1, 0, 1
 * (scikit-learn's convention, which keeps an all-negative window meaningful), otherwise the
 * greatest label, as scikit-learn's binary ranking metrics do.
 */
export function defaultPositiveLabel(sortedLabels: readonly Label[]): Label | undefined {
  if (sortedLabels.every((label) => label === -1 || label === 0 || label === 1)) return 1;
  return sortedLabels[sortedLabels.length - 1];
}

/** 1 where `labels[i] === positive`, else 0. */
export function binarize(labels: ArrayLike<Label>, positive: Label): Uint8Array {
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = labels[i] === positive ? 1 : 0;
  return out;
}

/** Throws unless two per-row inputs have the same length. */
export function assertSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) {
    throw new RangeError(`${what}: lengths differ (${a.length} vs ${b.length}).`);
  }
}
