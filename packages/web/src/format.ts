/** Numbers and times as people read them. */

const numberFormat = new Intl.NumberFormat('en');
const compactFormat = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

export function formatCount(value: number): string {
  return Math.abs(value) >= 10_000 ? compactFormat.format(value) : numberFormat.format(value);
}

/** "just now", "5 min ago", "3 h ago", "2 d ago"; the future reads "in …". */
export function formatRelative(iso: string | null, nowMs = Date.now()): string {
  if (!iso) return 'never';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((nowMs - then) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] =
    abs < 45
      ? [0, '']
      : abs < 3600
        ? [Math.round(abs / 60), 'min']
        : abs < 86_400
          ? [Math.round(abs / 3600), 'h']
          : [Math.round(abs / 86_400), 'd'];
  if (value === 0) return 'just now';
  return seconds >= 0 ? `${value} ${unit} ago` : `in ${value} ${unit}`;
}

/**
 * Times read on a 24-hour clock everywhere, in tables as on the charts' time axes (whose
 * labels are 24-hour whatever the locale), so that a row and the point it matches read alike.
 */
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The full local date and time, for tooltips beside relative times. */
export function formatDateTime(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

/** "1 model", "3 models". */
export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}
