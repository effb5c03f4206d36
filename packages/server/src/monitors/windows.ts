/** Window arithmetic: clock-aligned tumbling windows in epoch microseconds (UTC). */
import { WEEK_MICROS, windowsPerWeekOf } from '@vigil/stats';
import { WINDOW_SIZES, type WindowSpec } from '../domain/monitor-config.js';

export { WEEK_MICROS };

export interface EvaluationWindow {
  startMicros: number;
  endMicros: number;
}

/** Length of a tumbling window, or null for "the last N predictions". */
export function windowMicros(spec: WindowSpec): number | null {
  return 'size' in spec ? WINDOW_SIZES[spec.size] : null;
}

export function windowAt(timestampMicros: number, sizeMicros: number): EvaluationWindow {
  const startMicros = Math.floor(timestampMicros / sizeMicros) * sizeMicros;
  return { startMicros, endMicros: startMicros + sizeMicros };
}

/** Distinct window starts of a set of timestamps. */
export function windowStartsOf(timestamps: Iterable<number>, sizeMicros: number): number[] {
  const starts = new Set<number>();
  for (const t of timestamps) starts.add(Math.floor(t / sizeMicros) * sizeMicros);
  return [...starts].sort((a, b) => a - b);
}

/** How many windows of this monitor are evaluated in a week: the unit of the false-alarm budget. */
export function windowsPerWeek(spec: WindowSpec): number {
  return windowsPerWeekOf(windowMicros(spec));
}
