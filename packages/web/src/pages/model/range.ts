/** The time range and filters of the model and feature pages, kept in the URL so links share them. */
export const RANGES = [
  { value: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { value: '3d', label: 'Last 3 days', ms: 3 * 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;

export interface RangeSearch {
  range?: string;
  from?: string;
  to?: string;
  version?: string;
  segment?: string;
}

// The router reads `?version=2` as the number 2; version names are often numbers.
const text = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value)
    ? String(value)
    : typeof value === 'string' && value !== ''
      ? value
      : undefined;

export function validateRangeSearch(search: Record<string, unknown>): RangeSearch {
  const out: RangeSearch = {};
  const range = text(search.range);
  if (range && RANGES.some((r) => r.value === range)) out.range = range;
  for (const key of ['from', 'to', 'version', 'segment'] as const) {
    const value = text(search[key]);
    if (value) out[key] = value;
  }
  return out;
}

/** The absolute range: a custom from/to, or the named range ending now (to the minute, so queries stay cached). */
export function resolveRange(search: RangeSearch, nowMs = Date.now()): { from: string; to: string } {
  if (
    search.from &&
    search.to &&
    !Number.isNaN(Date.parse(search.from)) &&
    !Number.isNaN(Date.parse(search.to))
  ) {
    return { from: new Date(search.from).toISOString(), to: new Date(search.to).toISOString() };
  }
  const ms = RANGES.find((r) => r.value === (search.range ?? '3d'))?.ms ?? RANGES[2].ms;
  const to = Math.ceil(nowMs / 60_000) * 60_000;
  return { from: new Date(to - ms).toISOString(), to: new Date(to).toISOString() };
}

/** Day and minute on a 24-hour clock, as the charts' time axes read. */
const dayAndMinute = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export function formatTime(iso: string): string {
  return dayAndMinute.format(new Date(iso));
}

export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (Math.abs(value) >= 1000) return value.toLocaleString(undefined, { maximumFractionDigits: 0 });
  return Number(value.toPrecision(digits)).toString();
}
