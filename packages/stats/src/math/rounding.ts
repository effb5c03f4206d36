/** Rounding as numpy does it. */

/**
 * Rounds half to even at `decimals` places (default 0), as numpy's `round`: scale, round to even,
 * unscale.
 */
export function roundHalfEven(value: number, decimals = 0): number {
  const scale = 10 ** decimals;
  const scaled = value * scale;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  let rounded: number;
  if (diff > 0.5) rounded = floor + 1;
  else if (diff < 0.5) rounded = floor;
  else rounded = floor % 2 === 0 ? floor : floor + 1;
  return rounded / scale;
}
