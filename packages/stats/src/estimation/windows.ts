/** Window bounds shared by the estimation and multivariate modules. */

/** Bounds `[start, end)` of consecutive windows of `size` rows; a shorter last window is kept (NannyML's default). */
export function windowBounds(length: number, size: number): Array<[number, number]> {
  if (!(size >= 1)) throw new RangeError(`window size must be at least 1, got ${size}`);
  const bounds: Array<[number, number]> = [];
  for (let start = 0; start < length; start += size) bounds.push([start, Math.min(length, start + size)]);
  return bounds;
}
